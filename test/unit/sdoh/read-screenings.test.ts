import { describe, expect, it } from 'vitest';
import type { SdohDomain, ScreeningResult } from '../../../src/clinical/sdoh-screening';
import type { ScreeningItemEvidence } from '../../../src/sdoh/read-screenings';
import { readScreeningItems } from '../../../src/sdoh/read-screenings';
import {
  US_CORE_TAGS,
  coded,
  itemObservation,
  panelObservation,
  questionnaireResponse,
} from './sdoh-fixtures';
import type { ItemValue } from './sdoh-fixtures';

const DAY = '2026-11-20';

/** The item's result for a domain, or `none` when the item says nothing about it. */
function resultFor(item: ScreeningItemEvidence | undefined, domain: SdohDomain): string {
  const f = item?.findings.find((x) => x.domain === domain);
  if (f === undefined) return 'none';
  return f.kind === 'result' ? f.result : `score ${f.score}`;
}

function readOne(loinc: string, value: ItemValue): ScreeningItemEvidence | undefined {
  const items = readScreeningItems({
    observations: [itemObservation('o1', loinc, value, DAY)],
    questionnaireResponses: [],
  });
  expect(items).toHaveLength(1);
  return items[0];
}

type Row = [
  instrument: string,
  question: string,
  answer: ItemValue,
  domain: SdohDomain,
  expected: ScreeningResult | `score ${number}`,
];

