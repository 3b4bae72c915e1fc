// What the dashboard offers: every panel measure and every stratifier, with where each rule comes
// from (architecture.md rule 12: data, one place). The page renders these as they are.

import { clinicalMeasure } from '../measures/clinical-measures';
import type { ImprovementNotation } from '../equity/reference-comparison';
import type {
  ClinicalPanelMeasureId,
  PanelMeasureId,
  PanelMeasureInfo,
  PanelStratifierId,
  PanelStratifierInfo,
} from './panel-view-model';

export const CLINICAL_PANEL_MEASURE_IDS: readonly ClinicalPanelMeasureId[] = [
  'CMS122',
  'CMS165',
  'CMS125',
  'CMS130',
  'CMS2',
];

const ecqmSource = (id: ClinicalPanelMeasureId) => {
  const m = clinicalMeasure(id);
  return `${id} FHIR v${m.version} (eCQM 2026 package, CQL; ${m.url})`;
};

type Domain = 'food' | 'housing' | 'transportation' | 'utilities' | 'safety';

const DOMAIN_WORDS: Readonly<Record<Domain, { need: string; title: string }>> = {
  food: { need: 'food insecurity', title: 'Food' },
  housing: { need: 'housing instability', title: 'Housing' },
  transportation: { need: 'transportation needs', title: 'Transportation' },
  utilities: { need: 'utility difficulties', title: 'Utilities' },
  safety: { need: 'interpersonal safety', title: 'Safety' },
};

const SDOH2_SOURCE =
  'Modelled on CMS SDOH-2 (screen positive rate); rules in src/measures/sdoh-positive-rate.ts';
const SNSE_SOURCE =
  'Modelled on HEDIS SNS-E (intervention within 30 days); rules in src/measures/social-need-intervention.ts';

function sdoh2(domain: Domain): PanelMeasureInfo {
  const w = DOMAIN_WORDS[domain];
  return {
    id: `SDOH2-${domain}`,
    title: `Positive screen: ${w.need}`,
    shortTitle: `${w.title} need`,
    group: 'social-needs',
    kind: 'proportion',
    role: 'context',
    improvementNotation: 'none',
    numeratorLabel: `adults screened in all five domains who screened positive for ${w.need}`,
    adverseLabel: `positive ${w.need} screen`,
    source: SDOH2_SOURCE,
  };
}

function snse(domain: 'food' | 'housing' | 'transportation'): PanelMeasureInfo[] {
  const w = DOMAIN_WORDS[domain];
  return [
    {
      id: `SNSE-${domain}-screening`,
      title: `${w.title} screening (SNS-E)`,
      shortTitle: `${w.title} screened`,
      group: 'social-needs',
      kind: 'proportion',
      role: 'quality',
      improvementNotation: 'increase',
      numeratorLabel: `patients with a visit screened for ${w.need} by 30 days before the period end`,
      adverseLabel: `not screened for ${w.need}`,
      source: SNSE_SOURCE,
    },
    {
      id: `SNSE-${domain}-intervention`,
      title: `${w.title} intervention within 30 days of a positive screen (SNS-E)`,
      shortTitle: `${w.title} follow-up`,
      group: 'social-needs',
      kind: 'proportion',
      role: 'quality',
      improvementNotation: 'increase',
      numeratorLabel: `patients with a positive ${w.need} screen and an intervention within 30 days`,
      adverseLabel: 'no intervention within 30 days',
      source: SNSE_SOURCE,
    },
  ];
}

