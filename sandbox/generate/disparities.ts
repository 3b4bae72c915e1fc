// The gaps the synthetic population is built to contain. Each outcome is drawn with exactly the
// probability of the first row whose group the patient belongs to, so equity dashboards have real,
// known differences to find and tests can check that the observed rates match (see README.md).
//
// Groups are defined on what is RECORDED in the generated FHIR (what a dashboard can see), not on
// a hidden "true" identity: e.g. "Black" means a us-core-race ombCategory 2054-5 is present, so a
// Black patient whose race was not recorded falls in the "otherwise" row.
// Denominators exclude deceased patients (Patient.deceasedDateTime), and ages are on `today`.

/** Facts about a patient that the disparity rows test, each derivable from the FHIR output. */
export interface GroupFacts {
  /** us-core-race has ombCategory 2054-5 (alone or with other races, any ethnicity). */
  readonly black: boolean;
  /** us-core-ethnicity ombCategory 2135-2. */
  readonly hispanic: boolean;
  /** Coverage.type SOPT 2x (Medicaid). */
  readonly medicaid: boolean;
  /** No Coverage, or a Coverage typed SOPT 81 (self-pay). */
  readonly uninsured: boolean;
  /** A preferred Patient.communication language exists and is not English (en, en-*). */
  readonly nonEnglish: boolean;
  /** Preferred language is Spanish (es, es-*). */
  readonly spanish: boolean;
  /** us-core-interpreter-needed = Yes, or patient-interpreterRequired = true. */
  readonly interpreter: boolean;
}

export type GroupKey = keyof GroupFacts | 'otherwise';

export interface DisparityRow {
  readonly group: GroupKey;
  readonly label: string;
  readonly probability: number;
}

export interface DesignedDisparity {
  readonly id: DisparityId;
  readonly outcome: string;
  readonly denominator: string;
  /** The real-world measure the outcome imitates. */
  readonly modelledOn: string;
  /** Evaluated in order; the first row whose group applies gives the probability. Last row is 'otherwise'. */
  readonly rows: readonly DisparityRow[];
}

export type DisparityId =
  | 'hba1cPoorControl'
  | 'bpControlled'
  | 'breastCancerScreening'
  | 'colorectalScreening'
  | 'sdohScreened'
  | 'foodInsecurityPositive'
  | 'referralWithin30Days'
  | 'readmission30Day';

export const DESIGNED_DISPARITIES: Readonly<Record<DisparityId, DesignedDisparity>> = {
  hba1cPoorControl: {
    id: 'hba1cPoorControl',
    outcome:
      'Most recent HbA1c (LOINC 4548-4, status final/amended/corrected) > 9.0 %. Every such patient has one in the 12 months before today.',
    denominator:
      'Living patients aged 18–75 with a diabetes Condition (CMS122 Diabetes value set).',
    modelledOn: 'CMS122 Diabetes: Glycemic Status Assessment > 9% (inverse measure)',
    rows: [
      { group: 'black', label: 'Black (race recorded)', probability: 0.35 },
      { group: 'uninsured', label: 'Uninsured', probability: 0.32 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.15 },
    ],
  },
  bpControlled: {
    id: 'bpControlled',
    outcome:
      'On the most recent day with a BP panel (85354-9) at an ambulatory visit, the lowest systolic < 140 and lowest diastolic < 90 mm[Hg].',
    denominator:
      'Living patients aged 18–85 with an essential hypertension Condition (CMS165 value set).',
    modelledOn: 'CMS165 Controlling High Blood Pressure',
    rows: [
      { group: 'black', label: 'Black (race recorded)', probability: 0.5 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.66 },
    ],
  },
  breastCancerScreening: {
    id: 'breastCancerScreening',
    outcome:
      'A final mammography Observation (category imaging, CMS125 Mammography value set) in the 730 days before today (screened ones fall within 450 days).',
    denominator:
      'Living patients aged 42–74 whose recorded sex is female (us-core-sex / us-core-individual-sex, else birth sex F).',
    modelledOn: 'CMS125 Breast Cancer Screening',
    rows: [
      { group: 'nonEnglish', label: 'Preferred language not English', probability: 0.48 },
      { group: 'medicaid', label: 'Medicaid', probability: 0.55 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.76 },
    ],
  },
  colorectalScreening: {
    id: 'colorectalScreening',
    outcome:
      'A completed colonoscopy Procedure in the 3650 days before today, or a final FOBT/FIT Observation in the calendar year of today.',
    denominator: 'Living patients aged 46–75.',
    modelledOn: 'CMS130 Colorectal Cancer Screening (colonoscopy and FOBT arms)',
    rows: [
      { group: 'hispanic', label: 'Hispanic or Latino (ethnicity recorded)', probability: 0.45 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.68 },
    ],
  },
  sdohScreened: {
    id: 'sdohScreened',
    outcome:
      'At least one SDOH screening Observation (category sdoh) with an answer (not dataAbsentReason) in the 365 days before today.',
    denominator: 'Living patients aged 18+.',
    modelledOn: 'CMS SDOH-1 / MIPS #487 screening rate',
    rows: [
      { group: 'interpreter', label: 'Needs an interpreter', probability: 0.4 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.72 },
    ],
  },
  foodInsecurityPositive: {
    id: 'foodInsecurityPositive',
    outcome: 'Hunger Vital Sign result 88124-3 = LA19952-3 (At risk) on the most recent screening.',
    denominator:
      'Living patients aged 18+ screened in the last 365 days (food items always answered when screened).',
    modelledOn: 'CMS SDOH-2 positive screen rate (food domain)',
    rows: [
      { group: 'uninsured', label: 'Uninsured', probability: 0.34 },
      { group: 'medicaid', label: 'Medicaid', probability: 0.28 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.09 },
    ],
  },
  referralWithin30Days: {
    id: 'referralWithin30Days',
    outcome:
      'A ServiceRequest (SDOH referral) authored 0–30 days after the most recent screening that was positive in any domain.',
    denominator:
      'Living patients aged 18+ whose most recent screening (365 days, answered) is positive in any of the five domains.',
    modelledOn: 'HEDIS SNS-E intervention within 30 days',
    rows: [
      { group: 'spanish', label: 'Prefers Spanish', probability: 0.3 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.62 },
    ],
  },
  readmission30Day: {
    id: 'readmission30Day',
    outcome:
      "Another inpatient Encounter (class IMP) admitted within 30 days after the first inpatient stay's discharge.",
    denominator:
      'Living patients whose first inpatient stay ended alive (dischargeDisposition not "exp").',
    modelledOn: 'Hospital-wide all-cause 30-day readmission',
    rows: [
      { group: 'black', label: 'Black (race recorded)', probability: 0.24 },
      { group: 'otherwise', label: 'Everyone else', probability: 0.11 },
    ],
  },
};

/** The row (group) a patient falls in for a designed outcome: the first whose group applies. */
export function disparityRow(id: DisparityId, facts: GroupFacts): DisparityRow {
  const rows = DESIGNED_DISPARITIES[id].rows;
  for (const row of rows) {
    if (row.group === 'otherwise' || facts[row.group]) return row;
  }
  throw new Error(`Designed disparity ${id} has no 'otherwise' row`);
}

/** The probability the generator uses for this patient's outcome. */
export function designedProbability(id: DisparityId, facts: GroupFacts): number {
  return disparityRow(id, facts).probability;
}
