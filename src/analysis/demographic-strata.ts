// Demographic stratifiers over the demographics readers (src/clinical/demographics): one
// per-patient stratum assignment shared by the CLI's summary report and the panel dashboard
// (architecture.md "One stratification path"). While the input streams by, only what the readers
// need is kept per patient (a slim Patient, the sexual-orientation / gender-identity and
// social-needs screening Observations, the Coverages), and only for the readers asked for.
// Absences are strata of their own.
//
// The CLI calls `finish()` once after its read (labels computed for its one period, resources
// dropped); the dashboard keeps the slim inputs and asks `stratumOf` again for each measurement
// period it shows (payer, social need and age depend on the period).

import {
  CDC_RACE_ETHNICITY_SYSTEM,
  OMB_ETHNICITY_CODES,
  OMB_ETHNICITY_LABELS,
  OMB_RACE_CODES,
  OMB_RACE_LABELS,
  OMB_RACES,
  MENA_CODE,
} from '../clinical/demographics/cdc-race-ethnicity';
import {
  BCP47_SYSTEM,
  readInterpreterNeeded,
  readPreferredLanguage,
} from '../clinical/demographics/language';
import { PAYER_CATEGORIES, PAYER_LABELS, readPayer } from '../clinical/demographics/payer';
import type { PayerCategory, PayerPeriod } from '../clinical/demographics/payer';
import {
  ETHNICITY_STRATA,
  RACE_ALONE_STRATA,
  SPD15_CATEGORIES,
  SPD15_LABELS,
  SPD15_STRATA,
  ethnicityStratum,
  raceAloneStratum,
  readEthnicity,
  readRace,
  readSpd15Categories,
  spd15Stratum,
} from '../clinical/demographics/race-ethnicity';
import type { Spd15Category } from '../clinical/demographics/race-ethnicity';
import {
  ABSENCES,
  LOINC_SYSTEM,
  NULL_FLAVOR_SYSTEM,
  SNOMED_SYSTEM,
} from '../clinical/demographics/reading';
import type { Absence, Reading } from '../clinical/demographics/reading';
import {
  GENDER_IDENTITIES,
  GENDER_IDENTITY_LOINC,
  SEXUAL_ORIENTATIONS,
  SEXUAL_ORIENTATION_LOINC,
  readGenderIdentity,
  readSex,
  readSexualOrientation,
} from '../clinical/demographics/sex-gender';
import type { GenderIdentity, SexualOrientation } from '../clinical/demographics/sex-gender';
import { SOCIAL_NEED_GROUP_LABELS, readSocialNeed } from '../clinical/demographics/social-need';
import type { SocialNeedGroup } from '../clinical/demographics/social-need';
import { SCREENING_QUESTIONS } from '../clinical/sdoh-screening';
import type { ReportStratifier } from '../measures/measure-report';

/** The demographic stratifiers the CLI offers (`--stratify`). */
export type DemographicStratifierId =
  | 'race'
  | 'ethnicity'
  | 'spd15'
  | 'language'
  | 'interpreter'
  | 'sex'
  | 'sexual-orientation'
  | 'gender-identity'
  | 'payer';

export const DEMOGRAPHIC_STRATIFIER_IDS: readonly DemographicStratifierId[] = [
  'race',
  'ethnicity',
  'spd15',
  'language',
  'interpreter',
  'sex',
  'sexual-orientation',
  'gender-identity',
  'payer',
];

/** Every stratifier read from collected resources: the CLI's, plus the dashboard's social need. */
export type CollectedStratifierId = DemographicStratifierId | 'social-need';

export function isDemographicStratifierId(text: string): text is DemographicStratifierId {
  return (DEMOGRAPHIC_STRATIFIER_IDS as readonly string[]).includes(text);
}

/** The labels of the absences, in every demographic stratifier. */
export const ABSENCE_LABELS: Readonly<Record<Absence, string>> = {
  'asked-declined': 'Asked but declined',
  unknown: 'Unknown',
  'not-collected': 'Not collected',
};

/** ASKU and UNK code the first two absences; "not collected" has no null flavor that fits. */
const ABSENCE_CODINGS: Readonly<Record<Absence, fhir4.Coding | undefined>> = {
  'asked-declined': { system: NULL_FLAVOR_SYSTEM, code: 'ASKU', display: 'asked but declined' },
  unknown: { system: NULL_FLAVOR_SYSTEM, code: 'UNK', display: 'unknown' },
  'not-collected': undefined,
};