export const PANEL_MEASURES: readonly PanelMeasureInfo[] = [
  {
    id: 'CMS122',
    title: 'Diabetes: HbA1c poor control (> 9%)',
    shortTitle: 'HbA1c > 9%',
    group: 'ecqm',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'decrease',
    numeratorLabel:
      'adults 18–75 with diabetes whose most recent HbA1c or GMI is > 9%, has no result, or is missing',
    adverseLabel: 'HbA1c > 9% or not tested',
    source: ecqmSource('CMS122'),
  },
  {
    id: 'CMS165',
    title: 'Controlling high blood pressure',
    shortTitle: 'BP controlled',
    group: 'ecqm',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'increase',
    numeratorLabel: 'adults 18–85 with hypertension whose most recent BP is < 140/90',
    adverseLabel: 'BP not controlled',
    source: ecqmSource('CMS165'),
  },
  {
    id: 'CMS125',
    title: 'Breast cancer screening',
    shortTitle: 'Mammogram',
    group: 'ecqm',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'increase',
    numeratorLabel: 'women 42–74 with a mammogram in the 27 months to the period end',
    adverseLabel: 'not screened',
    source: ecqmSource('CMS125'),
  },
  {
    id: 'CMS130',
    title: 'Colorectal cancer screening',
    shortTitle: 'Colorectal screening',
    group: 'ecqm',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'increase',
    numeratorLabel: 'adults 46–75 screened within the look-back of their test',
    adverseLabel: 'not screened',
    source: ecqmSource('CMS130'),
  },
  {
    id: 'CMS2',
    title: 'Depression screening and follow-up plan',
    shortTitle: 'Depression screening',
    group: 'ecqm',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'increase',
    numeratorLabel:
      'patients 12+ screened negative, or screened positive with a follow-up plan, at a visit',
    adverseLabel: 'not screened, or no follow-up plan',
    source: ecqmSource('CMS2'),
  },
  {
    id: 'SDOH-1',
    title: 'Screening for social drivers of health (all five domains)',
    shortTitle: 'SDOH screened',
    group: 'social-needs',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'increase',
    numeratorLabel:
      'adults with a visit screened for food, housing, transportation, utilities and safety',
    adverseLabel: 'not screened in every domain',
    source:
      'Modelled on CMS SDOH-1 / MIPS #487; rules in src/measures/sdoh-screening.ts (no official FHIR CQL)',
  },
  ...(['food', 'housing', 'transportation', 'utilities', 'safety'] as const).map(sdoh2),
  ...snse('food'),
  ...snse('housing'),
  ...snse('transportation'),
  {
    id: 'READMISSION-30',
    title: '30-day readmission after an inpatient stay',
    shortTitle: '30-day readmission',
    group: 'encounters',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'decrease',
    numeratorLabel:
      'patients with an index stay discharged in the period who were readmitted within 30 days',
    adverseLabel: 'readmitted within 30 days',
    source:
      'Modelled on the CMS hospital-wide readmission measure, per patient, without risk adjustment; src/measures/encounter-outcomes.ts',
  },
  {
    id: 'ED-VISITS',
    title: 'Emergency department visits per 1,000 patient-years',
    shortTitle: 'ED visits',
    group: 'encounters',
    kind: 'event-rate',
    role: 'quality',
    improvementNotation: 'decrease',
    numeratorLabel: 'ED visits per 1,000 patient-years observed in the period',
    adverseLabel: 'ED visits',
    source: 'Events over person-time; src/measures/encounter-outcomes.ts (no eCQM)',
  },
  {
    id: 'LENGTH-OF-STAY',
    title: 'Inpatient length of stay (days)',
    shortTitle: 'Length of stay',
    group: 'encounters',
    kind: 'continuous',
    role: 'context',
    improvementNotation: 'none',
    numeratorLabel: 'days from admission to discharge, per stay discharged in the period',
    adverseLabel: 'longer stays',
    source: 'HCUP-style midnights count; src/measures/encounter-outcomes.ts (no eCQM)',
  },
  {
    id: 'IN-HOSPITAL-MORTALITY',
    title: 'In-hospital mortality',
    shortTitle: 'In-hospital deaths',
    group: 'encounters',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'decrease',
    numeratorLabel: 'patients with a stay discharged in the period who died in hospital',
    adverseLabel: 'died in hospital',
    source:
      'Per patient: discharge disposition "exp" or a recorded death during the stay; src/measures/encounter-outcomes.ts',
  },
  {
    id: 'DEMOGRAPHIC-COMPLETENESS',
    title: 'Demographic data completeness',
    shortTitle: 'Demographics complete',
    group: 'data-quality',
    kind: 'proportion',
    role: 'quality',
    improvementNotation: 'increase',
    numeratorLabel:
      'living patients with race, ethnicity, preferred language, sexual orientation and gender identity each collected (recorded or asked and declined)',
    adverseLabel: 'demographics incomplete',
    source:
      'Equity toolkit Opportunity 2 (measures.md "Equity\'s own measures"); read with src/clinical/demographics',
  },
];

