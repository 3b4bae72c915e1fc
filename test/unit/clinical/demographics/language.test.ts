import { describe, expect, it } from 'vitest';
import {
  languageLabel,
  INTERPRETER_REQUIRED_URL,
  normaliseLanguageTag,
  readInterpreterNeeded,
  readPreferredLanguage,
  US_CORE_INTERPRETER_NEEDED_URL,
} from '../../../../src/clinical/demographics/language';
import { LOINC, NULL_FLAVOR, patient, SNOMED } from './fixtures';

const BCP47 = 'urn:ietf:bcp:47';
const lang = (code: string, preferred?: boolean): fhir4.PatientCommunication => ({
  language: { coding: [{ system: BCP47, code }] },
  ...(preferred === undefined ? {} : { preferred }),
});

describe('normaliseLanguageTag', () => {
  it.each([
    ['en-US', 'en'],
    ['en', 'en'],
    ['es', 'es'],
    ['es-MX', 'es'],
    ['zh', 'zh'],
    ['zh-Hans', 'zh'],
    ['zh-Hant-TW', 'zh'],
    ['cmn', 'zh'],
    ['yue', 'zh'],
    ['vi', 'vi'],
    ['ar', 'ar'],
    ['ru', 'ru'],
    ['ko', 'ko'],
    ['tl', 'tl'],
    ['fil', 'tl'],
    ['pt-BR', 'pt'],
    ['fr', 'fr'],
    ['ht', 'ht'],
    ['spa', 'es'],
    ['sgn-US', 'ase'],
    ['hmn', 'hmn'],
    ['EN_us', 'en'],
  ])('%s → %s', (tag, code) => {
    expect(normaliseLanguageTag(tag)).toBe(code);
  });

  it.each(['und', 'mul', 'English', ''])('%s is not a language group', (tag) => {
    expect(normaliseLanguageTag(tag)).toBeUndefined();
  });
});

describe('readPreferredLanguage', () => {
  it.each<[string, fhir4.PatientCommunication[] | undefined, string]>([
    ['no communication', undefined, 'not-collected'],
    ['one language', [lang('es-MX')], 'recorded:es Spanish es-MX'],
    ['preferred first', [lang('en', false), lang('vi', true)], 'recorded:vi Vietnamese vi'],
    ['else the first', [lang('zh-Hans'), lang('en')], 'recorded:zh Chinese zh-Hans'],
    ['und', [lang('und')], 'unknown'],
    [
      'UNK null flavor',
      [{ language: { coding: [{ system: NULL_FLAVOR, code: 'UNK' }] } }],
      'unknown',
    ],
    ['text only, a name', [{ language: { text: 'Mandarin' } }], 'recorded:zh Chinese Mandarin'],
    ['text only, unmapped', [{ language: { text: 'Klingon' } }], 'unknown'],
    ['text declined', [{ language: { text: 'Declined' } }], 'asked-declined'],
    [
      'unlisted language keeps its subtag, named from ISO 639',
      [lang('hmn')],
      'recorded:hmn Hmong hmn',
    ],
  ])('%s', (_name, communication, expected) => {
    const p = communication === undefined ? patient() : patient([], { communication });
    const r = readPreferredLanguage(p);
    expect(
      r.status === 'recorded'
        ? `recorded:${r.value.code} ${r.value.label} ${r.value.tag}`
        : r.status,
    ).toBe(expected);
  });
});

describe('readInterpreterNeeded', () => {
  const usCore = (system: string, code: string): fhir4.Extension => ({
    url: US_CORE_INTERPRETER_NEEDED_URL,
    valueCoding: { system, code },
  });
  const core = (value: boolean): fhir4.Extension => ({
    url: INTERPRETER_REQUIRED_URL,
    valueBoolean: value,
  });
  it.each<[string, fhir4.Extension[], string, string[]]>([
    ['nothing', [], 'not-collected', []],
    ['US Core SNOMED yes', [usCore(SNOMED, '373066001')], 'yes', []],
    ['US Core SNOMED no', [usCore(SNOMED, '373067005')], 'no', []],
    ['US Core LOINC yes', [usCore(LOINC, 'LA33-6')], 'yes', []],
    ['US Core unknown', [usCore(SNOMED, '261665006')], 'unknown', []],
    ['US Core UNK', [usCore(NULL_FLAVOR, 'UNK')], 'unknown', []],
    ['US Core ASKU', [usCore(NULL_FLAVOR, 'ASKU')], 'asked-declined', []],
    ['US Core unrecognised code', [usCore(SNOMED, '1')], 'unknown', ['unrecognised-code']],
    ['core true', [core(true)], 'yes', []],
    ['core false', [core(false)], 'no', []],
    [
      'both, disagreeing: US Core read',
      [core(false), usCore(SNOMED, '373066001')],
      'yes',
      ['conflicting-values'],
    ],
  ])('%s', (_name, extensions, expected, issues) => {
    const r = readInterpreterNeeded(patient(extensions));
    expect(r.status === 'recorded' ? r.value : r.status).toBe(expected);
    expect(r.notes.map((n) => n.issue)).toEqual(issues);
  });
});

describe('languageLabel', () => {
  it.each([
    ['es', 'Spanish'],
    ['el', 'Greek'],
    ['hmn', 'Hmong'],
    ['qqq', 'qqq'],
  ])('names %s as %s', (code, label) => {
    expect(languageLabel(code)).toBe(label);
  });
});
