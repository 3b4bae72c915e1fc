// Sex, administrative gender, gender identity and sexual orientation, each a separate element
// (equity.md §3). US Core moved these a lot: birth sex (≤7.0), us-core-sex (6.1–8.0, valueCode),
// us-core-individual-sex (8.0.1 on, valueCoding), genderIdentity (extension, deprecated in 8.0)
// and the 76691-5 / 76690-7 Observations. `Patient.gender` is administrative gender only: never
// read as sex or gender identity.

import {
  ABSENCES,
  absenceOfCoding,
  absenceOfText,
  absent,
  DATA_ABSENT_REASON_SYSTEM,
  extensionsOf,
  latestObservations,
  normaliseText,
  NULL_FLAVOR_SYSTEM,
  recorded,
  SNOMED_SYSTEM,
  type Absence,
  type DataQualityNote,
  type Reading,
} from './reading';

export const US_CORE_BIRTH_SEX_URL =
  'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex';
export const US_CORE_SEX_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex';
export const US_CORE_INDIVIDUAL_SEX_URL =
  'http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex';
export const US_CORE_GENDER_IDENTITY_URL =
  'http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity';
export const GENDER_IDENTITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/gender-identity';
/** LOINC 76691-5 Gender identity; 76690-7 Sexual orientation. */
export const GENDER_IDENTITY_LOINC = '76691-5';
export const SEXUAL_ORIENTATION_LOINC = '76690-7';

export type Sex = 'female' | 'male';

export const SEX_LABELS: Readonly<Record<Sex, string>> = { female: 'Female', male: 'Male' };

/** SNOMED CT sex findings (VSAC 2.16.840.1.113762.1.4.1240.3 / .1021.121). */
const SNOMED_SEX: ReadonlyMap<string, Sex> = new Map([
  ['248152002', 'female'],
  ['248153007', 'male'],
]);

/** us-core-birthsex valueCode (F/M/UNK; older servers also send ASKU, OTH). */
export function readBirthSex(patient: fhir4.Patient): Reading<Sex> {
  const exts = extensionsOf(patient, [US_CORE_BIRTH_SEX_URL]);
  const notes: DataQualityNote[] = [];
  if (exts.length === 0) return absent('not-collected');
  const codes = [...new Set(exts.map((e) => e.ext.valueCode ?? ''))];
  if (codes.length > 1) {
    notes.push({ issue: 'conflicting-values', detail: `birth sex ${codes.join(', ')}` });
    return absent('unknown', notes);
  }
  switch (codes[0]) {
    case 'F':
      return recorded('female');
    case 'M':
      return recorded('male');
    case 'ASKU':
      return absent('asked-declined');
    case 'UNK':
      return absent('unknown');
    default:
      notes.push({ issue: 'unrecognised-code', detail: `birth sex "${codes[0] ?? ''}"` });
      return absent('unknown', notes);
  }
}

export type SexSource = 'us-core-individual-sex' | 'us-core-sex';

export interface RecordedSex {
  sex: Sex;
  source: SexSource;
}

function sexOfCoding(coding: fhir4.Coding, notes: DataQualityNote[]): Sex | Absence {
  const absence = absenceOfCoding(coding);
  if (absence !== undefined) return absence;
  const sex =
    coding.system === SNOMED_SYSTEM || coding.system === undefined
      ? SNOMED_SEX.get(coding.code ?? '')
      : undefined;
  if (sex !== undefined) return sex;
  if (
    coding.code === 'F' ||
    coding.code === 'M' ||
    coding.code === 'female' ||
    coding.code === 'male'
  ) {
    notes.push({
      issue: 'unrecognised-code',
      detail: `sex code "${coding.code}" (expects SNOMED 248152002/248153007); read as ${coding.code.startsWith('F') || coding.code === 'female' ? 'female' : 'male'}`,
    });
    return coding.code.startsWith('F') || coding.code === 'female' ? 'female' : 'male';
  }
  notes.push({
    issue: 'unrecognised-code',
    detail: `sex ${coding.system ?? '(no system)'}|${coding.code ?? ''}`,
  });
  return 'unknown';
}

/**
 * Sex (USCDI v3): us-core-individual-sex (8.0.1 on, valueCoding) first, else us-core-sex (6.1–8.0,
 * valueCode). Birth sex is a different element (readBirthSex); Patient.gender is not read here.
 */
