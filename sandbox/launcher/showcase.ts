// Patients the launcher shows testers first: one per social-needs state of the state table
// (../shared/reference/sdoh.md §4), found in whatever the store holds (generated or loaded), so a
// tester can open "a positive food screen with no referral" without hunting for one.
import type { FhirStore } from '../fhir/store';

export type ShowcaseState =
  | 'food-positive-no-referral'
  | 'questionnaire-positive'
  | 'declined-help'
  | 'referral-open'
  | 'referral-unsuccessful'
  | 'referral-completed'
  | 'declined-to-answer'
  | 'stale'
  | 'negative'
  | 'not-screened';

export interface ShowcasePatient {
  state: ShowcaseState;
  label: string;
  patientId: string;
  name: string;
}

const LABELS: Readonly<Record<ShowcaseState, string>> = {
  'food-positive-no-referral': 'Positive food screen, no referral',
  'questionnaire-positive': 'Positive food screen on a questionnaire (QuestionnaireResponse only)',
  'declined-help': 'Positive screen, patient declined help',
  'referral-open': 'Referral open',
  'referral-unsuccessful': 'Referral closed unsuccessfully',
  'referral-completed': 'Referral completed',
  'declined-to-answer': 'Declined to answer the screen',
  stale: 'Last screen older than 12 months',
  negative: 'Screened negative',
  'not-screened': 'Not screened',
};

const DAY = 86_400_000;
const POSITIVE_HVS = new Set(['LA28397-0', 'LA6729-3', 'LA19952-3']);

function isSdoh(o: fhir4.Observation): boolean {
  return (o.category ?? []).some((c) => c.coding?.some((x) => x.code === 'sdoh'));
}

function isFood(o: fhir4.Observation): boolean {
  return (o.category ?? []).some((c) => c.coding?.some((x) => x.code === 'food-insecurity'));
}

function time(text: string | undefined): number {
  const t = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(t) ? 0 : t;
}

/** The states one patient's records show (several may hold at once). */
export function patientStates(store: FhirStore, patientId: string, today: Date): ShowcaseState[] {
  const of = <T extends fhir4.Resource>(type: string): T[] =>
    [...store.entriesByPatient(type, patientId)].map((e) => e.resource as unknown as T);
  const screens = of<fhir4.Observation>('Observation').filter(isSdoh);
  const forms = of<fhir4.QuestionnaireResponse>('QuestionnaireResponse');
  const requests = of<fhir4.ServiceRequest>('ServiceRequest');
  const tasks = of<fhir4.Task>('Task');
  const declines = of<fhir4.Procedure>('Procedure').filter(
    (p) => p.status === 'not-done' && /declined/i.test(p.statusReason?.text ?? ''),
  );
  const states: ShowcaseState[] = [];
  const now = today.getTime();
  const recent = (t: number): boolean => now - t <= 365 * DAY;
  const latest = Math.max(0, ...screens.map((o) => time(o.effectiveDateTime)));
  const positive = screens.filter((o) => (o.interpretation ?? []).length > 0);
  const noAction = requests.length === 0 && tasks.length === 0 && declines.length === 0;

  if (positive.some((o) => isFood(o) && recent(time(o.effectiveDateTime))) && noAction) {
    states.push('food-positive-no-referral');
  }
  const positiveForm = forms.some(
    (f) =>
      recent(time(f.authored)) &&
      (f.item ?? []).some((i) => POSITIVE_HVS.has(i.answer?.[0]?.valueCoding?.code ?? '')),
  );
  if (positiveForm && screens.length === 0 && noAction) states.push('questionnaire-positive');
  if (declines.length > 0) states.push('declined-help');
  const statuses = new Set(tasks.map((t) => t.status));
  if (['requested', 'accepted', 'in-progress', 'on-hold'].some((s) => statuses.has(s as never))) {
    states.push('referral-open');
  }
  if (['rejected', 'cancelled', 'failed'].some((s) => statuses.has(s as never))) {
    states.push('referral-unsuccessful');
  }
  if (statuses.has('completed')) states.push('referral-completed');
  const atLatest = screens.filter((o) => time(o.effectiveDateTime) === latest);
  if (atLatest.length > 0 && atLatest.every((o) => o.dataAbsentReason !== undefined)) {
    states.push('declined-to-answer');
  }
  if (screens.length > 0 && !recent(latest)) states.push('stale');
  if (
    screens.length > 0 &&
    recent(latest) &&
    positive.length === 0 &&
    atLatest.some((o) => o.dataAbsentReason === undefined)
  ) {
    states.push('negative');
  }
  if (screens.length === 0 && forms.length === 0) states.push('not-screened');
  return states;
}

/** The first living patient (store order) in each state, in the order of LABELS. */
export function showcasePatients(store: FhirStore, today: Date): ShowcasePatient[] {
  const found = new Map<ShowcaseState, ShowcasePatient>();
  const wanted = Object.keys(LABELS) as ShowcaseState[];
  for (const entry of store.entries('Patient')) {
    const patient = entry.resource as unknown as fhir4.Patient;
    if (patient.deceasedDateTime !== undefined || patient.deceasedBoolean === true) continue;
    const id = patient.id ?? '';
    for (const state of patientStates(store, id, today)) {
      if (found.has(state)) continue;
      const name = patient.name?.[0];
      found.set(state, {
        state,
        label: LABELS[state],
        patientId: id,
        name: name?.text ?? [...(name?.given ?? []), name?.family ?? ''].join(' ').trim(),
      });
    }
    if (found.size === wanted.length) break;
  }
  return wanted.flatMap((state) => {
    const patient = found.get(state);
    return patient ? [patient] : [];
  });
}
