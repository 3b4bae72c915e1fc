// Launches a real fhirclient session against the msw server (the stored-token path a reload
// takes) and renders the patient view under it.
import { render } from '@testing-library/react';
import FHIR from 'fhirclient';
import { decideLaunch } from '../../launch/clients';
import { calendarDateOf } from '../../src/features/patient/patient-demographics';
import { PatientView } from '../../src/features/patient/patient-view';
import type { FhirSession } from '../../src/fhir/fhir-session';
import { FhirSessionProvider } from '../../src/fhir/fhir-session-context';
import { connectFhirclientSession } from '../../src/fhir/fhirclient-session';
import { TODAY, drAdamsRecord, patient as defaultPatient } from './patient-fixtures';
import { appOrigin, fhirBase, idToken, visit } from './smart-fhir-server';

export const ACCESS_TOKEN = 'access-patient-view';

export async function launchSession(
  scopes: readonly string[],
  patientId = 'pat-ana',
  /** The launch's encounter context (SMART `encounter`), when the test needs one. */
  encounterId?: string,
): Promise<FhirSession> {
  visit('/');
  const decision = decideLaunch({
    launchUrl: `${appOrigin}/launch/?iss=${encodeURIComponent(fhirBase)}&launch=handle-pv`,
    inFrame: false,
  });
  if (decision.kind !== 'authorize') throw new Error(`expected authorize, got ${decision.kind}`);
  await FHIR.oauth2.authorize({
    ...decision.client,
    iss: fhirBase,
    launch: 'handle-pv',
    noRedirect: true,
    fakeTokenResponse: {
      access_token: ACCESS_TOKEN,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: scopes.join(' '),
      patient: patientId,
      ...(encounterId === undefined ? {} : { encounter: encounterId }),
      need_patient_banner: true,
      id_token: idToken({ fhirUser: `${fhirBase}/Practitioner/dr-adams` }),
    },
  });
  return connectFhirclientSession();
}

export function renderPatientView(session: FhirSession, patient: fhir4.Patient = defaultPatient) {
  return render(
    <FhirSessionProvider session={session}>
      <PatientView
        patient={patient}
        user={{
          kind: 'read',
          ref: { resourceType: 'Practitioner', id: 'dr-adams' },
          resource: drAdamsRecord,
        }}
        today={calendarDateOf(TODAY)}
        clock={() => new Date(TODAY.getTime() + 60_000)}
      />
    </FhirSessionProvider>,
  );
}
