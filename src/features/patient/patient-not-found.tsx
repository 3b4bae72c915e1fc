import Typography from '@mui/material/Typography';
import type { SessionFailure } from '../../fhir/session-failure';
import { FullScreenMessage } from '../../ui/full-screen-message';

/**
 * Whether a failure reading `Patient/<id>` means the patient does not exist (404), not that the
 * server is unwell: the app says so instead of "try again in a moment".
 */
export function isPatientNotFound(failure: SessionFailure): boolean {
  return failure.kind === 'server' && failure.status === 404;
}

/** The patient id in context does not exist on the FHIR server. */
export function PatientNotFoundView({ patientId }: { patientId: string | undefined }) {
  return (
    <FullScreenMessage
      testId="patient-not-found"
      severity="warning"
      title="Patient not found"
      summary={
        patientId === undefined
          ? 'The EHR named a patient that its FHIR server does not have.'
          : `The EHR's FHIR server has no patient with the id "${patientId}".`
      }
    >
      <Typography>
        Trying again will not help: the record may have been merged, deleted or never shared with
        this server. Open the patient&apos;s chart again from your EHR, or check the patient id with
        your EHR support team.
      </Typography>
    </FullScreenMessage>
  );
}
