import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { SdohDomain } from '../../clinical/sdoh-screening';
import type { SdohDomainStatus } from '../../sdoh/domain-states';
import { StatusChip } from '../../ui/status-chip';
import { describeDomainState } from './domain-state-text';

export interface SocialNeedsStripProps {
  statuses: readonly SdohDomainStatus[];
  /** "Offer again" on a domain whose patient declined help; undefined hides the link. */
  onOfferAgain: ((domain: SdohDomain) => void) | undefined;
}

function DomainTile({
  status,
  onOfferAgain,
}: {
  status: SdohDomainStatus;
  onOfferAgain: SocialNeedsStripProps['onOfferAgain'];
}) {
  const [revealed, setRevealed] = useState(false);
  const text = describeDomainState(status.state);
  // Interpersonal safety: the state shows, the details wait for a click (sdoh.md §4).
  const hidden = status.sensitive && !revealed && status.state.kind !== 'not-screened';
  const headingId = `sdoh-domain-${status.domain}`;
  return (
    <Paper
      component="li"
      variant="outlined"
      aria-labelledby={headingId}
      data-testid={`sdoh-domain-${status.domain}`}
      data-state={status.state.kind}
      sx={{ p: 1.25, display: 'flex', flexDirection: 'column', gap: 0.5, listStyle: 'none' }}
    >
      <Typography id={headingId} variant="subtitle2" component="h3">
        {status.label}
      </Typography>
      <Box>
        <StatusChip tone={text.tone} testId={`sdoh-state-${status.domain}`}>
          {text.headline}
        </StatusChip>
      </Box>
      {hidden ? (
        <Button
          size="small"
          sx={{ alignSelf: 'flex-start', p: 0, minWidth: 0 }}
          onClick={() => setRevealed(true)}
          aria-label={`Show details: ${status.label.toLowerCase()}`}
        >
          Show details
        </Button>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {text.detail}
        </Typography>
      )}
      {status.state.kind === 'declined-help' && onOfferAgain ? (
        <Button
          size="small"
          sx={{ alignSelf: 'flex-start', p: 0, minWidth: 0 }}
          onClick={() => onOfferAgain(status.domain)}
        >
          Offer again
        </Button>
      ) : null}
    </Paper>
  );
}

/** The quiet, always-visible strip: one tile per domain, in one state of the table each. */
export function SocialNeedsStrip({ statuses, onOfferAgain }: SocialNeedsStripProps) {
  return (
    <Box
      component="ul"
      aria-label="Social needs by domain"
      sx={{
        m: 0,
        p: 0,
        display: 'grid',
        gap: 1,
        gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
      }}
    >
      {statuses.map((status) => (
        <DomainTile key={status.domain} status={status} onOfferAgain={onOfferAgain} />
      ))}
    </Box>
  );
}