export function readSex(patient: fhir4.Patient): Reading<RecordedSex> {
  const notes: DataQualityNote[] = [];
  const readings: { source: SexSource; value: Sex | Absence }[] = [];
  for (const { ext } of extensionsOf(patient, [US_CORE_INDIVIDUAL_SEX_URL])) {
    const coding = ext.valueCoding ?? ext.valueCodeableConcept?.coding?.[0];
    if (coding !== undefined)
      readings.push({ source: 'us-core-individual-sex', value: sexOfCoding(coding, notes) });
  }
  for (const { ext } of extensionsOf(patient, [US_CORE_SEX_URL])) {
    const coding: fhir4.Coding | undefined =
      ext.valueCode !== undefined
        ? {
            system: ['UNK', 'ASKU', 'OTH'].includes(ext.valueCode)
              ? NULL_FLAVOR_SYSTEM
              : SNOMED_SYSTEM,
            code: ext.valueCode,
          }
        : (ext.valueCoding ?? undefined);
    if (coding !== undefined)
      readings.push({ source: 'us-core-sex', value: sexOfCoding(coding, notes) });
  }
  if (readings.length === 0) return absent('not-collected', notes);
  const distinct = new Set(readings.map((r) => r.value));
  if (distinct.size > 1) {
    notes.push({
      issue: 'conflicting-values',
      detail: readings.map((r) => `${r.source}: ${r.value}`).join('; '),
    });
  }
  const first = readings[0];
  if (first === undefined) return absent('not-collected', notes);
  const { source, value } = first;
  if (value === 'female' || value === 'male') return recorded({ sex: value, source }, notes);
  return absent(value, notes);
}

export type AdministrativeGender = 'female' | 'male' | 'other';

/** `Patient.gender` (administrative gender: how the record is filed, not sex or identity). */
export function readAdministrativeGender(patient: fhir4.Patient): Reading<AdministrativeGender> {
  switch (patient.gender) {
    case 'female':
    case 'male':
    case 'other':
      return recorded(patient.gender);
    case 'unknown':
      return absent('unknown');
    case undefined:
      return absent('not-collected');
  }
}

// ---------------------------------------------------------------- gender identity

export type GenderIdentity =
  | 'female'
  | 'male'
  | 'transgender-female'
  | 'transgender-male'
  | 'nonbinary'
  | 'another-gender-identity';

export const GENDER_IDENTITIES: readonly GenderIdentity[] = [
  'female',
  'male',
  'transgender-female',
  'transgender-male',
  'nonbinary',
  'another-gender-identity',
];

export interface RecordedGenderIdentity {
  identity: GenderIdentity;
  source: 'observation' | 'extension';
  /** The free text, when the answer was text. */
  text: string | undefined;
}

/** VSAC 2.16.840.1.113762.1.4.1021.32 (SNOMED CT) and the older HL7 gender-identity codes. */
const GENDER_IDENTITY_CODES: ReadonlyMap<string, GenderIdentity | Absence> = new Map([
  [`${SNOMED_SYSTEM}|446141000124107`, 'female'],
  [`${SNOMED_SYSTEM}|446151000124109`, 'male'],
  [`${SNOMED_SYSTEM}|33791000087105`, 'nonbinary'],
  [`${SNOMED_SYSTEM}|407376001`, 'transgender-female'], // male-to-female
  [`${SNOMED_SYSTEM}|407377005`, 'transgender-male'], // female-to-male
  [`${SNOMED_SYSTEM}|446131000124102`, 'another-gender-identity'], // non-conforming
  [`${GENDER_IDENTITY_SYSTEM}|female`, 'female'],
  [`${GENDER_IDENTITY_SYSTEM}|male`, 'male'],
  [`${GENDER_IDENTITY_SYSTEM}|transgender-female`, 'transgender-female'],
  [`${GENDER_IDENTITY_SYSTEM}|transgender-male`, 'transgender-male'],
  [`${GENDER_IDENTITY_SYSTEM}|non-binary`, 'nonbinary'],
  [`${GENDER_IDENTITY_SYSTEM}|other`, 'another-gender-identity'],
  [`${GENDER_IDENTITY_SYSTEM}|non-disclose`, 'asked-declined'],
]);

