// Population access from SMART scopes (SMART App Launch 2.x §"Scopes": v1 `.read`, v2 `.rs`) and
// what a server's `.well-known/smart-configuration` rules out for Bulk Data export.
import { describe, expect, it } from 'vitest';
import {
  exportRuledOutBy,
  grantsPopulationRead,
  readSmartConfiguration,
} from '../../../../src/fhir/rest/smart-configuration';

describe('grantsPopulationRead', () => {
  it.each([
    'user/Patient.read',
    'user/*.read',
    'user/*.*',
    'user/Patient.rs',
    'openid user/Patient.r',
    'system/*.cruds',
    'user/Patient.rs?_security=x',
  ])('accepts %s', (scopes) => {
    expect(grantsPopulationRead(scopes)).toBe(true);
  });

  it.each([
    'patient/*.read',
    'launch/patient patient/Patient.rs',
    'user/Observation.rs',
    'user/Patient.s',
    'user/Patient.write',
    'user/Patient.c',
    '',
  ])('refuses %s', (scopes) => {
    expect(grantsPopulationRead(scopes)).toBe(false);
  });
});

describe('exportRuledOutBy', () => {
  it('rules out export when the server lists only patient-level scopes', () => {
    const config = readSmartConfiguration({ scopes_supported: ['launch', 'patient/*.read'] });
    expect(config).toBeDefined();
    expect(exportRuledOutBy(config ?? { scopesSupported: [], capabilities: [] })).toMatch(
      /no user- or system-level scopes/,
    );
  });

  it('says nothing when user or system scopes are offered, or no list is given', () => {
    for (const body of [
      { scopes_supported: ['user/*.rs'] },
      { scopes_supported: ['system/*.read'] },
      { capabilities: ['launch-ehr'] },
    ]) {
      const config = readSmartConfiguration(body);
      expect(config && exportRuledOutBy(config)).toBeUndefined();
    }
  });

  it('does not read what is not a JSON object', () => {
    expect(readSmartConfiguration('<html>')).toBeUndefined();
    expect(readSmartConfiguration([])).toBeUndefined();
  });
});
