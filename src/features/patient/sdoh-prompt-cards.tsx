import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { SdohDomain } from '../../clinical/sdoh-screening';
import type { CdsIndicator, SdohPrompt } from '../../sdoh/prompts';
import type { StatusTone } from '../../ui/status-chip';
import { StatusChip } from '../../ui/status-chip';
import type { WriteAccess } from './write-back';
import { describeReadOnly } from './write-back';

const INDICATOR: Readonly<Record<CdsIndicator, { label: string; tone: StatusTone }>> = {
  critical: { label: 'Urgent', tone: 'error' },
  warning: { label: 'Needs action', tone: 'warning' },
  info: { label: 'Suggestion', tone: 'info' },
};

/** The outcome of a one-click action (decline, screen now) on a card. */
export type CardAction =
  { kind: 'sending' } | { kind: 'failed'; message: string } | { kind: 'done'; message: string };

export interface PromptAccess {
  referral: WriteAccess;
  decline: WriteAccess;
  screen: WriteAccess;
}

export interface SdohPromptCardsProps {
  prompts: readonly SdohPrompt[];
  access: PromptAccess;
  actions: Readonly<Record<string, CardAction>>;
  onRefer: (domain: SdohDomain) => void;
  onDecline: (prompt: SdohPrompt) => void;
  onScreen: (prompt: SdohPrompt) => void;
  /** "Not now" with one of the card's CDS Hooks override reasons: hides it for this visit. */
  onDismiss: (prompt: SdohPrompt, reason: fhir4.Coding) => void;
}

/** The card's markdown detail as plain lines (bullets become list items). */
function DetailLines({ detail }: { detail: string }) {
  const lines = detail.split('\n').map((line) => line.replace(/\*\*/g, ''));
  return (
    <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
      {lines.map((line, index) => {
        const nested = line.startsWith('  - ');
        const text = line.replace(/^\s*-\s+/, '');
        return (
          <Typography
            component="li"
            variant="body2"
            key={`${index}-${text}`}
            sx={{
              ml: nested ? 2 : 0,
              listStyle: line.trimStart().startsWith('-') ? 'disc' : 'none',
            }}
          >
            {text}
          </Typography>
        );
      })}
    </Box>
  );
}

function PromptCard({
  prompt,
  access,
  action,
  onRefer,
  onDecline,
  onScreen,
  onDismiss,
}: {
  prompt: SdohPrompt;
  access: PromptAccess;
  action: CardAction | undefined;
  onRefer: (domain: SdohDomain) => void;
  onDecline: (prompt: SdohPrompt) => void;
  onScreen: (prompt: SdohPrompt) => void;
  onDismiss: (prompt: SdohPrompt, reason: fhir4.Coding) => void;
}) {
  const [revealed, setRevealed] = useState(!prompt.sensitive);
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  // "Patient declines help" has its own button (it is recorded as data); the others only hide.
  const reasons = prompt.card.overrideReasons.filter((r) => r.code !== 'patient-refuses');
  const { card } = prompt;
  const indicator = INDICATOR[card.indicator];
  const domain = prompt.domains[0];
  const titleId = `prompt-${prompt.key}`;
  const busy = action?.kind === 'sending' || action?.kind === 'done';
  const canDecline = prompt.kind !== 'screening-due' && prompt.kind !== 'stalled-referral';
  const readOnly = [
    ...(prompt.kind === 'screening-due' ? [access.screen] : [access.referral]),
    ...(canDecline ? [access.decline] : []),
  ].find((a): a is Extract<WriteAccess, { kind: 'read-only' }> => a.kind === 'read-only');
  return (
    <Card
      component="article"
      variant="outlined"
      aria-labelledby={titleId}
      data-testid="sdoh-prompt"
      data-kind={prompt.kind}
      data-domains={prompt.domains.join(' ')}
      data-indicator={card.indicator}
    >
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 0.75, pb: 1 }}>
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <StatusChip tone={indicator.tone}>{indicator.label}</StatusChip>
          <Typography id={titleId} component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
            {card.summary}
          </Typography>
        </Box>
        {revealed ? (
          <DetailLines detail={card.detail} />
        ) : (
          <Button size="small" sx={{ alignSelf: 'flex-start' }} onClick={() => setRevealed(true)}>
            Show details
          </Button>
        )}
        <Typography variant="caption" color="text.secondary">
          {card.source.label}
        </Typography>
        {readOnly ? (
          <Typography variant="body2" color="text.secondary" data-testid="prompt-read-only">
            Read-only: {describeReadOnly(readOnly.reason)}
          </Typography>
        ) : null}
        {action?.kind === 'failed' ? (
          <Alert severity="error">{action.message}</Alert>
        ) : action?.kind === 'done' ? (
          <Alert severity="success">{action.message}</Alert>
        ) : null}
      </CardContent>
      <CardActions sx={{ flexWrap: 'wrap', gap: 1, px: 2, pb: 2 }}>
        {prompt.kind === 'screening-due' ? (
          access.screen.kind === 'writable' ? (
            <Button
              variant="contained"
              size="small"
              disabled={busy}
              onClick={() => onScreen(prompt)}
            >
              {card.suggestions[0]?.label ?? 'Screen now'}
            </Button>
          ) : null
        ) : domain !== undefined ? (
          <Button variant="contained" size="small" onClick={() => onRefer(domain)}>
            {access.referral.kind === 'writable' ? 'Refer…' : 'Referral text…'}
          </Button>
        ) : null}
        {canDecline && access.decline.kind === 'writable' ? (
          <Button size="small" disabled={busy} onClick={() => onDecline(prompt)}>
            Patient declines help
          </Button>
        ) : null}
        {reasons.length > 0 ? (
          <>
            <Button
              size="small"
              aria-haspopup="menu"
              aria-expanded={menu !== null}
              onClick={(event) => setMenu(event.currentTarget)}
            >
              Not now…
            </Button>
            <Menu anchorEl={menu} open={menu !== null} onClose={() => setMenu(null)}>
              {reasons.map((reason) => (
                <MenuItem
                  key={reason.code}
                  onClick={() => {
                    setMenu(null);
                    onDismiss(prompt, reason);
                  }}
                >
                  {reason.display ?? reason.code}
                </MenuItem>
              ))}
            </Menu>
          </>
        ) : null}
      </CardActions>
    </Card>
  );
}

/** Up to three CDS-Hooks-shaped cards, most urgent first (src/sdoh/prompts.ts decides). */
export function SdohPromptCards(props: SdohPromptCardsProps) {
  if (props.prompts.length === 0) {
    return (
      <Typography color="text.secondary" data-testid="no-prompts">
        No social-needs action is due for this patient.
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      {props.prompts.map((prompt) => (
        <PromptCard
          key={prompt.key}
          prompt={prompt}
          access={props.access}
          action={props.actions[prompt.key]}
          onRefer={props.onRefer}
          onDecline={props.onDecline}
          onScreen={props.onScreen}
          onDismiss={props.onDismiss}
        />
      ))}
    </Box>
  );
}
