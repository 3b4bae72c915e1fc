import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useId } from 'react';
import type { DrillDownRow, DrillDownView } from '../../analysis/panel-view-model';
import { DataTable } from '../../ui/data-table';
import type { DataColumn } from '../../ui/data-table';
import { fileSlug } from '../../ui/download';
import type { LoadState } from '../../ui/load-state';
import { LoadStateView } from '../../ui/load-state-view';
import { formatInteger } from './panel-format';

/** The first line of every exported patient list. */
export const PHI_NOTICE =
  'CONTAINS PHI: this list names patients. Keep it inside your organisation and delete it when the outreach is done.';

export interface DrillDownDialogProps {
  title: string;
  state: LoadState<DrillDownView, string>;
  onClose: () => void;
  onRetry: () => void;
  /** Opens a patient's chart in the app; undefined when the launch cannot. */
  onOpenPatient: ((patientId: string) => void) | undefined;
}

function evidenceText(row: DrillDownRow): string {
  if (!row.evidence) return 'None recorded';
  return `${row.evidence.label}: ${row.evidence.value}`;
}

export function drillDownColumns(
  onOpenPatient: ((patientId: string) => void) | undefined,
): DataColumn<DrillDownRow>[] {
  return [
    { id: 'name', header: 'Name', text: (r) => r.name, sortValue: (r) => r.name, rowHeader: true },
    {
      id: 'mrn',
      header: 'MRN',
      text: (r) => r.mrn ?? 'Not recorded',
      sortValue: (r) => r.mrn,
    },
    {
      id: 'birth-date',
      header: 'Birth date',
      text: (r) => r.birthDate ?? 'Not recorded',
      sortValue: (r) => r.birthDate,
    },
    {
      id: 'stratum',
      header: 'Group',
      text: (r) => r.stratumLabel,
      sortValue: (r) => r.stratumLabel,
    },
    { id: 'reason', header: 'Reason', text: (r) => r.reason, sortValue: (r) => r.reason },
    { id: 'evidence', header: 'Deciding evidence', text: evidenceText, sortValue: evidenceText },
    {
      id: 'evidence-date',
      header: 'Evidence date',
      text: (r) => r.evidence?.date ?? '',
      sortValue: (r) => r.evidence?.date,
    },
    ...(onOpenPatient
      ? [
          {
            id: 'open',
            header: 'Chart',
            exported: false,
            text: () => '',
            render: (r: DrillDownRow) => (
              <Button
                size="small"
                aria-label={`Open chart: ${r.name}`}
                onClick={() => onOpenPatient(r.patientId)}
              >
                Open chart
              </Button>
            ),
          } satisfies DataColumn<DrillDownRow>,
        ]
      : []),
  ];
}

/** A patient list for outreach (never in presentation mode): sortable, exportable, with PHI notice. */
export function DrillDownDialog({
  title,
  state,
  onClose,
  onRetry,
  onOpenPatient,
}: DrillDownDialogProps) {
  const titleId = useId();
  const narrow = useMediaQuery('(max-width:700px)');
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="lg"
      fullScreen={narrow}
      data-testid="drill-down"
    >
      <DialogTitle id={titleId} component="h2">
        {title}
      </DialogTitle>
      <DialogContent dividers>
        <LoadStateView
          state={state}
          loadingLabel="Finding the patients…"
          renderError={(message) => (
            <Alert
              severity="error"
              action={
                <Button color="inherit" size="small" onClick={onRetry}>
                  Retry
                </Button>
              }
            >
              {message}
            </Alert>
          )}
        >
          {(view) => (
            <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
              <Alert severity="info" role="note">
                {formatInteger(view.rows.length)} {view.rows.length === 1 ? 'patient' : 'patients'}.
                This list names patients: the CSV says so on its first line. Share it only as your
                privacy policy allows.
              </Alert>
              <DataTable
                caption={view.title}
                columns={drillDownColumns(onOpenPatient)}
                rows={view.rows}
                rowKey={(r) => r.patientId}
                initialSort={{ columnId: 'name', direction: 'asc' }}
                csv={{
                  filename: `${fileSlug(view.title)}-patients-phi.csv`,
                  preamble: [[PHI_NOTICE]],
                }}
                emptyText="No patients in this group."
                testId="drill-down-table"
              />
            </Box>
          )}
        </LoadStateView>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