/**
 * A stratum: the label shown (`value.text` in the CLI's report, the row label on the dashboard),
 * its coding where a code system has one, and what identifies it: the category's code (the
 * coding's code, else a stable key) or the absence.
 */
export type DemographicStratum =
  | { kind: 'category'; code: string; label: string; coding?: fhir4.Coding }
  | { kind: 'absent'; absence: Absence; label: string; coding?: fhir4.Coding };

const coded = (system: string, code: string, label: string): DemographicStratum => ({
  kind: 'category',
  code,
  label,
  coding: { system, code, display: label },
});

/** A category no code system names (e.g. "Two or more races"): identified by its key. */
const uncoded = (code: string, label: string): DemographicStratum => ({
  kind: 'category',
  code,
  label,
});

export const ABSENCE_STRATA: Readonly<Record<Absence, DemographicStratum>> = {
  'asked-declined': stratumOfAbsence('asked-declined'),
  unknown: stratumOfAbsence('unknown'),
  'not-collected': stratumOfAbsence('not-collected'),
};

function stratumOfAbsence(absence: Absence): DemographicStratum {
  const coding = ABSENCE_CODINGS[absence];
  return {
    kind: 'absent',
    absence,
    label: ABSENCE_LABELS[absence],
    ...(coding === undefined ? {} : { coding }),
  };
}

/** What the readers need of one patient, collected while reading. */
export interface DemographicInput {
  patient: fhir4.Patient | undefined;
  /** Sexual-orientation (76690-7) and gender-identity (76691-5) Observations. */
  observations: fhir4.Observation[];
  coverages: fhir4.Coverage[];
  /** Social-needs screening items (the listed instruments' questions). */
  screenings: fhir4.Observation[];
}

interface Needs {
  patient: boolean;
  observations: boolean;
  coverages: boolean;
  screenings: boolean;
}

interface StratifierDefinition {
  /** `stratifier.code.text`. */
  text: string;
  needs: Needs;
  /** Every stratum the stratifier can give, in report order. */
  strata: readonly DemographicStratum[];
  stratumOf: (input: DemographicInput, options: DemographicOptions) => DemographicStratum;
}

export interface DemographicOptions {
  /** Payer: Coverage overlapping this period (the measurement period). */
  period: PayerPeriod;
}

const EMPTY_PATIENT: fhir4.Patient = { resourceType: 'Patient' };

/** A stratum from a reading: the recorded value's stratum, or the absence's. */
function fromReading<T>(
  reading: Reading<T>,
  of: (value: T) => DemographicStratum,
): DemographicStratum {
  return reading.status === 'recorded' ? of(reading.value) : ABSENCE_STRATA[reading.status];
}

const withAbsences = (strata: readonly DemographicStratum[]): readonly DemographicStratum[] => [
  ...strata,
  ...ABSENCES.map((a) => ABSENCE_STRATA[a]),
];

// ---------------------------------------------------------------- race and ethnicity

const RACE_STRATA = new Map<string, DemographicStratum>([
  ...OMB_RACES.map((r): [string, DemographicStratum] => [
    r,
    coded(CDC_RACE_ETHNICITY_SYSTEM, OMB_RACE_CODES[r], OMB_RACE_LABELS[r]),
  ]),
  ['two-or-more-races', uncoded('two-or-more-races', 'Two or more races')],
  ...ABSENCES.map((a): [string, DemographicStratum] => [a, ABSENCE_STRATA[a]]),
]);

const ETHNICITY_STRATA_BY_KEY = new Map<string, DemographicStratum>([
  ...(['hispanic-or-latino', 'not-hispanic-or-latino'] as const).map(
    (e): [string, DemographicStratum] => [
      e,
      coded(CDC_RACE_ETHNICITY_SYSTEM, OMB_ETHNICITY_CODES[e], OMB_ETHNICITY_LABELS[e]),
    ],
  ),
  ...ABSENCES.map((a): [string, DemographicStratum] => [a, ABSENCE_STRATA[a]]),
]);

