// Preferred language (Patient.communication, BCP-47) and interpreter need (US Core 8.0
// us-core-interpreter-needed, or core patient-interpreterRequired before it; equity.md §3).

import {
  absenceOfCoding,
  absenceOfExtensions,
  absenceOfText,
  absent,
  extensionsOf,
  LOINC_SYSTEM,
  normaliseText,
  recorded,
  SNOMED_SYSTEM,
  type Absence,
  type DataQualityNote,
  type Reading,
} from './reading';

export const BCP47_SYSTEM = 'urn:ietf:bcp:47';

export interface PreferredLanguage {
  /**
   * The language, normalised to the shortest ISO 639 code that groups it (`en-US` → `en`,
   * `cmn`/`zh-Hans` → `zh`, `fil` → `tl`): the stratum key.
   */
  code: string;
  /** English name for the code, or the code itself when not in the table. */
  label: string;
  /** The tag as sent (`es-MX`), or the text when only text was sent. */
  tag: string;
}

/** Language groups the strata use: a primary subtag (or macrolanguage member) → group code. */
const LANGUAGE_GROUPS: ReadonlyMap<string, string> = new Map([
  ['eng', 'en'],
  ['spa', 'es'],
  ['cmn', 'zh'],
  ['yue', 'zh'],
  ['zho', 'zh'],
  ['chi', 'zh'],
  ['vie', 'vi'],
  ['ara', 'ar'],
  ['arb', 'ar'],
  ['rus', 'ru'],
  ['kor', 'ko'],
  ['fil', 'tl'],
  ['tgl', 'tl'],
  ['por', 'pt'],
  ['fra', 'fr'],
  ['fre', 'fr'],
  ['hat', 'ht'],
  ['fas', 'fa'],
  ['per', 'fa'],
  ['pes', 'fa'],
  ['prs', 'fa'],
  ['hin', 'hi'],
  ['pol', 'pl'],
  ['deu', 'de'],
  ['ger', 'de'],
  ['ita', 'it'],
  ['jpn', 'ja'],
  ['som', 'so'],
  ['amh', 'am'],
]);

export const LANGUAGE_LABELS: ReadonlyMap<string, string> = new Map([
  ['en', 'English'],
  ['es', 'Spanish'],
  ['zh', 'Chinese'],
  ['vi', 'Vietnamese'],
  ['ar', 'Arabic'],
  ['ru', 'Russian'],
  ['ko', 'Korean'],
  ['tl', 'Tagalog'],
  ['pt', 'Portuguese'],
  ['fr', 'French'],
  ['ht', 'Haitian Creole'],
  ['fa', 'Persian'],
  ['hi', 'Hindi'],
  ['pl', 'Polish'],
  ['de', 'German'],
  ['it', 'Italian'],
  ['ja', 'Japanese'],
  ['so', 'Somali'],
  ['am', 'Amharic'],
  ['ase', 'American Sign Language'],
]);

/** Names some EHRs send as text instead of a tag. */
const LANGUAGE_NAMES: ReadonlyMap<string, string> = new Map([
  ...[...LANGUAGE_LABELS].map(([code, label]) => [label.toLowerCase(), code] as const),
  ['mandarin', 'zh'],
  ['cantonese', 'zh'],
  ['filipino', 'tl'],
  ['farsi', 'fa'],
  ['creole', 'ht'],
  ['sign language', 'ase'],
]);

/**
 * Normalises a BCP-47 tag to its language group: the primary subtag, lower-cased, mapped through
 * the table (ISO 639-2/3 codes and Chinese/Filipino members to the 639-1 code); `sgn-US` → `ase`.
 * Returns undefined for `und`, `mul`, `zxx`, or text that is not a tag.
 */
export function normaliseLanguageTag(tag: string): string | undefined {
  const t = tag.trim().toLowerCase().replace(/_/g, '-');
  if (t === 'sgn-us') return 'ase';
  const primary = t.split('-')[0] ?? '';
  if (!/^[a-z]{2,3}$/.test(primary)) return undefined;
  if (primary === 'und' || primary === 'mul' || primary === 'zxx') return undefined;
  return LANGUAGE_GROUPS.get(primary) ?? primary;
}

// Names for languages outside the table come from the runtime's ISO 639 data (ECMA-402
// Intl.DisplayNames; in every supported browser and in Node), in English like the table.
const displayNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

export function languageLabel(code: string): string {
  const known = LANGUAGE_LABELS.get(code);
  if (known !== undefined) return known;
  try {
    return displayNames.of(code) ?? code;
  } catch {
    // A code Intl rejects as malformed keeps its own text.
    return code;
  }
}

/**
 * The preferred language: the `preferred: true` communication first, else the first one listed.
 * No communication → `not-collected`; `und`, UNK, or an unreadable tag → `unknown`.
 */
