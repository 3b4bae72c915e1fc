import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { StatusTone } from '../../ui/status-chip';
import { StatusChip } from '../../ui/status-chip';
import type { CareGap, GapStatus } from './care-gaps';
import type { DataSource } from './load-patient-data';
import type { CareGapsState } from './patient-prefetch';

const STATUS: Readonly<Record<GapStatus, { label: string; tone: StatusTone }>> = {
  met: { label: 'Met', tone: 'success' },
  'not-met': { label: 'Not met', tone: 'error' },
  excluded: { label: 'Excluded', tone: 'neutral' },
};

/**
 * What each care-gap source is read for, to say what a measure cannot see when the EHR does not
 * keep that type at all. DeviceRequest: the Advanced Illness and Frailty exclusion of CMS122,
 * CMS125, CMS130 and CMS165 counts a "Frailty Device" order (VSAC 2.16.840.1.113883.3.464.1003.118.12.1300).
 */
const NOT_OFFERED_NOTES: Readonly<Record<DataSource, string>> = {
  observations: 'Observations (lab results, vital signs, screenings) are not kept by this EHR.',
  'questionnaire-responses': 'Questionnaire responses are not kept by this EHR.',
  conditions: 'Conditions (diagnoses behind the measure exclusions) are not kept by this EHR.',
  encounters: 'Encounters are not kept by this EHR.',
  procedures: 'Procedures (screening tests, hospice and palliative care) are not kept by this EHR.',
  'service-requests':
    'Service requests (hospice and palliative care orders) are not kept by this EHR.',
  coverage: 'Coverage (payer) records are not kept by this EHR.',
  'medication-requests':
    'Medication orders (dementia medicines behind the frailty exclusion) are not kept by this EHR.',
  'device-requests':
    'Device orders are not available from this EHR, so a frailty exclusion based on an ordered device (e.g. a wheelchair or oxygen) is not seen; one recorded as equipment in use still counts.',
  tasks: 'Tasks are not kept by this EHR.',
};

function Gap({ gap }: { gap: CareGap }) {
  const status = STATUS[gap.status];
  const titleId = `care-gap-${gap.measureId}`;
  return (
    <Box
      component="li"
      aria-labelledby={titleId}
      data-testid={`care-gap-${gap.measureId}`}
      data-status={gap.status}
      sx={{ listStyle: 'none', py: 1, borderBottom: 1, borderColor: 'divider' }}
    >
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography id={titleId} component="h3" variant="subtitle2">
          {gap.title}
        </Typography>
        <StatusChip tone={status.tone}>{status.label}</StatusChip>
      </Box>
      <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
        {gap.evidence.map((line) => (
          <Typography component="li" variant="body2" key={line}>
            {line}
          </Typography>
        ))}
      </Box>
      {gap.status === 'met' ? null : (
        <Typography variant="body2" sx={{ fontWeight: gap.status === 'not-met' ? 500 : 400 }}>
          {gap.status === 'not-met' ? 'To close the gap: ' : ''}
          {gap.action}
        </Typography>
      )}
      <Typography variant="caption" color="text.secondary">
        {gap.source}
      </Typography>
    </Box>
  );
}

export function CareGapsSection({
  state,
  missing,
  notOffered = [],
}: {
  state: CareGapsState;
  /** Sources the measures read that this EHR did not provide. */
  missing: readonly string[];
  /** Sources this EHR does not keep at all (its CapabilityStatement does not offer the type). */
  notOffered?: readonly DataSource[];
}) {
  if (state.status === 'error') {
    return (
      <Alert severity="info" data-testid="care-gaps-unavailable">
        {state.message}
      </Alert>
    );
  }
  const result = state.value;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="body2" color="text.secondary">
        Measurement period {result.period.start} to {result.period.end}.
      </Typography>
      {missing.length > 0 ? (
        <Alert severity="warning" data-testid="care-gaps-partial">
          Evaluated without {missing.join(', ')} (not available from this EHR): a gap shown as open
          may be closed by data Equity Lens could not read.
        </Alert>
      ) : null}
      {notOffered.length > 0 ? (
        <Typography variant="body2" color="text.secondary" data-testid="care-gaps-not-offered">
          {notOffered.map((source) => NOT_OFFERED_NOTES[source]).join(' ')}
        </Typography>
      ) : null}
      {result.kind === 'not-in-any-measure' ? (
        <Typography data-testid="care-gaps-none">
          The patient is not in any of the measures this year.
        </Typography>
      ) : (
        <Box component="ul" aria-label="Care gaps" sx={{ m: 0, p: 0 }}>
          {result.gaps.map((gap) => (
            <Gap key={gap.measureId} gap={gap} />
          ))}
        </Box>
      )}
    </Box>
  );
}
