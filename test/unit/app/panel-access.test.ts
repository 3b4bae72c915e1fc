import { describe, expect, it } from 'vitest';
import {
  canOpenOtherCharts,
  canSearchPanel,
  grantsUserLevel,
  panelAccessOf,
} from '../../../src/app/panel-access';

describe('grantsUserLevel', () => {
  it.each([
    // v2 (SMART App Launch 2.x §3.1)
    [['user/Patient.rs'], 'Patient', 'r', true],
    [['user/Patient.rs'], 'Patient', 's', true],
    [['user/Patient.r'], 'Patient', 's', false],
    [['user/Patient.s'], 'Patient', 's', true],
    [['user/Patient.cruds'], 'Patient', 'r', true],
    [['user/*.rs'], 'Patient', 's', true],
    [['user/Patient.cud'], 'Patient', 'r', false],
    [['patient/Patient.rs'], 'Patient', 'r', false],
    [['system/Patient.rs'], 'Patient', 'r', false],
    [['user/Observation.rs'], 'Patient', 'r', false],
    [['user/Patient.rs?identifier=urn:mrn|'], 'Patient', 'r', false],
    [['user/Patient.sr'], 'Patient', 'r', false],
    // v1 (SMART App Launch 1.0)
    [['user/Patient.read'], 'Patient', 'r', true],
    [['user/Patient.read'], 'Patient', 's', true],
    [['user/*.read'], 'Patient', 's', true],
    [['user/*.*'], 'Patient', 'r', true],
    [['user/Patient.write'], 'Patient', 'r', false],
    [['patient/*.read'], 'Patient', 'r', false],
    // Context and identity scopes grant no read.
    [['launch', 'openid', 'fhirUser', 'offline_access'], 'Patient', 'r', false],
    [
      ['launch', 'patient/Patient.rs', 'user/Practitioner.rs', 'user/Patient.rs'],
      'Patient',
      's',
      true,
    ],
  ] as const)('%j grants user-level %s.%s: %s', (scopes, type, permission, expected) => {
    expect(grantsUserLevel(scopes, type, permission)).toBe(expected);
  });
});

describe('panel access', () => {
  it.each([
    [['user/Patient.rs'], true, true],
    [['user/Patient.read'], true, true],
    [['user/Patient.s'], true, false],
    [['user/Patient.r'], false, true],
    [['patient/Patient.rs', 'user/Practitioner.rs'], false, false],
    // RFC 6749 §5.1: no scope in the token response means the requested scope was granted.
    [[], true, true],
  ] as const)('%j: search the panel %s, open other charts %s', (scopes, search, open) => {
    expect(canSearchPanel(scopes)).toBe(search);
    expect(canOpenOtherCharts(scopes)).toBe(open);
  });

  it.each([
    [{ resourceType: 'Practitioner', id: 'dr' }, ['user/Patient.rs'], { kind: 'allowed' }],
    [undefined, ['user/Patient.rs'], { kind: 'allowed' }],
    [{ resourceType: 'Person', id: 'p' }, ['user/Patient.rs'], { kind: 'allowed' }],
    [
      { resourceType: 'Patient', id: 'p' },
      ['user/Patient.rs'],
      { kind: 'denied', reason: 'patient-user' },
    ],
    [
      { resourceType: 'RelatedPerson', id: 'r' },
      ['user/*.rs'],
      { kind: 'denied', reason: 'patient-user' },
    ],
    [
      { resourceType: 'Practitioner', id: 'dr' },
      ['patient/Patient.rs'],
      { kind: 'denied', reason: 'no-panel-access' },
    ],
  ] as const)('a %j user with %j: %j', (user, scopes, access) => {
    expect(panelAccessOf(user, scopes)).toEqual(access);
  });
});
