import Typography from '@mui/material/Typography';
import { FullScreenMessage } from '../../ui/full-screen-message';

export interface NoPatientViewProps {
  /** The signed-in user's display name, when known. */
  userName: string | undefined;
}

/** A launch without a patient in context (e.g. from a practitioner's schedule or inbox). */
export function NoPatientView({ userName }: NoPatientViewProps) {
  return (
    <FullScreenMessage
      testId="no-patient"
      severity="info"
      title="No patient is open"
      summary="Open a patient's chart in your EHR to see their equity checklist."
    >
      <Typography>
        {userName ? `You're signed in as ${userName}. ` : ''}
        Equity Lens works on one patient at a time here; launch it from within a patient's chart and
        it will open on that patient.
      </Typography>
    </FullScreenMessage>
  );
}