/** SPD 15 categories coded with the CDC code of the same concept (MENA: 2118-8). */
const SPD15_CODES: Readonly<Record<Spd15Category, string>> = {
  'american-indian-or-alaska-native': OMB_RACE_CODES['american-indian-or-alaska-native'],
  asian: OMB_RACE_CODES.asian,
  'black-or-african-american': OMB_RACE_CODES['black-or-african-american'],
  'hispanic-or-latino': OMB_ETHNICITY_CODES['hispanic-or-latino'],
  'middle-eastern-or-north-african': MENA_CODE,
  'native-hawaiian-or-other-pacific-islander':
    OMB_RACE_CODES['native-hawaiian-or-other-pacific-islander'],
  white: OMB_RACE_CODES.white,
  'some-other-race': OMB_RACE_CODES['other-race'],
};

const SPD15_STRATA_BY_KEY = new Map<string, DemographicStratum>([
  ...SPD15_CATEGORIES.map((c): [string, DemographicStratum] => [
    c,
    coded(CDC_RACE_ETHNICITY_SYSTEM, SPD15_CODES[c], SPD15_LABELS[c]),
  ]),
  [
    'multiracial-and-or-multiethnic',
    uncoded('multiracial-and-or-multiethnic', 'Multiracial and/or Multiethnic'),
  ],
  ...ABSENCES.map((a): [string, DemographicStratum] => [a, ABSENCE_STRATA[a]]),
]);

function byKey(table: ReadonlyMap<string, DemographicStratum>, key: string): DemographicStratum {
  return table.get(key) ?? uncoded(key, key);
}

// ---------------------------------------------------------------- the rest

const INTERPRETER_STRATA = {
  yes: coded(SNOMED_SYSTEM, '373066001', 'Interpreter needed'),
  no: coded(SNOMED_SYSTEM, '373067005', 'No interpreter needed'),
} as const;

const SEX_STRATA = {
  female: coded(SNOMED_SYSTEM, '248152002', 'Female'),
  male: coded(SNOMED_SYSTEM, '248153007', 'Male'),
} as const;

const ORIENTATION_STRATA: Readonly<Record<SexualOrientation, DemographicStratum>> = {
  heterosexual: coded(SNOMED_SYSTEM, '20430005', 'Straight or heterosexual'),
  'gay-or-lesbian': coded(SNOMED_SYSTEM, '38628009', 'Lesbian or gay'),
  bisexual: coded(SNOMED_SYSTEM, '42035005', 'Bisexual'),
  'another-orientation': uncoded('another-orientation', 'Something else'),
};

const GENDER_IDENTITY_STRATA: Readonly<Record<GenderIdentity, DemographicStratum>> = {
  female: coded(SNOMED_SYSTEM, '446141000124107', 'Female'),
  male: coded(SNOMED_SYSTEM, '446151000124109', 'Male'),
  'transgender-female': coded(SNOMED_SYSTEM, '407376001', 'Transgender female'),
  'transgender-male': coded(SNOMED_SYSTEM, '407377005', 'Transgender male'),
  nonbinary: coded(SNOMED_SYSTEM, '33791000087105', 'Non-binary'),
  'another-gender-identity': uncoded('another-gender-identity', 'Another gender identity'),
};

/** Source of Payment Typology top-level codes, where a payer category is exactly one of them. */
const SOPT_SYSTEM = 'urn:oid:2.16.840.1.113883.3.221.5';
const PAYER_CODES: Partial<Record<PayerCategory, string>> = {
  medicare: '1',
  medicaid: '2',
  'uninsured-self-pay': '8',
};

const payerStratum = (category: PayerCategory): DemographicStratum => {
  const code = PAYER_CODES[category];
  return code === undefined
    ? uncoded(category, PAYER_LABELS[category])
    : coded(SOPT_SYSTEM, code, PAYER_LABELS[category]);
};

const PAYER_STRATA = new Map(PAYER_CATEGORIES.map((c) => [c, payerStratum(c)]));

const SOCIAL_NEED_STRATA: Readonly<Record<SocialNeedGroup, DemographicStratum>> = {
  'positive-screen': uncoded('positive-screen', SOCIAL_NEED_GROUP_LABELS['positive-screen']),
  'negative-screen': uncoded('negative-screen', SOCIAL_NEED_GROUP_LABELS['negative-screen']),
};

/** The 12 months to the end of the period: the social-need stratum's screening window. */
export function screeningWindowOf(period: PayerPeriod): { start: string; end: string } {
  const end = period.end.slice(0, 10);
  const [y, m, d] = end.split('-').map(Number);
  const day = Date.UTC((y ?? 0) - 1, (m ?? 1) - 1, (d ?? 1) + 1);
  return { start: new Date(day).toISOString().slice(0, 10), end };
}

