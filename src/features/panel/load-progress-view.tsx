import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type {
  LoadFailure,
  LoadPhase,
  LoadReport,
  LoadStrategy,
} from '../../fhir/rest/panel-load-types';
import type { PanelSessionProgress } from '../../worker/panel-session-protocol';
import { DataTable } from '../../ui/data-table';
import type { DataColumn } from '../../ui/data-table';
import { formatInteger } from './panel-format';
import { useProgressFeed, type ProgressFeed } from './progress-feed';

export function phaseWords(phase: LoadPhase | 'evaluating'): string {
  switch (phase) {
    case 'capabilities':
      return "Reading the server's capabilities";
    case 'finding-patients':
      return "Finding the panel's patients";
    case 'exporting':
      return 'Waiting for the server to prepare a bulk export';
    case 'downloading':
      return 'Downloading records';
    case 'resolving-references':
      return 'Looking up referenced medications';
    case 'evaluating':
      return 'Computing the measures';
  }
}

export function strategyWords(strategy: LoadStrategy): string {
  switch (strategy) {
    case 'bulk-export':
      return 'Bulk Data export (Group/$export)';
    case 'multi-patient-search':
      return 'multi-patient searches';
    case 'batch':
      return 'batch searches';
    case 'per-patient':
      return 'per-patient searches';
  }
}

function fraction(progress: PanelSessionProgress): number | undefined {
  if (progress.phase === 'evaluating') {
    return progress.total > 0 ? progress.done / progress.total : undefined;
  }
  if (progress.pagesTotal !== undefined && progress.pagesTotal > 0) {
    return Math.min(1, progress.pagesDone / progress.pagesTotal);
  }
  return undefined;
}

export interface LoadProgressViewProps {
  /** Undefined before the first progress message arrives. */
  progress: PanelSessionProgress | undefined;
  sourceDescription: string;
  onCancel: () => void;
}

/** Determinate progress of a panel load (pages done / total where known) with a Cancel button. */
export function LoadProgressView({ progress, sourceDescription, onCancel }: LoadProgressViewProps) {
  const titleId = useId();
  const share = progress ? fraction(progress) : undefined;
  const phase = progress ? phaseWords(progress.phase) : 'Starting';
  return (
    <Card
      variant="outlined"
      component="section"
      aria-labelledby={titleId}
      data-testid="panel-load-progress"
    >
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Box
          sx={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 2,
            flexWrap: 'wrap',
          }}
        >
          <Box>
            <Typography id={titleId} variant="h6" component="h2">
              Loading {sourceDescription}
            </Typography>
            <Typography role="status" color="text.secondary">
              {phase}
              {progress && progress.phase !== 'evaluating' && progress.strategy
                ? ` using ${strategyWords(progress.strategy)}`
                : ''}
              …
            </Typography>
          </Box>
          <Button variant="outlined" color="inherit" onClick={onCancel}>
            Cancel
          </Button>
        </Box>
        <LinearProgress
          variant={share === undefined ? 'indeterminate' : 'determinate'}
          value={share === undefined ? undefined : Math.round(share * 100)}
          aria-label={`Loading progress: ${phase}`}
        />
        {progress ? (
          <Box
            component="dl"
            sx={{
              m: 0,
              display: 'grid',
              gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))',
              gap: 1,
              '& dt': { color: 'text.secondary', fontSize: '0.8rem' },
              '& dd': { m: 0, fontWeight: 600 },
            }}
            data-testid="panel-load-counts"
          >
            {progress.phase === 'evaluating' ? (
              <div>
                <dt>Patients computed</dt>
                <dd>
                  {formatInteger(progress.done)} of {formatInteger(progress.total)}
                </dd>
              </div>
            ) : (
              <>
                <div>
                  <dt>Patients found</dt>
                  <dd>{formatInteger(progress.patientsFound)}</dd>
                </div>
                <div>
                  <dt>Resources</dt>
                  <dd>{formatInteger(progress.resources)}</dd>
                </div>
                <div>
                  <dt>Pages</dt>
                  <dd>
                    {formatInteger(progress.pagesDone)}
                    {progress.pagesTotal !== undefined
                      ? ` of ${formatInteger(progress.pagesTotal)}`
                      : ' (total not known yet)'}
                  </dd>
                </div>
                <div>
                  <dt>Requests</dt>
                  <dd>{formatInteger(progress.requests)}</dd>
                </div>
              </>
            )}
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
}

