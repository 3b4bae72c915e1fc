// The dashboard's view lives in the page's query string, so a refresh or a shared link restores it.
// Only view settings go there — never patient ids, names or tokens (a Group or List id names a
// panel, not a person). Parameters this module does not own (`view`, fhirclient's `state` and
// `code`, `iss`, `launch`, …) are left exactly as they are.

import type {
  PanelMeasureId,
  PanelStratifierId,
  PeriodChoice,
  ReferenceSelection,
} from '../../analysis/panel-view-model';
import type { CalendarDate } from '../patient/patient-demographics';

export type PanelTab = 'overview' | 'detail' | 'trends' | 'completeness';

/** The panel source as the user picked it (ids filled in from the user and today at load time). */
export type SourceChoice =
  | { kind: 'my-patients' }
  | { kind: 'seen-by-me' }
  | { kind: 'group'; groupId: string | undefined }
  | { kind: 'list'; listId: string | undefined }
  | { kind: 'all'; cap: number };

export interface PanelUrlState {
  source: SourceChoice;
  period: PeriodChoice;
  measureIds: PanelMeasureId[];
  stratifierId: PanelStratifierId;
  secondStratifierId: PanelStratifierId | undefined;
  reference: ReferenceSelection;
  tab: PanelTab;
  /** The measure the detail and trends tabs show (default: the first selected). */
  focusMeasureId: PanelMeasureId | undefined;
  presentation: boolean;
}

/** Every query parameter this view owns; anything else in the URL belongs to someone else. */
export const PANEL_URL_PARAMS = [
  'source',
  'group',
  'list',
  'cap',
  'period',
  'm',
  's',
  's2',
  'ref',
  'tab',
  'measure',
  'present',
] as const;

// Records (not arrays) so the compiler checks every id of the closed unions is listed.
const measureIdSet: Record<PanelMeasureId, true> = {
  CMS122: true,
  CMS165: true,
  CMS125: true,
  CMS130: true,
  CMS2: true,
  'SDOH-1': true,
  'SDOH2-food': true,
  'SDOH2-housing': true,
  'SDOH2-transportation': true,
  'SDOH2-utilities': true,
  'SDOH2-safety': true,
  'SNSE-food-screening': true,
  'SNSE-food-intervention': true,
  'SNSE-housing-screening': true,
  'SNSE-housing-intervention': true,
  'SNSE-transportation-screening': true,
  'SNSE-transportation-intervention': true,
  'READMISSION-30': true,
  'ED-VISITS': true,
  'LENGTH-OF-STAY': true,
  'IN-HOSPITAL-MORTALITY': true,
  'DEMOGRAPHIC-COMPLETENESS': true,
};

const stratifierIdSet: Record<PanelStratifierId, true> = {
  race: true,
  ethnicity: true,
  spd15: true,
  language: true,
  interpreter: true,
  sex: true,
  gender: true,
  'sexual-orientation': true,
  'gender-identity': true,
  payer: true,
  age: true,
  'social-need': true,
};

const tabSet: Record<PanelTab, true> = {
  overview: true,
  detail: true,
  trends: true,
  completeness: true,
};

export function isPanelMeasureId(value: string): value is PanelMeasureId {
  return Object.hasOwn(measureIdSet, value);
}

export function isPanelStratifierId(value: string): value is PanelStratifierId {
  return Object.hasOwn(stratifierIdSet, value);
}

function isPanelTab(value: string): value is PanelTab {
  return Object.hasOwn(tabSet, value);
}

/** The five eCQMs and SDOH screening: what a practice manager looks at first. */
export const DEFAULT_MEASURE_IDS: readonly PanelMeasureId[] = [
  'CMS122',
  'CMS165',
  'CMS125',
  'CMS130',
  'CMS2',
  'SDOH-1',
];

export const DEFAULT_ALL_PATIENTS_CAP = 1000;
export const ALL_PATIENTS_CAPS: readonly number[] = [500, 1000, 2500, 5000, 10000, 25000];

/** A safe id for a FHIR resource (R4 `id` datatype: [A-Za-z0-9\-.]{1,64}). */
const fhirId = /^[A-Za-z0-9\-.]{1,64}$/;

export function defaultUrlState(options: {
  practitioner: boolean;
  today: CalendarDate;
}): PanelUrlState {
  return {
    source: options.practitioner
      ? { kind: 'my-patients' }
      : { kind: 'all', cap: DEFAULT_ALL_PATIENTS_CAP },
    period: { kind: 'calendar-year', year: options.today.year },
    measureIds: [...DEFAULT_MEASURE_IDS],
    stratifierId: 'race',
    secondStratifierId: undefined,
    reference: { kind: 'largest' },
    tab: 'overview',
    focusMeasureId: undefined,
    presentation: false,
  };
}

