import { describe, expect, it } from 'vitest';
import type { EhrRegistration } from '../../../launch/clients';
import {
  buildClient,
  buildScope,
  decideLaunch,
  findRegistration,
  launchUrlWithKind,
  mergeRegistrations,
  readLaunchMode,
  registrations,
} from '../../../launch/clients';
import { parseRuntimeRegistrations } from '../../../launch/runtime-registrations';

const words = (scope: string) => scope.split(' ');

describe('buildScope', () => {
  it.each([
    ['v2', 'ehr', 'launch', 'patient/Patient.rs'],
    ['v2', 'standalone-patient', 'launch/patient', 'patient/Observation.rs'],
    ['v1', 'ehr', 'launch', 'patient/Patient.read'],
    ['v1', 'standalone-patient', 'launch/patient', 'user/Practitioner.read'],
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

  it.each(['v1', 'v2'] as const)(
    'asks a %s standalone panel launch for no patient context and no patient/ scopes',
    (version) => {
      const scope = words(buildScope(version, 'standalone-panel'));
      expect(scope.filter((word) => word.includes('launch'))).toEqual([]);
      expect(scope.filter((word) => word.startsWith('patient/'))).toEqual([]);
      expect(scope).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access']));
      const read = version === 'v2' ? 'rs' : 'read';
      expect(scope).toEqual(
        expect.arrayContaining([`user/Patient.${read}`, `user/Observation.${read}`]),
      );
    },
  );

  it.each(['ehr', 'standalone-patient', 'standalone-panel'] as const)(
    'asks a %s launch for the identity and a refresh token',
    (mode) => {
      expect(words(buildScope('v2', mode))).toEqual(
        expect.arrayContaining(['openid', 'fhirUser', 'offline_access']),
      );
    },
  );

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

  it.each(['ServiceRequest', 'Task', 'Procedure'])(
    'may create %s for the patient in context (referral write-back), never from a panel launch',
    (type) => {
      expect(words(buildScope('v2', 'ehr'))).toContain(`patient/${type}.c`);
      expect(words(buildScope('v2', 'standalone-patient'))).toContain(`patient/${type}.c`);
      expect(words(buildScope('v1', 'ehr'))).toContain(`patient/${type}.write`);
      expect(buildScope('v2', 'standalone-panel')).not.toMatch(/\.(c|write)\b/);
    },
  );

  it.each(['Patient', 'Practitioner', 'Group', 'List', 'Observation', 'Condition', 'Coverage'])(
    'reads %s at user level for panels',
    (type) => {
      expect(words(buildScope('v2', 'standalone-panel'))).toContain(`user/${type}.rs`);
      expect(words(buildScope('v2', 'ehr'))).toContain(`user/${type}.rs`);
    },
  );

  it('never mixes v1 and v2 permission syntax', () => {
    expect(buildScope('v1', 'ehr')).not.toMatch(/\.rs\b/);
    expect(buildScope('v2', 'ehr')).not.toMatch(/\.read\b/);
    expect(buildScope('v1', 'standalone-panel')).not.toMatch(/\.rs\b/);
  });
});

describe('findRegistration', () => {
  it.each([
    ['http://127.0.0.1:4010/fhir', 'local sandbox'],
    ['http://localhost:4010/fhir', 'local sandbox'],
    ['http://127.0.0.1:39123/fhir/', 'local sandbox'],
    ['https://launch.smarthealthit.org/v/r4/fhir', 'SMART launcher'],
    ['https://launch.smarthealthit.org/v/r4/sim/WzMsIiIsIiIsIkFVVE8iXQ/fhir', 'SMART launcher'],
    ['http://localhost:8443/v/r4/fhir', 'SMART launcher'],
    ['https://smart.hospital.example/v/r4/sim/eyJhIjoxfQ/fhir/', 'SMART launcher'],
    ['http://10.0.0.7:9000/v/r4/fhir', 'SMART launcher'],
    ['https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4', 'Epic'],
    ['https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d', 'Oracle Health'],
  ])('matches %s to the %s registration', (iss, label) => {
    expect(findRegistration(iss)?.label).toBe(label);
  });

  it.each([
    'http://127.0.0.1:4010/other',
    'http://127.0.0.1:4010/fhir/extra',
    'https://evil.example/fhir',
    'http://fhir.epic.com.evil.example/',
    'https://notcerner.com.example/r4',
    // The self-hosted launcher is accepted on its own paths only.
    'https://launcher.example/v/r3/fhir',
    'https://launcher.example/v/r4/fhir/Patient',
    'https://launcher.example/prefix/v/r4/fhir',
    'https://launcher.example/v/r4/sim//fhir',
    'https://user@launcher.example/v/r4/fhir',
  ])('matches no registration for %s', (iss) => {
    expect(findRegistration(iss)).toBeUndefined();
  });
});

describe('readLaunchMode', () => {
  it.each([
    ['?iss=i&launch=h', 'ehr'],
    // The EHR decides the context of its launches: `kind` does not change an EHR launch.
    ['?iss=i&launch=h&kind=panel', 'ehr'],
    ['?iss=i&kind=patient', 'standalone-patient'],
    ['?iss=i&kind=panel', 'standalone-panel'],
    ['?iss=i', undefined],
    ['?iss=i&kind=other', undefined],
    ['?iss=i&launch=', undefined],
  ])('reads %s as %s', (query, mode) => {
    expect(readLaunchMode(new URL(`http://app.test/launch/${query}`))).toBe(mode);
  });

  it('adds the kind to a launch URL and keeps its iss', () => {
    const url = new URL(
      launchUrlWithKind('http://app.test/launch/?iss=http%3A%2F%2Fehr%2Ffhir', 'panel'),
    );
    expect(url.searchParams.get('iss')).toBe('http://ehr/fhir');
    expect(url.searchParams.get('kind')).toBe('panel');
  });
});

describe('buildClient', () => {
  const sandbox = registrations[0];
  if (!sandbox) throw new Error('no built-in registrations');

  it('redirects to the app root and uses PKCE when the server supports it', () => {
    const client = buildClient(sandbox, 'ehr', {
      launchUrl: 'http://127.0.0.1:5173/launch/?iss=http%3A%2F%2F127.0.0.1%3A4010%2Ffhir&launch=h1',
      inFrame: false,
    });
    expect(client).toMatchObject({
      clientId: 'equity-lens',
      redirectUri: 'http://127.0.0.1:5173/',
      pkceMode: 'ifSupported',
    });
    expect(client.completeInTarget).toBeUndefined();
  });

  it('completes authorization inside the frame when embedded', () => {
    const client = buildClient(sandbox, 'ehr', {
      launchUrl: 'http://app.test/launch/?iss=i',
      inFrame: true,
    });
    expect(client.completeInTarget).toBe(true);
  });

  it('uses v2 scopes for the sandbox and the SMART launcher and v1 for Epic and Oracle Health', () => {
    expect(registrations.map((r) => [r.label, r.scopeVersion])).toEqual([
      ['local sandbox', 'v2'],
      ['SMART launcher', 'v2'],
      ['Epic', 'v1'],
      ['Oracle Health', 'v1'],
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

  const sandboxIss = '?iss=http%3A%2F%2F127.0.0.1%3A4010%2Ffhir';

  it('asks a standalone launch which kind it is, once the EHR is known', () => {
    expect(decideLaunch(launchAt(sandboxIss))).toEqual({
      kind: 'choose-kind',
      iss: 'http://127.0.0.1:4010/fhir',
      label: 'local sandbox',
    });
    expect(decideLaunch(launchAt('?iss=https%3A%2F%2Funknown.example%2Ffhir')).kind).toBe(
      'unknown-iss',
    );
  });

  it.each([
    ['patient', ['launch/patient', 'patient/Patient.rs']],
    ['panel', ['user/Patient.rs', 'openid', 'fhirUser']],
  ])('authorizes a standalone %s launch with its own scope', (kind, expected) => {
    const decision = decideLaunch(launchAt(`${sandboxIss}&kind=${kind}`));
    if (decision.kind !== 'authorize') throw new Error(`expected authorize, got ${decision.kind}`);
    expect(words(decision.client.scope ?? '')).toEqual(expect.arrayContaining(expected));
    if (kind === 'panel') expect(decision.client.scope).not.toMatch(/launch|patient\//);
  });

  it('authorizes a self-hosted SMART launcher with any client id', () => {
    const decision = decideLaunch(
      launchAt('?iss=http%3A%2F%2Flocalhost%3A8443%2Fv%2Fr4%2Ffhir&launch=WzAsInAxIl0'),
    );
    if (decision.kind !== 'authorize') throw new Error(`expected authorize, got ${decision.kind}`);
    expect(decision.client.clientId).toBe('equity-lens');
    expect(decision.client.scope).toMatch(/\bpatient\/Patient\.rs\b/);
  });

  describe('with runtime registrations', () => {
    const runtime = (entries: unknown[]): readonly EhrRegistration[] => {
      const parsed = parseRuntimeRegistrations(entries);
      expect(parsed.problems).toEqual([]);
      return mergeRegistrations(parsed.registrations);
    };
    const epicIss =
      '?iss=https%3A%2F%2Ffhir.epic.com%2Finterconnect-fhir-oauth%2Fapi%2FFHIR%2FR4&launch=e1';

    it('authorizes an EHR that only the runtime file names', () => {
      const decision = decideLaunch(
        launchAt('?iss=https%3A%2F%2Fehr.hospital.example%2Ffhir%2Fr4&launch=x'),
        runtime([
          {
            label: 'Hospital EHR',
            issMatch: 'https://ehr\\.hospital\\.example/fhir/r4',
            clientId: 'hospital-123',
            scopeVersion: 'v1',
          },
        ]),
      );
      if (decision.kind !== 'authorize')
        throw new Error(`expected authorize, got ${decision.kind}`);
      expect(decision.client.clientId).toBe('hospital-123');
      expect(decision.client.scope).toMatch(/\bpatient\/Patient\.read\b/);
      expect(decision.client.scope).not.toMatch(/\.rs\b/);
    });

    it('overrides a built-in registration for the same iss (runtime entries first)', () => {
      const decision = decideLaunch(
        launchAt(epicIss),
        runtime([
          {
            label: 'Epic (our hospital)',
            issMatch: 'https://fhir\\.epic\\.com/.*',
            clientId: 'epic-abc',
            scopeVersion: 'v2',
          },
        ]),
      );
      if (decision.kind !== 'authorize')
        throw new Error(`expected authorize, got ${decision.kind}`);
      expect(decision.client.clientId).toBe('epic-abc');
      expect(decision.client.scope).toMatch(/\bpatient\/Patient\.rs\b/);
    });

    it('keeps the built-in registrations working beside the runtime ones', () => {
      const merged = runtime([
        {
          label: 'Other',
          issMatch: 'https://other\\.example/fhir',
          clientId: 'o',
          scopeVersion: 'v2',
        },
      ]);
      expect(merged.map((registration) => registration.label)).toEqual([
        'Other',
        'local sandbox',
        'SMART launcher',
        'Epic',
        'Oracle Health',
      ]);
      const decision = decideLaunch(launchAt(`${sandboxIss}&launch=h1`), merged);
      expect(decision.kind === 'authorize' && decision.client.clientId).toBe('equity-lens');
      expect(decideLaunch(launchAt(epicIss), merged)).toMatchObject({
        kind: 'unregistered',
        label: 'Epic',
      });
    });

    it('matches a runtime issMatch against the whole iss only', () => {
      const merged = runtime([
        {
          label: 'Hospital',
          issMatch: 'https://ehr\\.example/fhir',
          clientId: 'h',
          scopeVersion: 'v2',
        },
      ]);
      expect(
        decideLaunch(
          launchAt(
            '?iss=https%3A%2F%2Fevil.example%2F%3Fhttps%3A%2F%2Fehr.example%2Ffhir&launch=1',
          ),
          merged,
        ).kind,
      ).toBe('unknown-iss');
      expect(
        decideLaunch(
          launchAt('?iss=https%3A%2F%2Fehr.example%2Ffhir.evil.example&launch=1'),
          merged,
        ).kind,
      ).toBe('unknown-iss');
    });
  });
});