// Positive is decided from the (question, answer) pair (sdoh.md §0.2, §2 domain table).
const ROWS: Row[] = [
  // Hunger Vital Sign 88121-9: either item Often/Sometimes true; result 88124-3.
  ['HVS', '88122-7', coded('LA28397-0'), 'food-insecurity', 'positive'],
  ['HVS', '88122-7', coded('LA6729-3'), 'food-insecurity', 'positive'],
  ['HVS', '88122-7', coded('LA28398-8'), 'food-insecurity', 'negative'],
  ['HVS', '88123-5', coded('LA6729-3'), 'food-insecurity', 'positive'],
  ['HVS', '88123-5', coded('LA28398-8'), 'food-insecurity', 'negative'],
  ['HVS', '88123-5', coded('LA15775-2'), 'food-insecurity', 'declined'],
  ['HVS', '88124-3', coded('LA19952-3'), 'food-insecurity', 'positive'],
  ['HVS', '88124-3', coded('LA19983-8'), 'food-insecurity', 'negative'],
  // AHC HRSN core 96777-8.
  ['AHC', '71802-3', coded('LA31994-9'), 'housing-instability', 'positive'],
  ['AHC', '71802-3', coded('LA31994-9'), 'homelessness', 'negative'],
  ['AHC', '71802-3', coded('LA31995-6'), 'homelessness', 'positive'],
  ['AHC', '71802-3', coded('LA31995-6'), 'housing-instability', 'negative'],
  ['AHC', '71802-3', coded('LA31993-1'), 'housing-instability', 'negative'],
  ['AHC', '71802-3', coded('LA31993-1'), 'homelessness', 'negative'],
  ['AHC', '96778-6', coded('LA31996-4'), 'inadequate-housing', 'positive'],
  ['AHC', '96778-6', coded('LA28580-1', 'LA32001-2'), 'inadequate-housing', 'positive'],
  ['AHC', '96778-6', coded('LA9-3'), 'inadequate-housing', 'negative'],
  ['AHC', '93030-5', coded('LA33-6'), 'transportation-insecurity', 'positive'],
  ['AHC', '93030-5', coded('LA32-8'), 'transportation-insecurity', 'negative'],
  ['AHC', '96779-4', coded('LA33-6'), 'utility-insecurity', 'positive'],
  ['AHC', '96779-4', coded('LA32002-0'), 'utility-insecurity', 'positive'],
  ['AHC', '96779-4', coded('LA32-8'), 'utility-insecurity', 'negative'],
  ['AHC', '95618-5', coded('LA6482-9'), 'interpersonal-safety', 'score 5'],
  ['AHC', '95615-1', coded('LA6270-8'), 'interpersonal-safety', 'score 1'],
  ['AHC', '95614-4', { number: 11 }, 'interpersonal-safety', 'positive'],
  ['AHC', '95614-4', { number: 10 }, 'interpersonal-safety', 'negative'],
  // AHC HRSN supplemental 97023-6.
  ['AHC', '76513-1', coded('LA15832-1'), 'financial-insecurity', 'positive'],
  ['AHC', '76513-1', coded('LA22683-9'), 'financial-insecurity', 'positive'],
  ['AHC', '76513-1', coded('LA31980-8'), 'financial-insecurity', 'negative'],
  ['AHC', '96780-2', coded('LA31981-6'), 'employment-status', 'positive'],
  ['AHC', '96780-2', coded('LA31982-4'), 'employment-status', 'positive'],
  ['AHC', '96780-2', coded('LA31983-2'), 'employment-status', 'negative'],
  ['AHC', '93159-2', coded('LA10044-8'), 'social-connection', 'positive'],
  ['AHC', '93159-2', coded('LA10066-1'), 'social-connection', 'negative'],
  // PRAPARE 93025-5: item-level risk answers.
  ['PRAPARE', '71802-3', coded('LA30190-5'), 'homelessness', 'positive'],
  ['PRAPARE', '71802-3', coded('LA30189-7'), 'homelessness', 'negative'],
  ['PRAPARE', '93033-9', coded('LA33-6'), 'housing-instability', 'positive'],
  ['PRAPARE', '93033-9', coded('LA32-8'), 'housing-instability', 'negative'],
  ['PRAPARE', '93030-5', coded('LA30133-5'), 'transportation-insecurity', 'positive'],
  ['PRAPARE', '93030-5', coded('LA30134-3'), 'transportation-insecurity', 'positive'],
  ['PRAPARE', '93030-5', coded('LA30257-2'), 'transportation-insecurity', 'declined'],
  ['PRAPARE', '93031-3', coded('LA30125-1'), 'food-insecurity', 'positive'],
  ['PRAPARE', '93031-3', coded('LA30125-1'), 'utility-insecurity', 'negative'],
  ['PRAPARE', '93031-3', coded('LA30125-1'), 'financial-insecurity', 'negative'],
  ['PRAPARE', '93031-3', coded('LA30124-4'), 'utility-insecurity', 'positive'],
  ['PRAPARE', '93031-3', coded('LA30124-4'), 'food-insecurity', 'negative'],
  ['PRAPARE', '93031-3', coded('LA30126-9'), 'financial-insecurity', 'positive'],
  ['PRAPARE', '93031-3', coded('LA30122-8'), 'food-insecurity', 'declined'],
  // The pair rule: for 93026-3 "Do you feel safe?" the positive answer is No, not Yes.
  ['PRAPARE', '93026-3', coded('LA32-8'), 'interpersonal-safety', 'positive'],
  ['PRAPARE', '93026-3', coded('LA33-6'), 'interpersonal-safety', 'negative'],
  ['PRAPARE', '76501-6', coded('LA33-6'), 'interpersonal-safety', 'positive'],
  ['PRAPARE', '76501-6', coded('LA32-8'), 'interpersonal-safety', 'negative'],
  ['PRAPARE', '67875-5', coded('LA17956-6'), 'employment-status', 'positive'],
  ['PRAPARE', '67875-5', coded('LA30137-6'), 'employment-status', 'negative'],
  ['PRAPARE', '93029-7', coded('LA27722-0'), 'social-connection', 'positive'],
  ['PRAPARE', '93029-7', coded('LA30130-1'), 'social-connection', 'negative'],
  ['PRAPARE', '93038-8', coded('LA13902-4'), 'stress', 'positive'],
  ['PRAPARE', '93038-8', coded('LA13914-9'), 'stress', 'positive'],
  ['PRAPARE', '93038-8', coded('LA13909-9'), 'stress', 'negative'],
  ['PRAPARE', '93038-8', coded('LA30122-8'), 'stress', 'declined'],
  // The US Core / SDOHCC decline convention: dataAbsentReason asked-declined.
  ['any', '88122-7', { absent: 'asked-declined' }, 'food-insecurity', 'declined'],
  ['any', '93038-8', { absent: 'asked-declined' }, 'stress', 'declined'],
];

