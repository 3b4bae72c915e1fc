import { describe, expect, it } from 'vitest';
import {
  buildClients,
  buildScope,
  decideLaunch,
  pickClient,
  registrations,
} from '../../../launch/clients';

const words = (scope: string) => scope.split(' ');

describe('buildScope', () => {
  it.each([
    ['v2', 'ehr', 'launch', 'patient/Patient.rs'],
    ['v2', 'standalone', 'launch/patient', 'patient/Observation.rs'],
    ['v1', 'ehr', 'launch', 'patient/Patient.read'],
    ['v1', 'standalone', 'launch/patient', 'user/Practitioner.read'],
  ] as const)('builds a %s %s scope with %s and %s', (version, mode, launchWord, read) => {
    const scope = words(buildScope(version, mode));
    expect(scope).toContain(launchWord);
    expect(scope).toContain(read);
  });

  it('puts the literal `launch` in an EHR launch (fhirclient adds it only when no word matches /launch/)', () => {
    const scope = words(buildScope('v2', 'ehr'));
    expect(scope).toContain('launch');
    expect(scope).not.toContain('launch/patient');
  });

  it('asks for the identity and a refresh token', () => {
    const scope = words(buildScope('v2', 'ehr'));
    expect(scope).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access']));
  });

  it.each([
    'Patient',
    'Observation',
    'Condition',
    'Encounter',
    'Procedure',
    'ServiceRequest',
    'Task',
    'Coverage',
    'QuestionnaireResponse',
  ])('reads %s for the patient in context', (type) => {
    expect(words(buildScope('v2', 'ehr'))).toContain(`patient/${type}.rs`);
    expect(words(buildScope('v1', 'ehr'))).toContain(`patient/${type}.read`);
  });

  it.each(['Patient', 'Practitioner', 'Group', 'List', 'Observation', 'Condition', 'Coverage'])(
    'reads %s at user level for panels',
    (type) => {
      expect(words(buildScope('v2', 'standalone'))).toContain(`user/${type}.rs`);
    },
  );

  it('never mixes v1 and v2 permission syntax', () => {
    expect(buildScope('v1', 'ehr')).not.toMatch(/\.rs\b/);
    expect(buildScope('v2', 'ehr')).not.toMatch(/\.read\b/);
  });
});

describe('pickClient', () => {
  const clients = buildClients({
    launchUrl: 'http://127.0.0.1:5173/launch/?iss=x&launch=abc',
    inFrame: false,
  });

  it.each([
    ['http://127.0.0.1:4010/fhir', 'equity-lens'],
    ['http://localhost:4010/fhir', 'equity-lens'],
    ['http://127.0.0.1:39123/fhir/', 'equity-lens'],
    ['https://launch.smarthealthit.org/v/r4/fhir', 'equity-lens'],
    [
      'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
      '<your Epic non-production client id>',
    ],
    [
      'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
      '<your Oracle Health code Console client id>',
    ],
  ])('matches %s to client %s', (iss, clientId) => {
    expect(pickClient(clients, iss)?.clientId).toBe(clientId);
  });

  it.each([
    'http://127.0.0.1:4010/other',
    'http://127.0.0.1:4010/fhir/extra',
    'https://evil.example/fhir',
    'http://fhir.epic.com.evil.example/',
    'https://notcerner.com.example/r4',
  ])('matches no client for %s', (iss) => {
    expect(pickClient(clients, iss)).toBeUndefined();
  });

  it('supports string and function issMatch values', () => {
    expect(
      pickClient([{ issMatch: 'https://a.test/fhir', clientId: 'a' }], 'https://a.test/fhir')
        ?.clientId,
    ).toBe('a');
    expect(
      pickClient([{ issMatch: (iss: string) => iss.endsWith('/b'), clientId: 'b' }], 'https://x/b')
        ?.clientId,
    ).toBe('b');
    expect(pickClient([{ clientId: 'c' }], 'https://x/c')).toBeUndefined();
  });
});

describe('buildClients', () => {
  it('redirects to the app root and uses PKCE when the server supports it', () => {
    const [sandbox] = buildClients({
      launchUrl: 'http://127.0.0.1:5173/launch/?iss=http%3A%2F%2F127.0.0.1%3A4010%2Ffhir&launch=h1',
      inFrame: false,
    });
    expect(sandbox).toMatchObject({
      clientId: 'equity-lens',
      redirectUri: 'http://127.0.0.1:5173/',
      pkceMode: 'ifSupported',
    });
    expect(sandbox?.completeInTarget).toBeUndefined();
  });

  it('asks for `launch` when the EHR passed a launch handle and `launch/patient` when it did not', () => {
    const [ehr] = buildClients({
      launchUrl: 'http://app.test/launch/?iss=i&launch=h',
      inFrame: false,
    });
    const [standalone] = buildClients({
      launchUrl: 'http://app.test/launch/?iss=i',
      inFrame: false,
    });
    expect(words(ehr?.scope ?? '')).toContain('launch');
    expect(words(standalone?.scope ?? '')).toContain('launch/patient');
    expect(words(standalone?.scope ?? '')).not.toContain('launch');
  });

  it('completes authorization inside the frame when embedded', () => {
    const clients = buildClients({ launchUrl: 'http://app.test/launch/?iss=i', inFrame: true });
    expect(clients.every((client) => client.completeInTarget === true)).toBe(true);
  });

  it('uses v2 scopes for the sandbox and the SMART launcher and v1 for Epic and Oracle Health', () => {
    const clients = buildClients({ launchUrl: 'http://app.test/launch/?iss=i', inFrame: false });
    expect(clients.map((client) => /\.rs\b/.test(client.scope ?? ''))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(registrations.map((r) => r.label)).toEqual([
      'local sandbox',
      'SMART launcher',
      'Epic',
      'Oracle Health',
    ]);
  });
});

describe('decideLaunch', () => {
  const launchAt = (query: string) => ({
    launchUrl: `http://127.0.0.1:5173/launch/${query}`,
    inFrame: false,
  });

  it('shows help when the page is opened without `iss`', () => {
    expect(decideLaunch(launchAt(''))).toEqual({ kind: 'help' });
    expect(decideLaunch(launchAt('?launch=abc'))).toEqual({ kind: 'help' });
  });

  it('names an iss that matches no configured EHR', () => {
    expect(decideLaunch(launchAt('?iss=https%3A%2F%2Funknown.example%2Ffhir&launch=1'))).toEqual({
      kind: 'unknown-iss',
      iss: 'https://unknown.example/fhir',
    });
  });

  it('refuses to authorize with a placeholder client id', () => {
    expect(
      decideLaunch(
        launchAt('?iss=https%3A%2F%2Ffhir.epic.com%2Finterconnect-fhir-oauth%2Fapi%2FFHIR%2FR4'),
      ),
    ).toMatchObject({ kind: 'unregistered', label: 'Epic' });
  });

  it('authorizes the sandbox with its registered client', () => {
    const decision = decideLaunch(launchAt('?iss=http%3A%2F%2F127.0.0.1%3A4010%2Ffhir&launch=h1'));
    expect(decision.kind).toBe('authorize');
    if (decision.kind === 'authorize') expect(decision.client.clientId).toBe('equity-lens');
  });
});
