import { describe, expect, it } from 'vitest';
import {
  accessFromScopes,
  grantScopes,
  parseClinicalScope,
  readOnlyScopes,
} from '../../../sandbox/auth/scopes';

describe('parseClinicalScope', () => {
  it.each([
    ['patient/Observation.read', 'patient', 'Observation', 'rs'],
    ['patient/Observation.rs', 'patient', 'Observation', 'rs'],
    ['user/*.read', 'user', '*', 'rs'],
    ['user/Task.write', 'user', 'Task', 'cdu'],
    ['patient/Task.*', 'patient', 'Task', 'cdrsu'],
    ['patient/ServiceRequest.c', 'patient', 'ServiceRequest', 'c'],
    ['patient/Observation.rs?category=laboratory', 'patient', 'Observation', 'rs'],
  ])('reads %s as %s-level %s with permissions %s', (text, level, type, perms) => {
    const scope = parseClinicalScope(text);
    expect(scope?.level).toBe(level);
    expect(scope?.resourceType).toBe(type);
    expect([...(scope?.permissions ?? [])].sort().join('')).toBe(perms);
  });

  it.each(['openid', 'patient/Observation.sr', 'patient/Observation', 'doctor/Patient.read', ''])(
    'rejects %j as a clinical scope',
    (text) => {
      expect(parseClinicalScope(text)).toBeUndefined();
    },
  );

  it('keeps a granular query', () => {
    expect(parseClinicalScope('patient/Observation.rs?category=sdoh')?.query).toBe('category=sdoh');
  });
});

describe('grantScopes', () => {
  const requested =
    'launch launch/patient openid fhirUser offline_access patient/Patient.rs user/Practitioner.rs system/Patient.rs bogus';

  it('grants launch only for an EHR launch and drops system and unknown scopes', () => {
    expect(
      grantScopes(requested, { ehrLaunch: true, patientId: 'p1', userType: 'Practitioner' }),
    ).toEqual([
      'launch',
      'launch/patient',
      'openid',
      'fhirUser',
      'offline_access',
      'patient/Patient.rs',
      'user/Practitioner.rs',
    ]);
  });

  it('drops patient-level scopes when no patient is in context', () => {
    const granted = grantScopes(requested, {
      ehrLaunch: true,
      patientId: undefined,
      userType: 'Practitioner',
    });
    expect(granted).not.toContain('patient/Patient.rs');
    expect(granted).not.toContain('launch/patient');
    expect(granted).toContain('user/Practitioner.rs');
  });

  it('does not grant launch on a standalone launch', () => {
    expect(
      grantScopes(requested, { ehrLaunch: false, patientId: 'p1', userType: 'Practitioner' }),
    ).not.toContain('launch');
  });
});

describe('accessFromScopes', () => {
  const practitioner = { resourceType: 'Practitioner' as const, id: 'dr1' };

  it('confines patient-level reads to the launched patient', () => {
    const access = accessFromScopes({
      scopes: ['patient/Observation.rs'],
      patientId: 'p1',
      user: practitioner,
    });
    expect(access.read('Observation')).toEqual({ kind: 'patient', patientId: 'p1' });
    expect(access.read('Condition')).toEqual({ kind: 'none' });
    expect(access.create('Observation')).toEqual({ kind: 'none' });
  });

  it('lets user-level scopes of a practitioner read everything of that type', () => {
    const access = accessFromScopes({
      scopes: ['patient/Observation.rs', 'user/Observation.read'],
      patientId: 'p1',
      user: practitioner,
    });
    expect(access.read('Observation')).toEqual({ kind: 'all' });
  });

  it('keeps a patient user to their own record even with user-level scopes', () => {
    const access = accessFromScopes({
      scopes: ['user/*.rs'],
      patientId: undefined,
      user: { resourceType: 'Patient', id: 'p9' },
    });
    expect(access.read('Condition')).toEqual({ kind: 'patient', patientId: 'p9' });
  });

  it.each([
    ['patient/Task.c', { kind: 'patient', patientId: 'p1' }],
    ['patient/Task.write', { kind: 'patient', patientId: 'p1' }],
    ['patient/Task.rs', { kind: 'none' }],
    ['user/*.cruds', { kind: 'all' }],
  ])('create permission from %s', (scope, expected) => {
    const access = accessFromScopes({ scopes: [scope], patientId: 'p1', user: practitioner });
    expect(access.create('Task')).toEqual(expected);
  });

  it('grants nothing for patient scopes without a patient in context', () => {
    const access = accessFromScopes({
      scopes: ['patient/*.rs'],
      patientId: undefined,
      user: practitioner,
    });
    expect(access.read('Observation')).toEqual({ kind: 'none' });
  });
});

describe('readOnlyScopes (the launcher read-only launch)', () => {
  it.each([
    ['user/*.cruds', ['user/*.rs']],
    ['patient/Task.cu', []],
    ['user/Task.write', []],
    ['user/*.*', ['user/*.read']],
    ['patient/Observation.rs?category=laboratory', ['patient/Observation.rs?category=laboratory']],
    [
      'launch openid fhirUser user/ServiceRequest.c user/Patient.read',
      ['launch', 'openid', 'fhirUser', 'user/Patient.read'],
    ],
  ])('%s → %j', (scopes, expected) => {
    expect(readOnlyScopes(scopes.split(' '))).toEqual(expected);
  });
});
