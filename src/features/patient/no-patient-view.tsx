import Typography from '@mui/material/Typography';
import { FullScreenMessage } from '../../ui/full-screen-message';

export interface NoPatientViewProps {
  /** The signed-in user's display name, when known. */
  userName: string | undefined;
  /**
   * Why the panel dashboard is not shown instead: `patient-user` when a patient (or their
   * representative) is signed in, the dashboard being for staff; `no-panel-access` when the
   * launch granted no user-level read of patients' records.
   */
  reason: 'patient-user' | 'no-panel-access';
}

/** A launch without a patient in context that cannot open the panel dashboard either. */
export function NoPatientView({ userName, reason }: NoPatientViewProps) {
  const signedIn = userName ? `You're signed in as ${userName}. ` : '';
  return (
    <FullScreenMessage
      testId="no-patient"
      severity="info"
      title="No patient is open"
      summary="Open a patient's chart in your EHR to see their equity checklist."
    >
      {reason === 'patient-user' ? (
        <Typography>
          {signedIn}
          Equity Lens shows one patient&apos;s equity checklist here; the panel dashboard is for
          clinic staff. Launch it from within a patient&apos;s chart and it will open on that
          patient.
        </Typography>
      ) : (
        <Typography>
          {signedIn}
          This launch did not grant Equity Lens access to your patients&apos; records (user-level
          read of Patient), so the panel dashboard cannot open. Launch it from within a
          patient&apos;s chart, or ask your administrator to grant that access.
        </Typography>
      )}
    </FullScreenMessage>
  );
}