const GENDER_IDENTITY_TEXTS: ReadonlyMap<string, GenderIdentity> = new Map([
  ['female', 'female'],
  ['woman', 'female'],
  ['male', 'male'],
  ['man', 'male'],
  ['transgender female', 'transgender-female'],
  ['transgender woman', 'transgender-female'],
  ['trans woman', 'transgender-female'],
  ['transgender male', 'transgender-male'],
  ['transgender man', 'transgender-male'],
  ['trans man', 'transgender-male'],
  ['nonbinary', 'nonbinary'],
  ['non-binary', 'nonbinary'],
  ['genderqueer', 'another-gender-identity'],
  ['gender non-conforming', 'another-gender-identity'],
  ['something else', 'another-gender-identity'],
  ['other', 'another-gender-identity'],
]);

const isAbsence = (x: string): x is Absence => (ABSENCES as readonly string[]).includes(x);

type Answer<C> = { kind: 'value'; value: C; text: string | undefined } | { kind: Absence };

/**
 * Reads one coded-or-text answer (an extension's value or an Observation's value) with a code
 * table and a text table. OTH is "another" (the caller's `other`).
 */
function readAnswer<C extends string>(
  concept: fhir4.CodeableConcept | undefined,
  text: string | undefined,
  codes: ReadonlyMap<string, C | Absence>,
  texts: ReadonlyMap<string, C | Absence>,
  other: C,
  label: string,
  notes: DataQualityNote[],
): Answer<C> {
  for (const coding of concept?.coding ?? []) {
    const absence = absenceOfCoding(coding);
    if (absence !== undefined) return { kind: absence };
    if (coding.code === 'OTH' && coding.system?.endsWith('NullFlavor') === true) {
      return { kind: 'value', value: other, text: concept?.text ?? text };
    }
    const mapped = codes.get(`${coding.system ?? ''}|${coding.code ?? ''}`);
    if (mapped !== undefined && isAbsence(mapped)) return { kind: mapped };
    if (mapped !== undefined) return { kind: 'value', value: mapped, text: concept?.text ?? text };
  }
  for (const coding of concept?.coding ?? []) {
    notes.push({
      issue: 'unrecognised-code',
      detail: `${label} ${coding.system ?? '(no system)'}|${coding.code ?? ''}`,
    });
  }
  const free = concept?.text ?? text;
  if (free === undefined || free.trim().length === 0) return { kind: 'unknown' };
  const t = normaliseText(free);
  const fromText = texts.get(t) ?? absenceOfText(t);
  if (fromText !== undefined && isAbsence(fromText)) return { kind: fromText };
  if (fromText !== undefined) {
    notes.push({ issue: 'mapped-from-text', detail: `${label} text "${free}"` });
    return { kind: 'value', value: fromText, text: free };
  }
  notes.push({ issue: 'unmapped-text', detail: `${label} text "${free}"` });
  return { kind: 'unknown' };
}

function observationAnswer<C extends string>(
  obs: fhir4.Observation,
  codes: ReadonlyMap<string, C | Absence>,
  texts: ReadonlyMap<string, C | Absence>,
  other: C,
  label: string,
  notes: DataQualityNote[],
): Answer<C> {
  if (obs.valueCodeableConcept !== undefined || obs.valueString !== undefined) {
    return readAnswer(obs.valueCodeableConcept, obs.valueString, codes, texts, other, label, notes);
  }
  const reason = obs.dataAbsentReason?.coding?.find((c) => c.system === DATA_ABSENT_REASON_SYSTEM);
  if (reason !== undefined) return { kind: absenceOfCoding(reason) ?? 'unknown' };
  return { kind: 'unknown' };
}

const sameAnswer = <C>(a: Answer<C>, b: Answer<C>): boolean =>
  a.kind === b.kind && (a.kind !== 'value' || b.kind !== 'value' || a.value === b.value);

/**
 * Gender identity: the latest 76691-5 Observation (by effective date) wins; else the
 * us-core-genderIdentity extension (undated). A disagreement between them is noted.
 */