const patientOf = (input: DemographicInput) => input.patient ?? EMPTY_PATIENT;
const NEEDS_NONE: Needs = {
  patient: false,
  observations: false,
  coverages: false,
  screenings: false,
};
const PATIENT_ONLY: Needs = { ...NEEDS_NONE, patient: true };

const DEFINITIONS: Readonly<Record<CollectedStratifierId, StratifierDefinition>> = {
  race: {
    text: 'Race (OMB categories, race alone; two or more races together)',
    needs: PATIENT_ONLY,
    strata: RACE_ALONE_STRATA.map((s) => byKey(RACE_STRATA, s)),
    stratumOf: (input) => byKey(RACE_STRATA, raceAloneStratum(readRace(patientOf(input)))),
  },
  ethnicity: {
    text: 'Ethnicity (OMB categories)',
    needs: PATIENT_ONLY,
    strata: ETHNICITY_STRATA.map((s) => byKey(ETHNICITY_STRATA_BY_KEY, s)),
    stratumOf: (input) =>
      byKey(ETHNICITY_STRATA_BY_KEY, ethnicityStratum(readEthnicity(patientOf(input)))),
  },
  spd15: {
    text: 'Race and ethnicity (SPD 15, 2024 combined categories)',
    needs: PATIENT_ONLY,
    strata: SPD15_STRATA.map((s) => byKey(SPD15_STRATA_BY_KEY, s)),
    stratumOf: (input) => {
      const patient = patientOf(input);
      const categories = readSpd15Categories(readRace(patient), readEthnicity(patient));
      return byKey(SPD15_STRATA_BY_KEY, spd15Stratum(categories));
    },
  },
  language: {
    text: 'Preferred language',
    needs: PATIENT_ONLY,
    // Languages are open-ended: the recorded ones come first (by label), then the absences.
    strata: withAbsences([]),
    stratumOf: (input) =>
      fromReading(readPreferredLanguage(patientOf(input)), (l) =>
        coded(BCP47_SYSTEM, l.code, l.label),
      ),
  },
  interpreter: {
    text: 'Interpreter needed',
    needs: PATIENT_ONLY,
    strata: withAbsences([INTERPRETER_STRATA.yes, INTERPRETER_STRATA.no]),
    stratumOf: (input) =>
      fromReading(readInterpreterNeeded(patientOf(input)), (n) => INTERPRETER_STRATA[n]),
  },
  sex: {
    text: 'Sex (us-core-individual-sex, else us-core-sex)',
    needs: PATIENT_ONLY,
    strata: withAbsences([SEX_STRATA.female, SEX_STRATA.male]),
    stratumOf: (input) => fromReading(readSex(patientOf(input)), (s) => SEX_STRATA[s.sex]),
  },
  'sexual-orientation': {
    text: 'Sexual orientation (latest LOINC 76690-7)',
    needs: { ...NEEDS_NONE, observations: true },
    strata: withAbsences(SEXUAL_ORIENTATIONS.map((o) => ORIENTATION_STRATA[o])),
    stratumOf: (input) =>
      fromReading(
        readSexualOrientation(input.observations),
        (o) => ORIENTATION_STRATA[o.orientation],
      ),
  },
  'gender-identity': {
    text: 'Gender identity (latest LOINC 76691-5, else us-core-genderIdentity)',
    needs: { ...NEEDS_NONE, patient: true, observations: true },
    strata: withAbsences(GENDER_IDENTITIES.map((g) => GENDER_IDENTITY_STRATA[g])),
    stratumOf: (input) =>
      fromReading(
        readGenderIdentity(patientOf(input), input.observations),
        (g) => GENDER_IDENTITY_STRATA[g.identity],
      ),
  },
  payer: {
    text: 'Payer (primary Coverage overlapping the measurement period; none: not collected)',
    needs: { ...NEEDS_NONE, coverages: true },
    strata: withAbsences([...PAYER_STRATA.values()]),
    // No Coverage in the period reads as "Not collected" (readPayer's default): an export without
    // Coverage resources looks the same as an uninsured patient, so "uninsured" would be a guess.
    stratumOf: (input, options) =>
      fromReading(readPayer(input.coverages, options.period), (p) => payerStratum(p.primary)),
  },
  'social-need': {
    text: 'Social need (any positive social-needs screen in the 12 months to the period end)',
    needs: { ...NEEDS_NONE, screenings: true },
    strata: withAbsences([
      SOCIAL_NEED_STRATA['positive-screen'],
      SOCIAL_NEED_STRATA['negative-screen'],
    ]),
    stratumOf: (input, options) =>
      fromReading(
        readSocialNeed(input.screenings, screeningWindowOf(options.period)),
        (n) => SOCIAL_NEED_STRATA[n.group],
      ),
  },
};