describe('positive-answer decision per instrument and item', () => {
  it.each(ROWS)('%s %s = %j → %s is %s', (_instrument, question, answer, domain, expected) => {
    expect(resultFor(readOne(question, answer), domain)).toBe(expected);
  });

  it('reads the same answer code differently for different questions (never the answer alone)', () => {
    const yes = coded('LA33-6');
    expect(resultFor(readOne('93030-5', yes), 'transportation-insecurity')).toBe('positive');
    expect(resultFor(readOne('93026-3', yes), 'interpersonal-safety')).toBe('negative');
    const no = coded('LA32-8');
    expect(resultFor(readOne('93030-5', no), 'transportation-insecurity')).toBe('negative');
    expect(resultFor(readOne('93026-3', no), 'interpersonal-safety')).toBe('positive');
  });

  it('counts PRAPARE "1 or 2 times a week" as isolation only under the local policy', () => {
    const read = (weekly: boolean): ScreeningItemEvidence | undefined =>
      readScreeningItems(
        {
          observations: [itemObservation('o1', '93029-7', coded('LA30130-1'), DAY)],
          questionnaireResponses: [],
        },
        { weeklyContactIsIsolation: weekly },
      )[0];
    expect(resultFor(read(false), 'social-connection')).toBe('negative');
    expect(resultFor(read(true), 'social-connection')).toBe('positive');
  });

  it('says nothing for a not-asked item or a question outside the instruments', () => {
    const items = readScreeningItems({
      observations: [
        itemObservation('o1', '88122-7', { absent: 'not-asked' }, DAY),
        itemObservation('o2', '8867-4', { number: 72 }, DAY),
      ],
      questionnaireResponses: [],
    });
    expect(items.flatMap((i) => i.findings)).toEqual([]);
  });
});

describe('reading screenings from Observations', () => {
  it('reads an item under either US Core sdoh category system, or with no sdoh category', () => {
    const items = readScreeningItems({
      observations: [
        itemObservation('a', '88122-7', coded('LA28397-0'), DAY),
        itemObservation('b', '93030-5', coded('LA33-6'), DAY, { categorySystem: US_CORE_TAGS }),
        itemObservation('c', '96779-4', coded('LA33-6'), DAY, { categorySystem: null }),
      ],
      questionnaireResponses: [],
    });
    expect(items.map((i) => [i.ref, i.source])).toEqual([
      ['Observation/a', 'observation'],
      ['Observation/b', 'observation'],
      ['Observation/c', 'observation'],
    ]);
  });

  it('skips preliminary and entered-in-error items and items without a time', () => {
    const items = readScreeningItems({
      observations: [
        itemObservation('a', '88122-7', coded('LA28397-0'), DAY, { status: 'preliminary' }),
        itemObservation('b', '88122-7', coded('LA28397-0'), DAY, { status: 'entered-in-error' }),
        itemObservation('c', '88122-7', coded('LA28397-0'), undefined),
      ],
      questionnaireResponses: [],
    });
    expect(items).toEqual([]);
  });

  it('reads one Observation once when two queries both returned it', () => {
    const obs = itemObservation('a', '88122-7', coded('LA28397-0'), DAY);
    const items = readScreeningItems({
      observations: [obs, { ...obs }],
      questionnaireResponses: [],
    });
    expect(items).toHaveLength(1);
  });

  it('reads an AHC HRSN panel (96777-8) through hasMember, members inheriting its time', () => {
    const housing = itemObservation('h', '71802-3', coded('LA31995-6'), undefined);
    const food = itemObservation('f', '88122-7', coded('LA28398-8'), DAY);
    const panel = panelObservation(
      'ahc',
      '96777-8',
      ['Observation/h', 'https://ehr.example/fhir/Observation/f/_history/2'],
      '2026-11-18T10:00:00Z',
    );
    const items = readScreeningItems({
      observations: [panel, housing, food],
      questionnaireResponses: [],
    });
    const byQuestion = new Map(items.map((i) => [i.question, i]));
    expect(byQuestion.get('71802-3')).toMatchObject({
      ref: 'Observation/h',
      source: 'panel-member',
      instrument: 'ahc-hrsn',
      time: Date.parse('2026-11-18T10:00:00Z'),
    });
    expect(resultFor(byQuestion.get('71802-3'), 'homelessness')).toBe('positive');
    expect(byQuestion.get('88122-7')).toMatchObject({
      source: 'panel-member',
      instrument: 'ahc-hrsn',
      time: Date.parse(DAY),
    });
  });

  it('reads a PRAPARE panel (93025-5) with nested section groups and contained members', () => {
    const section: fhir4.Observation = {
      ...panelObservation('sec', '93042-0', ['#m1'], DAY),
      contained: [itemObservation('m1', '71802-3', coded('LA30190-5'), undefined)],
    };
    const prapare = panelObservation('pr', '93025-5', ['Observation/sec', 'Observation/st'], DAY);
    const stress = itemObservation('st', '93038-8', coded('LA13914-9'), DAY);
    const items = readScreeningItems({
      observations: [prapare, section, stress],
      questionnaireResponses: [],
    });
    expect(items.map((i) => [i.question, i.ref, i.instrument])).toEqual(
      expect.arrayContaining([
        ['71802-3', 'Observation/sec#m1', 'prapare'],
        ['93038-8', 'Observation/st', 'prapare'],
      ]),
    );
    expect(items).toHaveLength(2);
    const housing = items.find((i) => i.question === '71802-3');
    expect(resultFor(housing, 'homelessness')).toBe('positive');
    expect(housing?.answers).toEqual([{ code: 'LA30190-5', display: 'I do not have housing' }]);
  });

  it('reads a panel that carries its items as components', () => {
    const panel: fhir4.Observation = {
      ...panelObservation('hvs', '88121-9', [], DAY),
      component: [
        {
          code: { coding: [{ system: 'http://loinc.org', code: '88122-7' }] },
          valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA6729-3' }] },
        },
      ],
    };
    const items = readScreeningItems({ observations: [panel], questionnaireResponses: [] });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ source: 'panel-component', instrument: 'hunger-vital-sign' });
    expect(resultFor(items[0], 'food-insecurity')).toBe('positive');
  });

  it('marks a lone item shared by several instruments as unidentified', () => {
    expect(readOne('71802-3', coded('LA31993-1'))?.instrument).toBe('unidentified');
    expect(readOne('93038-8', coded('LA6568-5'))?.instrument).toBe('prapare');
  });
});