export function readGenderIdentity(
  patient: fhir4.Patient,
  observations: readonly fhir4.Observation[],
): Reading<RecordedGenderIdentity> {
  const notes: DataQualityNote[] = [];
  const read = (concept: fhir4.CodeableConcept | undefined, text: string | undefined) =>
    readAnswer(
      concept,
      text,
      GENDER_IDENTITY_CODES,
      GENDER_IDENTITY_TEXTS,
      'another-gender-identity',
      'gender identity',
      notes,
    );
  const ext = extensionsOf(patient, [US_CORE_GENDER_IDENTITY_URL])[0]?.ext;
  const fromExtension =
    ext === undefined
      ? undefined
      : read(
          ext.valueCodeableConcept ??
            (ext.valueCoding === undefined ? undefined : { coding: [ext.valueCoding] }),
          ext.valueString,
        );
  const latest = latestObservations(observations, GENDER_IDENTITY_LOINC)[0];
  const fromObservation =
    latest === undefined
      ? undefined
      : observationAnswer(
          latest,
          GENDER_IDENTITY_CODES,
          GENDER_IDENTITY_TEXTS,
          'another-gender-identity',
          'gender identity',
          notes,
        );
  if (
    fromExtension !== undefined &&
    fromObservation !== undefined &&
    !sameAnswer(fromExtension, fromObservation)
  ) {
    notes.push({
      issue: 'conflicting-values',
      detail:
        'gender identity extension and latest 76691-5 Observation differ; the Observation is read',
    });
  }
  const answer = fromObservation ?? fromExtension;
  if (answer === undefined) return absent('not-collected', notes);
  if (answer.kind !== 'value') return absent(answer.kind, notes);
  return recorded(
    {
      identity: answer.value,
      source: fromObservation === undefined ? 'extension' : 'observation',
      text: answer.text,
    },
    notes,
  );
}

// ---------------------------------------------------------------- sexual orientation

export type SexualOrientation =
  'heterosexual' | 'gay-or-lesbian' | 'bisexual' | 'another-orientation';

export const SEXUAL_ORIENTATIONS: readonly SexualOrientation[] = [
  'heterosexual',
  'gay-or-lesbian',
  'bisexual',
  'another-orientation',
];

export interface RecordedSexualOrientation {
  orientation: SexualOrientation;
  /** The free text, when the answer was text (Synthea and some EHRs send valueString). */
  text: string | undefined;
}

/** US Core 6.1 SNOMED answers (VSAC 2.16.840.1.113762.1.4.1240.11 from 7.0). */
const ORIENTATION_CODES: ReadonlyMap<string, SexualOrientation | Absence> = new Map([
  [`${SNOMED_SYSTEM}|20430005`, 'heterosexual'],
  [`${SNOMED_SYSTEM}|38628009`, 'gay-or-lesbian'],
  [`${SNOMED_SYSTEM}|42035005`, 'bisexual'],
  [`${SNOMED_SYSTEM}|765288000`, 'another-orientation'], // attracted to neither sex (asexual)
]);

/**
 * Obvious texts. "Something else" answers (queer, pansexual, asexual) are another orientation;
 * "questioning"/"don't know" is the LOINC "Don't know" answer, read as unknown.
 */
const ORIENTATION_TEXTS: ReadonlyMap<string, SexualOrientation | Absence> = new Map([
  ['heterosexual', 'heterosexual'],
  ['straight', 'heterosexual'],
  ['straight or heterosexual', 'heterosexual'],
  ['heterosexual or straight', 'heterosexual'],
  ['gay', 'gay-or-lesbian'],
  ['lesbian', 'gay-or-lesbian'],
  ['homosexual', 'gay-or-lesbian'],
  ['gay or lesbian', 'gay-or-lesbian'],
  ['lesbian or gay', 'gay-or-lesbian'],
  ['lesbian, gay or homosexual', 'gay-or-lesbian'],
  ['bisexual', 'bisexual'],
  ['queer', 'another-orientation'],
  ['pansexual', 'another-orientation'],
  ['asexual', 'another-orientation'],
  ['something else', 'another-orientation'],
  ['other', 'another-orientation'],
  ['questioning', 'unknown'],
]);

/** Sexual orientation from the latest 76690-7 Observation (by effective date). */
export function readSexualOrientation(
  observations: readonly fhir4.Observation[],
): Reading<RecordedSexualOrientation> {
  const notes: DataQualityNote[] = [];
  const latest = latestObservations(observations, SEXUAL_ORIENTATION_LOINC)[0];
  if (latest === undefined) return absent('not-collected');
  const answer = observationAnswer(
    latest,
    ORIENTATION_CODES,
    ORIENTATION_TEXTS,
    'another-orientation',
    'sexual orientation',
    notes,
  );
  if (answer.kind !== 'value') return absent(answer.kind, notes);
  return recorded({ orientation: answer.value, text: answer.text }, notes);
}
