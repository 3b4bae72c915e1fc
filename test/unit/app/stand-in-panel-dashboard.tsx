// A light panel dashboard with the real one's props contract, for tests of the app's wiring
// (routing, history, drill-down). It keeps a counter in state so a test can tell whether the
// dashboard stayed mounted while another screen was shown.
import { useState } from 'react';
import type { PanelDashboardProps } from '../../../src/features/panel/panel-dashboard';
import { formatCalendarDate } from '../../../src/features/patient/patient-demographics';

/** The patient the stand-in's "Open chart" drills down to. */
export const drillDownPatientId = 'pat-ben';

export function StandInPanelDashboard({ user, today, onOpenPatient }: PanelDashboardProps) {
  const [count, setCount] = useState(0);
  return (
    <section data-testid="panel-dashboard" aria-labelledby="stand-in-panel-title">
      <h1 id="stand-in-panel-title">Panel dashboard</h1>
      <p data-testid="panel-user">{user ? `${user.resourceType}/${user.id}` : 'no user'}</p>
      <p data-testid="panel-today">{formatCalendarDate(today)}</p>
      <button type="button" onClick={() => setCount(count + 1)}>
        Clicked {count} times
      </button>
      {onOpenPatient ? (
        <button type="button" onClick={() => onOpenPatient(drillDownPatientId)}>
          Open chart
        </button>
      ) : null}
    </section>
  );
}
