// Demographic data completeness (measures.md "Equity's own measures", the toolkit's Opportunity
// 2): for race, ethnicity, preferred language, sexual orientation and gender identity, whether each
// is recorded, asked but declined, unknown, or not collected. A minimal reading of the record;
// the full demographics readers (categories, detail codes) are a later piece of work.
//
// Per element (absence is a value with a reason, architecture.md rule 7):
// - race / ethnicity (us-core-race / us-core-ethnicity, as the record keeps their ombCategory and
//   detailed codes and text): any real code → recorded; else the null flavour ASKU →
//   asked-declined, UNK → unknown (US Core allows them alone in ombCategory); else a text alone
//   → recorded (the extension's text is required, so it is read only when there is no code); no
//   extension → not-collected.
// - preferred language (Patient.communication, preferred first): `und` (BCP-47 undetermined) →
//   unknown; any other → recorded; none → not-collected.
// - sexual orientation (LOINC 76690-7) and gender identity (LOINC 76691-5) Observations, the most
//   recent usable one: a null-flavour ASKU/UNK value → asked-declined/unknown; any other value
//   (coded or free text) → recorded; no value → asked-declined (see the hazard in
//   ../clinical/sdoh-screening.ts readScreeningFact: the record drops the data-absent-reason).
//   Hazard: the record does not carry the Patient us-core-genderIdentity extension, so gender
//   identity recorded only there reads as not-collected here.

import type { ObservationFact, PatientRecord } from '../clinical/patient-record';

export const DEMOGRAPHIC_COMPLETENESS_MEASURE_ID = 'DEMOGRAPHIC-COMPLETENESS';

export type DemographicElement =
  'race' | 'ethnicity' | 'preferred-language' | 'sexual-orientation' | 'gender-identity';

export const DEMOGRAPHIC_ELEMENTS: readonly DemographicElement[] = [
  'race',
  'ethnicity',
  'preferred-language',
  'sexual-orientation',
  'gender-identity',
];

export type DemographicCompleteness = 'recorded' | 'asked-declined' | 'unknown' | 'not-collected';

export interface DemographicCompletenessResult {
  measureId: typeof DEMOGRAPHIC_COMPLETENESS_MEASURE_ID;
  patientId: string;
  elements: Record<DemographicElement, DemographicCompleteness>;
}

const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
const ASKED_DECLINED = new Set(['ASKU', `${NULL_FLAVOR}|ASKU`]);
const UNKNOWN = new Set(['UNK', `${NULL_FLAVOR}|UNK`]);
const SEXUAL_ORIENTATION = 'http://loinc.org|76690-7';
const GENDER_IDENTITY = 'http://loinc.org|76691-5';
const USABLE_STATUS = new Set(['final', 'amended', 'corrected']);

export function evaluateDemographicCompleteness(
  record: PatientRecord,
): DemographicCompletenessResult {
  return {
    measureId: DEMOGRAPHIC_COMPLETENESS_MEASURE_ID,
    patientId: record.id,
    elements: {
      race: readCodedDemographic(record.race),
      ethnicity: readCodedDemographic(record.ethnicity),
      'preferred-language': readLanguage(record.languages),
      'sexual-orientation': readObservedDemographic(record.observations, SEXUAL_ORIENTATION),
      'gender-identity': readObservedDemographic(record.observations, GENDER_IDENTITY),
    },
  };
}

function readCodedDemographic(value: {
  codes: readonly string[];
  text: string | null;
}): DemographicCompleteness {
  if (value.codes.some((c) => !ASKED_DECLINED.has(c) && !UNKNOWN.has(c))) return 'recorded';
  if (value.codes.some((c) => ASKED_DECLINED.has(c))) return 'asked-declined';
  if (value.codes.some((c) => UNKNOWN.has(c))) return 'unknown';
  return value.text !== null && value.text.trim() !== '' ? 'recorded' : 'not-collected';
}

function readLanguage(languages: readonly string[]): DemographicCompleteness {
  const preferred = languages[0];
  if (preferred === undefined) return 'not-collected';
  return preferred.toLowerCase() === 'und' ? 'unknown' : 'recorded';
}

function readObservedDemographic(
  observations: readonly ObservationFact[],
  code: string,
): DemographicCompleteness {
  const latest = observations
    .filter((o) => USABLE_STATUS.has(o.status) && o.codes.includes(code))
    .map((o) => ({ o, time: o.effective?.start ?? o.effective?.end ?? o.issued ?? 0 }))
    .sort((a, b) => b.time - a.time)[0]?.o;
  if (latest === undefined) return 'not-collected';
  const v = latest.value;
  switch (v.kind) {
    case 'concept':
      if (v.codes.some((c) => !ASKED_DECLINED.has(c) && !UNKNOWN.has(c))) return 'recorded';
      if (v.codes.some((c) => ASKED_DECLINED.has(c))) return 'asked-declined';
      return v.codes.length > 0 ? 'unknown' : 'recorded';
    case 'quantity':
    case 'integer':
    case 'other':
      return 'recorded';
    case 'absent': {
      const reason = v.reason ?? 'asked-declined';
      if (reason === 'asked-declined') return 'asked-declined';
      return reason === 'unknown' || reason === 'asked-unknown' ? 'unknown' : 'not-collected';
    }
  }
}