/** The stratum of one patient for one stratifier, from what was collected for them. */
export function demographicStratumOf(
  id: CollectedStratifierId,
  input: DemographicInput,
  options: DemographicOptions,
): DemographicStratum {
  return DEFINITIONS[id].stratumOf(input, options);
}

/** Every stratum a stratifier declares, in report order (languages are open-ended: none). */
export function declaredStrata(id: CollectedStratifierId): readonly DemographicStratum[] {
  return DEFINITIONS[id].strata;
}

/** `stratifier.code.text` of a stratifier. */
export function stratifierText(id: CollectedStratifierId): string {
  return DEFINITIONS[id].text;
}

const DEMOGRAPHIC_LOINCS = new Set([SEXUAL_ORIENTATION_LOINC, GENDER_IDENTITY_LOINC]);

function hasLoincIn(obs: fhir4.Observation, codes: ReadonlySet<string>): boolean {
  return (obs.code.coding ?? []).some(
    (c) => c.system === LOINC_SYSTEM && c.code !== undefined && codes.has(c.code),
  );
}

const isDemographicObservation = (obs: fhir4.Observation) => hasLoincIn(obs, DEMOGRAPHIC_LOINCS);

const SCREENING_LOINCS: ReadonlySet<string> = new Set(SCREENING_QUESTIONS.keys());
const isScreeningObservation = (obs: fhir4.Observation) => hasLoincIn(obs, SCREENING_LOINCS);

/** The parts of a Patient the readers read (extensions, communication). */
function slimPatient(p: fhir4.Patient): fhir4.Patient {
  return {
    resourceType: 'Patient',
    ...(p.id === undefined ? {} : { id: p.id }),
    ...(p.extension === undefined ? {} : { extension: p.extension }),
    ...(p.communication === undefined ? {} : { communication: p.communication }),
  };
}

function slimObservation(o: fhir4.Observation): fhir4.Observation {
  return {
    resourceType: 'Observation',
    ...(o.id === undefined ? {} : { id: o.id }),
    status: o.status,
    code: o.code,
    ...(o.effectiveDateTime === undefined ? {} : { effectiveDateTime: o.effectiveDateTime }),
    ...(o.effectivePeriod === undefined ? {} : { effectivePeriod: o.effectivePeriod }),
    ...(o.issued === undefined ? {} : { issued: o.issued }),
    ...(o.valueCodeableConcept === undefined
      ? {}
      : { valueCodeableConcept: o.valueCodeableConcept }),
    ...(o.valueString === undefined ? {} : { valueString: o.valueString }),
    // The AHC safety total (95614-4) and its items may be numbers.
    ...(o.valueInteger === undefined ? {} : { valueInteger: o.valueInteger }),
    ...(o.valueQuantity === undefined ? {} : { valueQuantity: o.valueQuantity }),
    ...(o.dataAbsentReason === undefined ? {} : { dataAbsentReason: o.dataAbsentReason }),
  };
}

function slimCoverage(c: fhir4.Coverage): fhir4.Coverage {
  return {
    resourceType: 'Coverage',
    ...(c.id === undefined ? {} : { id: c.id }),
    status: c.status,
    beneficiary: c.beneficiary,
    payor: [],
    ...(c.type === undefined ? {} : { type: c.type }),
    ...(c.period === undefined ? {} : { period: c.period }),
    ...(c.order === undefined ? {} : { order: c.order }),
  };
}

/** Adds a slim copy to a patient's list unless a resource with the same id is there already. */
function keepOnce<T extends { id?: string }>(list: T[], resource: T, slim: (r: T) => T): boolean {
  if (resource.id !== undefined && list.some((o) => o.id === resource.id)) return false;
  list.push(slim(resource));
  return true;
}

