// The practice manager's panel dashboard (issue 7). PLACEHOLDER: the UI helper replaces the body;
// the props are the contract with src/app.
import Typography from '@mui/material/Typography';
import type { FhirUserRef } from '../../fhir/fhir-session';
import type { CalendarDate } from '../patient/patient-demographics';

export interface PanelDashboardProps {
  /** The signed-in user; "my patients" and "seen by me" need a Practitioner. */
  user: FhirUserRef | undefined;
  /** Today, from the app's clock: default measurement period and ages. */
  today: CalendarDate;
  /**
   * Opens one patient's view inside the app (drill-down "open chart"); undefined when the token
   * cannot read other patients' charts.
   */
  onOpenPatient?: (patientId: string) => void;
}

export function PanelDashboard({ user }: PanelDashboardProps) {
  return <Typography>Panel dashboard for {user?.id ?? 'unknown user'} is being built.</Typography>;
}