const BY_ID: ReadonlyMap<PanelMeasureId, PanelMeasureInfo> = new Map(
  PANEL_MEASURES.map((m) => [m.id, m]),
);

export const PANEL_MEASURE_IDS: readonly PanelMeasureId[] = PANEL_MEASURES.map((m) => m.id);

export function isPanelMeasureId(value: unknown): value is PanelMeasureId {
  return typeof value === 'string' && BY_ID.has(value as PanelMeasureId);
}

export function panelMeasureInfo(id: PanelMeasureId): PanelMeasureInfo {
  const info = BY_ID.get(id);
  if (info === undefined) throw new RangeError(`no panel measure ${id}`);
  return info;
}

/**
 * The notation the comparisons use to find the adverse outcome (Keppel & Pearcy): a context
 * measure's numerator (a positive screen, a longer stay) is treated as the adverse outcome.
 */
export function adverseNotation(info: PanelMeasureInfo): ImprovementNotation {
  return info.improvementNotation === 'increase' ? 'increase' : 'decrease';
}

export const PANEL_STRATIFIERS: readonly PanelStratifierInfo[] = [
  {
    id: 'race',
    label: 'Race (OMB, race alone)',
    description:
      'US Core race: one OMB category, or "Two or more races"; asked but declined, unknown and not collected are groups of their own.',
  },
  {
    id: 'ethnicity',
    label: 'Ethnicity (OMB)',
    description: 'US Core ethnicity: Hispanic or Latino, or not.',
  },
  {
    id: 'spd15',
    label: 'Race and ethnicity (SPD 15, 2024)',
    description:
      'The 2024 combined question: Hispanic or Latino and Middle Eastern or North African as categories; several give "Multiracial and/or Multiethnic".',
  },
  {
    id: 'language',
    label: 'Preferred language',
    description: 'Patient.communication marked preferred (else the first), grouped by language.',
  },
  {
    id: 'interpreter',
    label: 'Interpreter needed',
    description:
      'US Core interpreter-needed extension, else the core patient-interpreterRequired extension.',
  },
  {
    id: 'sex',
    label: 'Sex',
    description: 'us-core-individual-sex, else us-core-sex (what CMS125 reads).',
  },
  {
    id: 'gender',
    label: 'Administrative gender',
    description: 'Patient.gender as recorded (male, female, other, unknown).',
  },
  {
    id: 'sexual-orientation',
    label: 'Sexual orientation',
    description: 'The latest sexual-orientation Observation (LOINC 76690-7).',
  },
  {
    id: 'gender-identity',
    label: 'Gender identity',
    description:
      'The latest gender-identity Observation (LOINC 76691-5), else the us-core-genderIdentity extension.',
  },
  {
    id: 'payer',
    label: 'Payer',
    description:
      'The primary payer (Source of Payment Typology) of active Coverage overlapping the period. No Coverage is "Not collected", never "uninsured".',
  },
  {
    id: 'age',
    label: 'Age band',
    description: 'Age at the end of the measurement period, as the eCQMs compute it.',
  },
  {
    id: 'social-need',
    label: 'Social need',
    description:
      'Any positive social-needs screen in the 12 months to the period end; screened with no need; or not screened.',
  },
];

export function panelStratifierInfo(id: PanelStratifierId): PanelStratifierInfo {
  const info = PANEL_STRATIFIERS.find((s) => s.id === id);
  if (info === undefined) throw new RangeError(`no panel stratifier ${id}`);
  return info;
}