/** The stratum of a patient the read never saw: nothing recorded. */
export const emptyDemographicInput = (): DemographicInput => ({
  patient: undefined,
  observations: [],
  coverages: [],
  screenings: [],
});

/**
 * The demographic stratifiers asked for, over one run: `collect` every resource as it is read,
 * then either `finish` once (the CLI: labels computed for its period, resources dropped) and
 * `stratifiers()` for the summary tallies, or `inputOf` / `demographicStratumOf` for each period
 * (the dashboard).
 */
export class DemographicStrata {
  private readonly definitions: StratifierDefinition[];
  private readonly needs: Needs;
  private inputs = new Map<string, DemographicInput>();
  /** Patient id → the stratum of each stratifier, in `ids` order. */
  private readonly strata = new Map<string, DemographicStratum[]>();
  private none: DemographicStratum[] | undefined;
  /** Resources kept for the readers (before `finish` drops them), for the run summary. */
  kept = 0;

  constructor(
    readonly ids: readonly CollectedStratifierId[],
    private readonly options: DemographicOptions,
  ) {
    this.definitions = ids.map((id) => DEFINITIONS[id]);
    this.needs = {
      patient: this.definitions.some((d) => d.needs.patient),
      observations: this.definitions.some((d) => d.needs.observations),
      coverages: this.definitions.some((d) => d.needs.coverages),
      screenings: this.definitions.some((d) => d.needs.screenings),
    };
  }

  private inputFor(patientId: string): DemographicInput {
    let input = this.inputs.get(patientId);
    if (input === undefined) {
      input = emptyDemographicInput();
      this.inputs.set(patientId, input);
    }
    return input;
  }

  /** Keeps what the readers asked for need of a resource; ignores everything else. */
  collect(resource: fhir4.FhirResource, patientId: string | undefined): void {
    if (patientId === undefined || this.definitions.length === 0) return;
    switch (resource.resourceType) {
      case 'Patient':
        if (this.needs.patient) {
          const input = this.inputFor(patientId);
          // A patient exported twice: the first copy is read.
          if (input.patient === undefined) {
            input.patient = slimPatient(resource);
            this.kept += 1;
          }
        }
        return;
      case 'Observation':
        if (this.needs.observations && isDemographicObservation(resource)) {
          if (keepOnce(this.inputFor(patientId).observations, resource, slimObservation))
            this.kept += 1;
        } else if (this.needs.screenings && isScreeningObservation(resource)) {
          if (keepOnce(this.inputFor(patientId).screenings, resource, slimObservation))
            this.kept += 1;
        }
        return;
      case 'Coverage':
        if (this.needs.coverages) {
          if (keepOnce(this.inputFor(patientId).coverages, resource, slimCoverage)) this.kept += 1;
        }
        return;
      default:
        return;
    }
  }

  /** What was collected for a patient (nothing recorded for a patient the read never saw). */
  inputOf(patientId: string): DemographicInput {
    return this.inputs.get(patientId) ?? emptyDemographicInput();
  }

  private strataOf(input: DemographicInput): DemographicStratum[] {
    return this.definitions.map((d) => d.stratumOf(input, this.options));
  }

  /** Patients with strata computed from kept resources (after `finish`). */
  get patients(): number {
    return this.strata.size;
  }

  /** Computes each patient's strata once and drops the resources kept for them. */
  finish(): void {
    for (const [id, input] of this.inputs) this.strata.set(id, this.strataOf(input));
    this.inputs = new Map();
  }

  private stratumOf(patientId: string, index: number): DemographicStratum {
    const strata =
      this.strata.get(patientId) ?? (this.none ??= this.strataOf(emptyDemographicInput()));
    return strata[index] ?? ABSENCE_STRATA['not-collected'];
  }

  /** One report stratifier per id, in the order asked. */
  stratifiers(): ReportStratifier[] {
    return this.definitions.map((definition, index) => {
      const codings = new Map<string, fhir4.Coding>();
      for (const s of definition.strata) if (s.coding) codings.set(s.label, s.coding);
      return {
        text: definition.text,
        stratumOf: (patientId) => {
          const stratum = this.stratumOf(patientId, index);
          if (stratum.coding) codings.set(stratum.label, stratum.coding);
          return stratum.label;
        },
        codingOf: (label) => codings.get(label),
        order: definition.strata.map((s) => s.label),
      };
    });
  }
}