describe('reading screenings from QuestionnaireResponses', () => {
  it('reads items by the LOINC code in their linkId, nested groups included', () => {
    const qr = questionnaireResponse(
      'qr1',
      'http://hl7.org/fhir/us/sdoh-clinicalcare/Questionnaire/SDOHCC-QuestionnairePRAPARE|2.3.0',
      [
        {
          linkId: '/93042-0',
          item: [
            { linkId: '/93042-0/71802-3', codes: ['LA30190-5'] },
            { linkId: '/93042-0/93033-9', codes: ['LA32-8'] },
          ],
        },
        { linkId: '93026-3', codes: ['LA32-8'] },
        { linkId: 'name' },
      ],
      '2026-11-19T09:30:00Z',
    );
    const items = readScreeningItems({ observations: [], questionnaireResponses: [qr] });
    expect(items.map((i) => [i.question, i.instrument, i.source, i.ref])).toEqual([
      ['71802-3', 'prapare', 'questionnaire-response', 'QuestionnaireResponse/qr1'],
      ['93033-9', 'prapare', 'questionnaire-response', 'QuestionnaireResponse/qr1'],
      ['93026-3', 'prapare', 'questionnaire-response', 'QuestionnaireResponse/qr1'],
    ]);
    expect(items.every((i) => i.time === Date.parse('2026-11-19T09:30:00Z'))).toBe(true);
    expect(resultFor(items[0], 'homelessness')).toBe('positive');
    expect(resultFor(items[1], 'housing-instability')).toBe('negative');
    expect(resultFor(items[2], 'interpersonal-safety')).toBe('positive');
  });

  it('takes the instrument from a panel item when the Questionnaire is unknown', () => {
    const qr = questionnaireResponse(
      'qr2',
      'https://forms.example/q/local-ahc',
      [{ linkId: '/96777-8', item: [{ linkId: '/96777-8/93030-5', codes: ['LA33-6'] }] }],
      DAY,
    );
    const [item] = readScreeningItems({ observations: [], questionnaireResponses: [qr] });
    expect(item?.instrument).toBe('ahc-hrsn');
    expect(resultFor(item, 'transportation-insecurity')).toBe('positive');
  });

  it('reads a numeric AHC safety total and skips unfinished responses', () => {
    const done = questionnaireResponse('qr3', undefined, [{ linkId: '95614-4', number: 12 }], DAY);
    const draft = questionnaireResponse(
      'qr4',
      undefined,
      [{ linkId: '88122-7', codes: ['LA28397-0'] }],
      DAY,
      'in-progress',
    );
    const items = readScreeningItems({ observations: [], questionnaireResponses: [done, draft] });
    expect(items).toHaveLength(1);
    expect(resultFor(items[0], 'interpersonal-safety')).toBe('positive');
  });
});
