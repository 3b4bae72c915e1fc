import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { StatusTone } from '../../ui/status-chip';
import { StatusChip } from '../../ui/status-chip';
import type { DemographicItem, DemographicStatus } from './demographic-items';
import { DEMOGRAPHIC_STATUS_LABELS } from './demographic-items';

const TONES: Readonly<Record<DemographicStatus, StatusTone>> = {
  recorded: 'success',
  'asked-declined': 'neutral',
  unknown: 'warning',
  'not-collected': 'neutral',
};

function Row({ item }: { item: DemographicItem }) {
  return (
    <Box
      component="li"
      data-testid={`demographic-${item.key}`}
      data-status={item.status}
      sx={{
        listStyle: 'none',
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: '180px 1fr' },
        gap: 1,
        py: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Typography component="h3" variant="subtitle2">
        {item.label}
      </Typography>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <StatusChip tone={TONES[item.status]}>
            {DEMOGRAPHIC_STATUS_LABELS[item.status]}
          </StatusChip>
          {item.value !== undefined ? <Typography>{item.value}</Typography> : null}
          {item.detail !== undefined ? (
            <Typography variant="body2" color="text.secondary">
              ({item.detail})
            </Typography>
          ) : null}
        </Box>
        {item.status === 'not-collected' || item.status === 'unknown' ? (
          // A quiet prompt; a declined answer is respected and never prompted again.
          <Typography variant="body2" color="text.secondary">
            Ask the patient, if they wish to share it.
          </Typography>
        ) : null}
        {item.notes.map((note) => (
          <Typography key={note} variant="body2" color="text.secondary">
            Data quality: {note}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

/** Race, ethnicity, language, interpreter, sex, gender identity, sexual orientation, with gaps. */
export function DemographicsSection({ items }: { items: readonly DemographicItem[] }) {
  return (
    <Box component="ul" aria-label="Demographics" sx={{ m: 0, p: 0 }}>
      {items.map((item) => (
        <Row key={item.key} item={item} />
      ))}
    </Box>
  );
}
