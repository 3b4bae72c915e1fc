import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import type { ReactNode } from 'react';
import type {
  PeriodChoice,
  ReferenceSelection,
  StratumLabel,
} from '../../analysis/panel-view-model';
import { MEASURE_GROUPS, measureGroupLabel, usePanelCatalog } from './panel-catalog-context';
import { isPanelMeasureId, isPanelStratifierId } from './panel-url-state';
import type { PanelUrlState } from './panel-url-state';

export interface PanelControlsProps {
  state: PanelUrlState;
  /** The calendar year the default period covers (today's). */
  currentYear: number;
  referenceChoices: readonly StratumLabel[];
  onChange: (patch: Partial<PanelUrlState>) => void;
  disabled: boolean;
}

const periodValue = (p: PeriodChoice) => (p.kind === 'last-12-months' ? '12m' : String(p.year));

const referenceValue = (r: ReferenceSelection) =>
  r.kind === 'chosen' ? `chosen:${r.stratumKey}` : r.kind;

function readReference(value: string): ReferenceSelection {
  if (value === 'best') return { kind: 'best' };
  if (value.startsWith('chosen:')) return { kind: 'chosen', stratumKey: value.slice(7) };
  return { kind: 'largest' };
}

const NO_SECOND = 'none';

/** The view's settings: period, measures, stratifier (and a second one), reference, presentation. */
export function PanelControls({
  state,
  currentYear,
  referenceChoices,
  onChange,
  disabled,
}: PanelControlsProps) {
  const { measures, stratifiers, measure } = usePanelCatalog();
  const years = new Set([currentYear]);
  if (state.period.kind === 'calendar-year') years.add(state.period.year);
  const chosenMissing =
    state.reference.kind === 'chosen' &&
    !referenceChoices.some(
      (c) => state.reference.kind === 'chosen' && c.key === state.reference.stratumKey,
    );

  const measureItems: ReactNode[] = MEASURE_GROUPS.flatMap((group) => {
    const inGroup = measures.filter((m) => m.group === group);
    if (inGroup.length === 0) return [];
    return [
      <ListSubheader key={`group-${group}`}>{measureGroupLabel(group)}</ListSubheader>,
      ...inGroup.map((m) => (
        <MenuItem key={m.id} value={m.id}>
          <Checkbox checked={state.measureIds.includes(m.id)} size="small" />
          <ListItemText primary={m.shortTitle} secondary={m.title} />
        </MenuItem>
      )),
    ];
  });

  return (
    <Box
      data-testid="panel-controls"
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
        alignItems: 'center',
      }}
    >
      <TextField
        select
        size="small"
        label="Measurement period"
        value={periodValue(state.period)}
        disabled={disabled}
        onChange={(event) =>
          onChange({
            period:
              event.target.value === '12m'
                ? { kind: 'last-12-months' }
                : { kind: 'calendar-year', year: Number(event.target.value) },
          })
        }
      >
        {[...years]
          .sort((a, b) => b - a)
          .map((year) => (
            <MenuItem key={year} value={String(year)}>
              Calendar year {year}
              {year === currentYear ? ' (to date)' : ''}
            </MenuItem>
          ))}
        <MenuItem value="12m">Last 12 months</MenuItem>
      </TextField>
      <TextField
        select
        size="small"
        label="Measures"
        value={state.measureIds}
        disabled={disabled}
        slotProps={{
          select: {
            multiple: true,
            renderValue: (selected) => {
              const ids = (selected as string[]).filter(isPanelMeasureId);
              return ids.length === 1 && ids[0]
                ? measure(ids[0]).shortTitle
                : `${ids.length} measures`;
            },
          },
        }}
        onChange={(event) => {
          const raw: unknown = event.target.value;
          const values = Array.isArray(raw) ? raw : String(raw).split(',');
          const ids = values
            .filter((v): v is string => typeof v === 'string')
            .filter(isPanelMeasureId);
          if (ids.length > 0) onChange({ measureIds: ids });
        }}
      >
        {measureItems}
      </TextField>
      <TextField
        select
        size="small"
        label="Stratify by"
        value={state.stratifierId}
        disabled={disabled}
        onChange={(event) => {
          const id = event.target.value;
          if (!isPanelStratifierId(id)) return;
          onChange({
            stratifierId: id,
            secondStratifierId:
              state.secondStratifierId === id ? undefined : state.secondStratifierId,
            reference: state.reference.kind === 'chosen' ? { kind: 'largest' } : state.reference,
          });
        }}
      >
        {stratifiers.map((s) => (
          <MenuItem key={s.id} value={s.id}>
            {s.label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="Crossed with (two-way)"
        value={state.secondStratifierId ?? NO_SECOND}
        disabled={disabled}
        onChange={(event) => {
          const id = event.target.value;
          onChange({
            secondStratifierId: isPanelStratifierId(id) ? id : undefined,
          });
        }}
      >
        <MenuItem value={NO_SECOND}>Nothing (one-way)</MenuItem>
        {stratifiers
          .filter((s) => s.id !== state.stratifierId)
          .map((s) => (
            <MenuItem key={s.id} value={s.id}>
              {s.label}
            </MenuItem>
          ))}
      </TextField>
      <TextField
        select
        size="small"
        label="Reference group"
        value={referenceValue(state.reference)}
        disabled={disabled}
        onChange={(event) => onChange({ reference: readReference(event.target.value) })}
      >
        <MenuItem value="largest">The largest group</MenuItem>
        <MenuItem value="best">The best-performing group</MenuItem>
        {referenceChoices.map((c) => (
          <MenuItem key={c.key} value={`chosen:${c.key}`}>
            {c.label}
          </MenuItem>
        ))}
        {chosenMissing && state.reference.kind === 'chosen' ? (
          <MenuItem value={`chosen:${state.reference.stratumKey}`}>
            A group not in this panel
          </MenuItem>
        ) : null}
      </TextField>
      <FormControlLabel
        control={
          <Switch
            checked={state.presentation}
            disabled={disabled}
            onChange={(event) => onChange({ presentation: event.target.checked })}
          />
        }
        label="Presentation mode (suppress small numbers)"
      />
    </Box>
  );
}