export interface LiveLoadProgressViewProps {
  feed: ProgressFeed<PanelSessionProgress>;
  sourceDescription: string;
  onCancel: () => void;
}

/** The progress card fed by a throttled feed: only this card re-renders as progress arrives. */
export function LiveLoadProgressView({
  feed,
  sourceDescription,
  onCancel,
}: LiveLoadProgressViewProps) {
  const progress = useProgressFeed(feed);
  return (
    <LoadProgressView
      progress={progress}
      sourceDescription={sourceDescription}
      onCancel={onCancel}
    />
  );
}

const failureColumns: DataColumn<LoadFailure>[] = [
  {
    id: 'type',
    header: 'Resource type',
    text: (f) => f.resourceType,
    sortValue: (f) => f.resourceType,
  },
  { id: 'query', header: 'Query', text: (f) => f.query },
  {
    id: 'status',
    header: 'Status',
    text: (f) => (f.status === undefined ? 'Network error' : String(f.status)),
    sortValue: (f) => f.status,
  },
  { id: 'message', header: 'Message', text: (f) => f.message },
];

export interface LoadReportViewProps {
  report: LoadReport;
  panelSize: number;
}

/**
 * After a load: how it went (strategy, requests, pages), what could not be loaded, and the
 * partial-data warning that every rate on the page repeats.
 */
export function LoadReportView({ report, panelSize }: LoadReportViewProps) {
  const summary = `${formatInteger(panelSize)} patients from ${report.source.description}, loaded with ${strategyWords(report.strategy)}: ${formatInteger(report.requests)} requests, ${formatInteger(report.pages)} pages, ${formatInteger(report.resources)} resources.`;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} data-testid="panel-load-report">
      <Typography variant="body2" color="text.secondary" data-testid="panel-load-summary">
        {summary}
      </Typography>
      {report.capped ? (
        <Alert severity="warning" data-testid="panel-capped">
          Only the first {formatInteger(report.capped.cap)} patients the server returned were
          loaded; the server has more. Rates describe those patients, not the whole population:
          raise the limit under &ldquo;Panel&rdquo; to load more.
        </Alert>
      ) : null}
      {report.partial || report.failures.length > 0 ? (
        <Alert severity="warning" data-testid="panel-partial">
          <Typography sx={{ fontWeight: 600 }}>
            Some data could not be loaded: rates are computed on partial data.
          </Typography>
          <Typography variant="body2">
            {report.failures.length} {report.failures.length === 1 ? 'query' : 'queries'} failed.
            Rates that depend on them may be too low or too high; they are marked &ldquo;Rates on
            partial data&rdquo;.
          </Typography>
        </Alert>
      ) : null}
      {report.failures.length > 0 ? (
        <details>
          <summary>
            <Typography component="span" variant="body2">
              What could not be loaded ({report.failures.length})
            </Typography>
          </summary>
          <Box sx={{ mt: 1 }}>
            <DataTable
              caption="Queries that failed while loading the panel"
              columns={failureColumns}
              rows={report.failures}
              rowKey={(f) => `${f.resourceType}|${f.query}|${f.status ?? 'network'}`}
              csv={{ filename: 'panel-load-failures.csv' }}
              testId="panel-load-failures"
            />
          </Box>
        </details>
      ) : null}
      {report.strategyNotes.length > 0 ? (
        <details>
          <summary>
            <Typography component="span" variant="body2">
              Why {strategyWords(report.strategy)}
            </Typography>
          </summary>
          <Box component="ul" sx={{ mt: 0.5, mb: 0, pl: 3 }}>
            {report.strategyNotes.map((note) => (
              <Typography component="li" variant="body2" key={note}>
                {note}
              </Typography>
            ))}
          </Box>
        </details>
      ) : null}
    </Box>
  );
}
