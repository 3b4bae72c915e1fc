// The demographics the patient view lists (issue 8; equity.md §3 US Core demographics), each as
// recorded / declined / unknown / not collected with the readers' data-quality notes in plain
// words. Built from src/clinical's readers; no React.
import { OMB_RACE_LABELS } from '../../clinical/demographics/cdc-race-ethnicity';
import { OMB_ETHNICITY_LABELS } from '../../clinical/demographics/cdc-race-ethnicity';
import { readInterpreterNeeded, readPreferredLanguage } from '../../clinical/demographics/language';
import { readEthnicity, readRace } from '../../clinical/demographics/race-ethnicity';
import type { Absence, DataQualityNote, Reading } from '../../clinical/demographics/reading';
import {
  SEX_LABELS,
  readBirthSex,
  readGenderIdentity,
  readSex,
  readSexualOrientation,
} from '../../clinical/demographics/sex-gender';
import type { GenderIdentity, SexualOrientation } from '../../clinical/demographics/sex-gender';

export type DemographicStatus = 'recorded' | Absence;

export type DemographicKey =
  | 'race'
  | 'ethnicity'
  | 'preferred-language'
  | 'interpreter-needed'
  | 'sex'
  | 'gender-identity'
  | 'sexual-orientation';

export interface DemographicItem {
  key: DemographicKey;
  label: string;
  status: DemographicStatus;
  /** What is recorded (only when `recorded`). */
  value: string | undefined;
  /** Further recorded detail (detailed race codes, the tag as sent…). */
  detail: string | undefined;
  /** Data-quality notes in plain words. */
  notes: string[];
}

const GENDER_IDENTITY_LABELS: Readonly<Record<GenderIdentity, string>> = {
  female: 'Female',
  male: 'Male',
  'transgender-female': 'Transgender female',
  'transgender-male': 'Transgender male',
  nonbinary: 'Non-binary',
  'another-gender-identity': 'Another gender identity',
};

const ORIENTATION_LABELS: Readonly<Record<SexualOrientation, string>> = {
  heterosexual: 'Straight or heterosexual',
  'gay-or-lesbian': 'Lesbian or gay',
  bisexual: 'Bisexual',
  'another-orientation': 'Another sexual orientation',
};

/** A data-quality note in words a clinician reads without the FHIR spec at hand. */
export function describeNote(note: DataQualityNote): string {
  switch (note.issue) {
    case 'legacy-extension-url':
      return `Recorded in an old format (${note.detail}).`;
    case 'flat-extension-value':
      return 'Recorded in a non-standard shape; read as best as possible.';
    case 'ethnicity-code-in-race':
      return `An ethnicity code is recorded as a race (${note.detail}).`;
    case 'race-code-in-ethnicity':
      return `A race code is recorded as an ethnicity (${note.detail}).`;
    case 'mapped-from-text':
      return `Read from free text, not a code (${note.detail}).`;
    case 'unmapped-text':
      return `Free text that could not be matched to a category: "${note.detail}".`;
    case 'unrecognised-code':
      return `A code Equity Lens does not recognise (${note.detail}).`;
    case 'null-flavor-with-categories':
      return `"Declined" or "unknown" is recorded alongside real answers (${note.detail}).`;
    case 'detailed-without-category':
      return `Detailed codes without their broad category; the category was derived (${note.detail}).`;
    case 'conflicting-values':
      return `Recorded more than once with different answers (${note.detail}).`;
    case 'partial-birth-date':
      return `The birth date is incomplete (${note.detail}).`;
    case 'birth-date-after-reference-date':
      return `The birth date is after today (${note.detail}).`;
    case 'no-payer-typology':
      return `A coverage record without a payer type (${note.detail}).`;
  }
}

function item<T>(
  key: DemographicKey,
  label: string,
  reading: Reading<T>,
  show: (value: T) => { value: string; detail?: string | undefined },
): DemographicItem {
  const notes = reading.notes.map(describeNote);
  if (reading.status !== 'recorded') {
    return { key, label, status: reading.status, value: undefined, detail: undefined, notes };
  }
  const shown = show(reading.value);
  return { key, label, status: 'recorded', value: shown.value, detail: shown.detail, notes };
}

/** The seven demographics of issue 8, in display order. */
export function readDemographicItems(
  patient: fhir4.Patient,
  observations: readonly fhir4.Observation[],
): DemographicItem[] {
  const sex = readSex(patient);
  const birthSex = readBirthSex(patient);
  return [
    item('race', 'Race', readRace(patient), (race) => ({
      value:
        race.categories.length > 0
          ? race.categories.map((c) => OMB_RACE_LABELS[c]).join(', ')
          : (race.text ?? 'Recorded'),
      detail:
        [
          ...race.detailed.map((d) => d.display ?? d.code),
          ...(race.mena ? ['Middle Eastern or North African'] : []),
        ].join(', ') || undefined,
    })),
    item('ethnicity', 'Ethnicity', readEthnicity(patient), (ethnicity) => ({
      value: OMB_ETHNICITY_LABELS[ethnicity.category],
      detail: ethnicity.detailed.map((d) => d.display ?? d.code).join(', ') || undefined,
    })),
    item('preferred-language', 'Preferred language', readPreferredLanguage(patient), (l) => ({
      value: l.label,
      detail: l.tag !== l.code ? `as recorded: ${l.tag}` : undefined,
    })),
    item('interpreter-needed', 'Interpreter needed', readInterpreterNeeded(patient), (need) => ({
      value: need === 'yes' ? 'Yes' : 'No',
    })),
    // Sex (US Core 6.1+), else the older birth sex.
    sex.status === 'recorded' || birthSex.status !== 'recorded'
      ? item('sex', 'Sex', sex, (s) => ({ value: SEX_LABELS[s.sex] }))
      : item('sex', 'Sex', birthSex, (s) => ({
          value: SEX_LABELS[s],
          detail: 'recorded as sex assigned at birth',
        })),
    item('gender-identity', 'Gender identity', readGenderIdentity(patient, observations), (g) => ({
      value: GENDER_IDENTITY_LABELS[g.identity],
      detail: g.text,
    })),
    item('sexual-orientation', 'Sexual orientation', readSexualOrientation(observations), (o) => ({
      value: ORIENTATION_LABELS[o.orientation],
      detail: o.text,
    })),
  ];
}

export const DEMOGRAPHIC_STATUS_LABELS: Readonly<Record<DemographicStatus, string>> = {
  recorded: 'Recorded',
  'asked-declined': 'Declined to answer',
  unknown: 'Unknown',
  'not-collected': 'Not collected',
};