export function readPreferredLanguage(patient: fhir4.Patient): Reading<PreferredLanguage> {
  const list = patient.communication ?? [];
  const notes: DataQualityNote[] = [];
  if (list.length === 0) return absent('not-collected');
  const preferred = list.filter((c) => c.preferred === true);
  if (preferred.length > 1) {
    notes.push({
      issue: 'conflicting-values',
      detail: `${preferred.length} communications marked preferred; the first is read`,
    });
  }
  const chosen = preferred[0] ?? list[0];
  const concept = chosen?.language;
  const dar = absenceOfExtensions(concept?.extension);
  if (dar !== undefined) return absent(dar, notes);
  for (const coding of concept?.coding ?? []) {
    const absence = absenceOfCoding(coding);
    if (absence !== undefined) return absent(absence, notes);
    if (coding.code === undefined) continue;
    if (coding.system !== undefined && coding.system !== BCP47_SYSTEM) {
      notes.push({
        issue: 'unrecognised-code',
        detail: `language system ${coding.system}; code "${coding.code}" read as a BCP-47 tag`,
      });
    }
    const code = normaliseLanguageTag(coding.code);
    if (code !== undefined)
      return recorded({ code, label: languageLabel(code), tag: coding.code }, notes);
    if (coding.code.toLowerCase() === 'und') return absent('unknown', notes);
    notes.push({ issue: 'unrecognised-code', detail: `language "${coding.code}"` });
  }
  const text = concept?.text;
  if (text !== undefined && text.trim().length > 0) {
    const absence = absenceOfText(text);
    if (absence !== undefined) return absent(absence, notes);
    const code = LANGUAGE_NAMES.get(normaliseText(text));
    if (code !== undefined) {
      notes.push({ issue: 'mapped-from-text', detail: `language text "${text}"` });
      return recorded({ code, label: languageLabel(code), tag: text }, notes);
    }
    notes.push({ issue: 'unmapped-text', detail: `language text "${text}"` });
  }
  return absent('unknown', notes);
}

export const US_CORE_INTERPRETER_NEEDED_URL =
  'http://hl7.org/fhir/us/core/StructureDefinition/us-core-interpreter-needed';
export const INTERPRETER_REQUIRED_URL =
  'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired';

export type InterpreterNeed = 'yes' | 'no';

/**
 * Yes/No/Unknown answers (VSAC 2.16.840.1.113762.1.4.1267.16): SNOMED qualifier values as in the
 * US Core example, LOINC LA33-6 / LA32-8, and v2-0136 Y/N.
 */
const INTERPRETER_CODES: ReadonlyMap<string, InterpreterNeed | Absence> = new Map([
  [`${SNOMED_SYSTEM}|373066001`, 'yes'],
  [`${SNOMED_SYSTEM}|373067005`, 'no'],
  [`${SNOMED_SYSTEM}|261665006`, 'unknown'],
  [`${LOINC_SYSTEM}|LA33-6`, 'yes'],
  [`${LOINC_SYSTEM}|LA32-8`, 'no'],
  [`${LOINC_SYSTEM}|LA4489-6`, 'unknown'],
  ['http://terminology.hl7.org/CodeSystem/v2-0136|Y', 'yes'],
  ['http://terminology.hl7.org/CodeSystem/v2-0136|N', 'no'],
]);

/**
 * Interpreter needed: us-core-interpreter-needed (valueCoding) first, else core
 * patient-interpreterRequired (valueBoolean). Neither → `not-collected`.
 */
export function readInterpreterNeeded(patient: fhir4.Patient): Reading<InterpreterNeed> {
  const notes: DataQualityNote[] = [];
  const answers: (InterpreterNeed | Absence)[] = [];
  for (const { ext } of extensionsOf(patient, [US_CORE_INTERPRETER_NEEDED_URL])) {
    const coding = ext.valueCoding ?? ext.valueCodeableConcept?.coding?.[0];
    if (coding === undefined) continue;
    const answer =
      absenceOfCoding(coding) ??
      INTERPRETER_CODES.get(`${coding.system ?? ''}|${coding.code ?? ''}`);
    if (answer === undefined) {
      notes.push({
        issue: 'unrecognised-code',
        detail: `interpreter needed ${coding.system ?? '(no system)'}|${coding.code ?? ''}`,
      });
      answers.push('unknown');
    } else answers.push(answer);
  }
  for (const { ext } of extensionsOf(patient, [INTERPRETER_REQUIRED_URL])) {
    if (typeof ext.valueBoolean === 'boolean') answers.push(ext.valueBoolean ? 'yes' : 'no');
  }
  if (new Set(answers).size > 1) {
    notes.push({
      issue: 'conflicting-values',
      detail: `interpreter needed: ${answers.join(', ')}; the first (US Core) is read`,
    });
  }
  const first = answers[0];
  if (first === undefined) return absent('not-collected', notes);
  return first === 'yes' || first === 'no' ? recorded(first, notes) : absent(first, notes);
}
