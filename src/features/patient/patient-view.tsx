import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useFhirSession } from '../../fhir/fhir-session-context';
import { PatientBanner, PatientContextLine } from './patient-banner';
import type { CalendarDate } from './patient-demographics';
import type { SignedInUser } from './read-launch-context';

export interface PatientViewProps {
  patient: fhir4.Patient;
  user: SignedInUser;
  today: CalendarDate;
}

/** Says why the signed-in user's own record is missing, when that is worth saying. */
export function UserRecordNote({ user }: { user: SignedInUser }) {
  if (user.kind !== 'unreadable') return null;
  const reference = `${user.ref.resourceType}/${user.ref.id}`;
  return (
    <Alert severity="info" data-testid="user-record-note">
      {user.reason === 'forbidden'
        ? `Your user record (${reference}) isn't shared with Equity Lens in this launch, so your name isn't shown. Everything else works as usual.`
        : `Your user record (${reference}) wasn't found on the FHIR server, so your name isn't shown.`}
    </Alert>
  );
}

/** The patient view: the banner (or a compact line when the EHR shows its own), then content. */
export function PatientView({ patient, user, today }: PatientViewProps) {
  const session = useFhirSession();
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      {session.needPatientBanner ? (
        <PatientBanner patient={patient} today={today} />
      ) : (
        <PatientContextLine patient={patient} today={today} />
      )}
      <UserRecordNote user={user} />
      <Card variant="outlined" component="section" aria-labelledby="equity-checklist-title">
        <CardContent>
          <Typography id="equity-checklist-title" variant="h6" component="h2" gutterBottom>
            Equity checklist
          </Typography>
          <Typography color="text.secondary">
            Social-needs screening, referral prompts and care-gap checks for this patient will
            appear here.
          </Typography>
        </CardContent>
      </Card>
    </Box>
  );
}