function readSource(search: URLSearchParams, fallback: SourceChoice): SourceChoice {
  const optionalId = (value: string | null) =>
    value !== null && fhirId.test(value) ? value : undefined;
  switch (search.get('source')) {
    case 'my-patients':
      return { kind: 'my-patients' };
    case 'seen-by-me':
      return { kind: 'seen-by-me' };
    case 'group':
      return { kind: 'group', groupId: optionalId(search.get('group')) };
    case 'list':
      return { kind: 'list', listId: optionalId(search.get('list')) };
    case 'all': {
      const cap = Number(search.get('cap'));
      return {
        kind: 'all',
        cap: Number.isInteger(cap) && cap > 0 ? cap : DEFAULT_ALL_PATIENTS_CAP,
      };
    }
    default:
      return fallback;
  }
}

function readPeriod(value: string | null, fallback: PeriodChoice): PeriodChoice {
  if (value === '12m') return { kind: 'last-12-months' };
  if (value !== null && /^\d{4}$/.test(value)) {
    return { kind: 'calendar-year', year: Number(value) };
  }
  return fallback;
}

function readReference(value: string | null): ReferenceSelection {
  if (value === null || value === '' || value === 'largest') return { kind: 'largest' };
  if (value === 'best') return { kind: 'best' };
  return { kind: 'chosen', stratumKey: value };
}

/** The view from the query string, with `defaults` for anything missing or invalid. */
export function readPanelUrlState(search: URLSearchParams, defaults: PanelUrlState): PanelUrlState {
  const measures = (search.get('m') ?? '')
    .split(',')
    .filter((id): id is PanelMeasureId => isPanelMeasureId(id));
  const uniqueMeasures = [...new Set(measures)];
  const s = search.get('s') ?? '';
  const stratifierId = isPanelStratifierId(s) ? s : defaults.stratifierId;
  const s2 = search.get('s2') ?? '';
  const secondStratifierId = isPanelStratifierId(s2) && s2 !== stratifierId ? s2 : undefined;
  const tab = search.get('tab') ?? '';
  const focus = search.get('measure') ?? '';
  return {
    source: readSource(search, defaults.source),
    period: readPeriod(search.get('period'), defaults.period),
    measureIds: uniqueMeasures.length > 0 ? uniqueMeasures : [...defaults.measureIds],
    stratifierId,
    secondStratifierId,
    reference: readReference(search.get('ref')),
    tab: isPanelTab(tab) ? tab : defaults.tab,
    focusMeasureId: isPanelMeasureId(focus) ? focus : undefined,
    presentation: search.get('present') === '1',
  };
}

/**
 * The query string with this view's parameters replaced (every other parameter kept, in place).
 */
export function writePanelUrlState(state: PanelUrlState, search: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of PANEL_URL_PARAMS) next.delete(key);
  next.set('source', state.source.kind);
  switch (state.source.kind) {
    case 'group':
      if (state.source.groupId !== undefined) next.set('group', state.source.groupId);
      break;
    case 'list':
      if (state.source.listId !== undefined) next.set('list', state.source.listId);
      break;
    case 'all':
      next.set('cap', String(state.source.cap));
      break;
    case 'my-patients':
    case 'seen-by-me':
      break;
  }
  next.set('period', state.period.kind === 'last-12-months' ? '12m' : String(state.period.year));
  next.set('m', state.measureIds.join(','));
  next.set('s', state.stratifierId);
  if (state.secondStratifierId !== undefined) next.set('s2', state.secondStratifierId);
  switch (state.reference.kind) {
    case 'largest':
      next.set('ref', 'largest');
      break;
    case 'best':
      next.set('ref', 'best');
      break;
    case 'chosen':
      next.set('ref', state.reference.stratumKey);
      break;
  }
  next.set('tab', state.tab);
  if (state.focusMeasureId !== undefined) next.set('measure', state.focusMeasureId);
  if (state.presentation) next.set('present', '1');
  return next;
}

/** Reads the view from the current page URL. */
export function readPanelUrlStateFromLocation(defaults: PanelUrlState): PanelUrlState {
  return readPanelUrlState(new URLSearchParams(window.location.search), defaults);
}

/** Writes the view into the current URL without a navigation or a history entry. */
export function replacePanelUrlState(state: PanelUrlState): void {
  const next = writePanelUrlState(state, new URLSearchParams(window.location.search));
  const query = next.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, '', url);
  }
}
