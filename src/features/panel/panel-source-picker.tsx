import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { FhirUserRef } from '../../fhir/fhir-session';
import { formatInteger } from './panel-format';
import { sourceAvailable, sourceLabel } from './panel-source';
import { ALL_PATIENTS_CAPS, DEFAULT_ALL_PATIENTS_CAP } from './panel-url-state';
import type { SourceChoice } from './panel-url-state';

const KINDS: readonly SourceChoice['kind'][] = [
  'my-patients',
  'seen-by-me',
  'group',
  'list',
  'all',
];

const fhirId = /^[A-Za-z0-9\-.]{1,64}$/;

export interface PanelSourcePickerProps {
  user: FhirUserRef | undefined;
  /** The source of the panel on screen (or asked for). */
  current: SourceChoice;
  /** Kinds to leave out (e.g. the one that just found nobody). */
  onLoad: (choice: SourceChoice) => void;
  /** Disables the form while a load runs. */
  busy: boolean;
}

function withKind(kind: SourceChoice['kind'], previous: SourceChoice): SourceChoice {
  switch (kind) {
    case 'my-patients':
    case 'seen-by-me':
      return { kind };
    case 'group':
      return { kind, groupId: previous.kind === 'group' ? previous.groupId : undefined };
    case 'list':
      return { kind, listId: previous.kind === 'list' ? previous.listId : undefined };
    case 'all':
      return { kind, cap: previous.kind === 'all' ? previous.cap : DEFAULT_ALL_PATIENTS_CAP };
  }
}

/**
 * Which patients make the panel: my patients, patients I saw, a Group, a List, or everyone the
 * token can see (with a cap and a warning). Ids typed here go into the URL only as FHIR ids of a
 * Group or List (they name a panel, not a person).
 */
export function PanelSourcePicker({ user, current, onLoad, busy }: PanelSourcePickerProps) {
  const labelId = useId();
  const [draft, setDraft] = useState<SourceChoice>(current);
  const [idText, setIdText] = useState(
    current.kind === 'group'
      ? (current.groupId ?? '')
      : current.kind === 'list'
        ? (current.listId ?? '')
        : '',
  );
  const [error, setError] = useState<string | undefined>(undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.kind === 'group' || draft.kind === 'list') {
      const id = idText.trim();
      if (!fhirId.test(id)) {
        setError(
          `Enter the ${draft.kind === 'group' ? 'Group' : 'List'} id (letters, digits, "-" and ".").`,
        );
        return;
      }
      setError(undefined);
      onLoad(
        draft.kind === 'group' ? { kind: 'group', groupId: id } : { kind: 'list', listId: id },
      );
      return;
    }
    setError(undefined);
    onLoad(draft);
  };

  return (
    <Box
      component="form"
      onSubmit={submit}
      aria-labelledby={labelId}
      data-testid="panel-source-picker"
      sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}
    >
      <FormControl component="fieldset" disabled={busy}>
        <FormLabel component="legend" id={labelId}>
          Which patients make the panel
        </FormLabel>
        <RadioGroup
          aria-labelledby={labelId}
          value={draft.kind}
          onChange={(_, value) => {
            const kind = KINDS.find((k) => k === value);
            if (kind) setDraft(withKind(kind, draft));
          }}
          sx={{ display: 'flex', flexDirection: 'row', flexWrap: 'wrap', columnGap: 2 }}
        >
          {KINDS.map((kind) => (
            <FormControlLabel
              key={kind}
              value={kind}
              control={<Radio />}
              label={
                sourceAvailable(kind, user)
                  ? sourceLabel(kind)
                  : `${sourceLabel(kind)} (needs a practitioner sign-in)`
              }
              disabled={!sourceAvailable(kind, user)}
            />
          ))}
        </RadioGroup>
      </FormControl>
      {draft.kind === 'group' || draft.kind === 'list' ? (
        <TextField
          size="small"
          label={draft.kind === 'group' ? 'Group id' : 'List id'}
          value={idText}
          onChange={(event) => setIdText(event.target.value)}
          error={error !== undefined}
          helperText={error}
          disabled={busy}
          sx={{ maxWidth: 320 }}
        />
      ) : null}
      {draft.kind === 'all' ? (
        <>
          <TextField
            select
            size="small"
            label="Load at most"
            value={draft.cap}
            onChange={(event) => setDraft({ kind: 'all', cap: Number(event.target.value) })}
            disabled={busy}
            sx={{ maxWidth: 320 }}
            // No scroll lock: locking restyles <body>, which re-lays out the whole dashboard
            // behind the menu (a long main-thread task); the menu closes on any choice anyway.
            slotProps={{ select: { MenuProps: { disableScrollLock: true } } }}
          >
            {ALL_PATIENTS_CAPS.map((cap) => (
              <MenuItem key={cap} value={cap}>
                {formatInteger(cap)} patients
              </MenuItem>
            ))}
          </TextField>
          <Alert severity="warning" data-testid="all-patients-warning">
            &ldquo;All patients&rdquo; is every patient the server lets you read, which may be far
            more than your clinic&apos;s panel and slow to load. Only the first{' '}
            {formatInteger(draft.cap)} are loaded; rates then describe those patients only.
          </Alert>
        </>
      ) : null}
      <Box>
        <Button type="submit" variant="contained" disabled={busy}>
          Load panel
        </Button>
      </Box>
    </Box>
  );
}
