import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useMemo } from 'react';
import { useFhirSession } from '../../fhir/fhir-session-context';
import type { SdohStateOptions } from '../../sdoh/domain-states';
import { LoadStateView } from '../../ui/load-state-view';
import { formatHumanName } from './human-name';
import { PatientBanner, PatientContextLine } from './patient-banner';
import { PatientChecklist } from './patient-checklist';
import type { CalendarDate } from './patient-demographics';
import { formatCalendarDate } from './patient-demographics';
import { PatientNotFoundView } from './patient-not-found';
import type { SignedInUser } from './read-launch-context';
import { usePatientChecklist } from './use-patient-checklist';

export interface PatientViewProps {
  patient: fhir4.Patient;
  user: SignedInUser;
  today: CalendarDate;
  /** The state table's windows (stale after, "day N of", decline silence); defaults per sdoh.md §4. */
  sdohOptions?: SdohStateOptions;
  /** The clock writes are stamped with; by default the system clock. */
  clock?: () => Date;
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

/** The referring clinician for write-back: the SMART fhirUser, with a display when it was read. */
function requesterOf(user: SignedInUser, today: string): fhir4.Reference {
  switch (user.kind) {
    case 'read': {
      const display = formatHumanName(user.resource.name, today, { withPrefix: true });
      return {
        reference: `${user.ref.resourceType}/${user.ref.id}`,
        ...(display === undefined ? {} : { display }),
      };
    }
    case 'unreadable':
      return { reference: `${user.ref.resourceType}/${user.ref.id}` };
    case 'not-identified':
      return { display: 'Clinician (not identified in this launch)' };
  }
}

/**
 * The patient view: the banner (or a compact line when the EHR shows its own), then the
 * checklist: social needs with prompts, care gaps, demographics (issue 8).
 */
export function PatientView({ patient, user, today, sdohOptions, clock }: PatientViewProps) {
  const session = useFhirSession();
  const day = formatCalendarDate(today);
  const patientId = session.patientId ?? patient.id ?? '';
  const checklist = usePatientChecklist(session, patientId, day);
  const requester = useMemo(() => requesterOf(user, day), [user, day]);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      {session.needPatientBanner ? (
        <PatientBanner patient={patient} today={today} />
      ) : (
        <PatientContextLine patient={patient} today={today} />
      )}
      <UserRecordNote user={user} />
      <LoadStateView
        state={checklist.state}
        loadingLabel="Reading the patient's record…"
        renderError={(failure) =>
          failure.kind === 'patient-not-found' ? (
            <PatientNotFoundView patientId={failure.patientId} />
          ) : (
            <Alert
              severity="error"
              data-testid="checklist-error"
              action={
                failure.kind === 'expired' ? undefined : (
                  <Button color="inherit" size="small" onClick={checklist.retry}>
                    Retry
                  </Button>
                )
              }
            >
              {failure.kind === 'expired'
                ? 'Your EHR session has ended — relaunch the app from your EHR.'
                : failure.kind === 'forbidden'
                  ? "The access granted to this launch doesn't include this patient's record."
                  : "The patient's record could not be read from the EHR."}
            </Alert>
          )
        }
      >
        {(value) => (
          <PatientChecklist
            session={session}
            checklist={value}
            today={day}
            requester={requester}
            patientName={formatHumanName(patient.name, day)}
            refreshing={checklist.refreshing}
            refreshError={checklist.refreshError}
            onRefresh={checklist.refreshReferrals}
            {...(sdohOptions === undefined ? {} : { sdohOptions })}
            {...(clock === undefined ? {} : { clock })}
          />
        )}
      </LoadStateView>
    </Box>
  );
}
