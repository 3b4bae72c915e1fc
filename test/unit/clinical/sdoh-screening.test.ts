import { describe, expect, it } from 'vitest';
import type {
  ScreeningAnswer,
  ScreeningFinding,
  ScreeningResult,
  SocialNeedDomain,
} from '../../../src/clinical/sdoh-screening';
import {
  classifyScreeningAnswer,
  coreDomainResults,
  interventionDomains,
  readScreeningAnswer,
  summariseScreening,
} from '../../../src/clinical/sdoh-screening';
import { observationPositiveDomain } from '../../../sandbox/generate/sdoh';
import { generatePopulation } from '../../../sandbox/generate/population';

const coded = (question: string, ...codes: string[]): ScreeningAnswer => ({
  question,
  value: { kind: 'coded', codes },
});

const results = (findings: ScreeningFinding[]): [SocialNeedDomain, ScreeningResult][] =>
  findings
    .flatMap((f) => (f.kind === 'result' ? [[f.domain, f.result] as const] : []))
    .map(([d, r]) => [d, r]);

describe('classifyScreeningAnswer', () => {
  it.each<[string, string, string, [SocialNeedDomain, ScreeningResult][]]>([
    ['HVS "Often true" is positive', '88122-7', 'LA28397-0', [['food-insecurity', 'positive']]],
    ['HVS "Sometimes true" is positive', '88123-5', 'LA6729-3', [['food-insecurity', 'positive']]],
    ['HVS "Never true" is negative', '88122-7', 'LA28398-8', [['food-insecurity', 'negative']]],
    [
      'HVS "Don\'t know/refused" is declined',
      '88122-7',
      'LA15775-2',
      [['food-insecurity', 'declined']],
    ],
    ['HVS result "At risk" is positive', '88124-3', 'LA19952-3', [['food-insecurity', 'positive']]],
    ['HVS result "No risk" is negative', '88124-3', 'LA19983-8', [['food-insecurity', 'negative']]],
    [
      'AHC housing "worried about losing it" is housing instability',
      '71802-3',
      'LA31994-9',
      [
        ['housing-instability', 'positive'],
        ['homelessness', 'negative'],
      ],
    ],
    [
      'AHC housing "no steady place" is homelessness',
      '71802-3',
      'LA31995-6',
      [
        ['housing-instability', 'negative'],
        ['homelessness', 'positive'],
      ],
    ],
    [
      'PRAPARE "I do not have housing" is homelessness',
      '71802-3',
      'LA30190-5',
      [
        ['housing-instability', 'negative'],
        ['homelessness', 'positive'],
      ],
    ],
    [
      'PRAPARE "I choose not to answer" is declined',
      '71802-3',
      'LA30122-8',
      [
        ['housing-instability', 'declined'],
        ['homelessness', 'declined'],
      ],
    ],
    [
      'PRAPARE housing worry "Yes" is positive',
      '93033-9',
      'LA33-6',
      [['housing-instability', 'positive']],
    ],
    [
      'AHC mold is inadequate housing',
      '96778-6',
      'LA28580-1',
      [['inadequate-housing', 'positive']],
    ],
    [
      'AHC "None of the above" is adequate housing',
      '96778-6',
      'LA9-3',
      [['inadequate-housing', 'negative']],
    ],
    [
      'AHC transportation "Yes" is positive',
      '93030-5',
      'LA33-6',
      [['transportation-insecurity', 'positive']],
    ],
    [
      'PRAPARE transportation (medical) is positive',
      '93030-5',
      'LA30133-5',
      [['transportation-insecurity', 'positive']],
    ],
    [
      'transportation "No" is negative',
      '93030-5',
      'LA32-8',
      [['transportation-insecurity', 'negative']],
    ],
    [
      'AHC utilities "Already shut off" is positive',
      '96779-4',
      'LA32002-0',
      [['utility-insecurity', 'positive']],
    ],
    [
      'PRAPARE "unable to get: Food" is food positive only',
      '93031-3',
      'LA30125-1',
      [
        ['food-insecurity', 'positive'],
        ['utility-insecurity', 'negative'],
      ],
    ],
    // The pair decides, not the answer: "Yes" to "Do you feel safe?" is negative, "No" positive.
    [
      'PRAPARE "feel safe?" Yes is negative',
      '93026-3',
      'LA33-6',
      [['interpersonal-safety', 'negative']],
    ],
    [
      'PRAPARE "feel safe?" No is positive',
      '93026-3',
      'LA32-8',
      [['interpersonal-safety', 'positive']],
    ],
    [
      'PRAPARE afraid of partner "Yes" is positive',
      '76501-6',
      'LA33-6',
      [['interpersonal-safety', 'positive']],
    ],
    ['an unknown question yields nothing', '12345-6', 'LA33-6', []],
  ])('%s', (_name, q, answer, expected) => {
    expect(results(classifyScreeningAnswer(coded(q, answer)))).toEqual(expected);
  });

  it.each<[string, ScreeningAnswer, ScreeningFinding[]]>([
    [
      'asked-declined is declined',
      { question: '93030-5', value: { kind: 'absent', reason: 'asked-declined' } },
      [
        {
          kind: 'result',
          domain: 'transportation-insecurity',
          question: '93030-5',
          result: 'declined',
        },
      ],
    ],
    [
      'not-asked is no screen',
      { question: '93030-5', value: { kind: 'absent', reason: 'not-asked' } },
      [],
    ],
    [
      'an AHC total without a value says nothing (the items decide)',
      { question: '95614-4', value: { kind: 'absent', reason: 'asked-declined' } },
      [],
    ],
    [
      'AHC safety total 11 is positive',
      { question: '95614-4', value: { kind: 'number', value: 11 } },
      [{ kind: 'result', domain: 'interpersonal-safety', question: '95614-4', result: 'positive' }],
    ],
    [
      'AHC safety total 10 is negative',
      { question: '95614-4', value: { kind: 'number', value: 10 } },
      [{ kind: 'result', domain: 'interpersonal-safety', question: '95614-4', result: 'negative' }],
    ],
    [
      'an AHC safety item "Frequently" only scores 5',
      coded('95618-5', 'LA6482-9'),
      [{ kind: 'score', domain: 'interpersonal-safety', question: '95618-5', score: 5 }],
    ],
  ])('%s', (_name, answer, expected) => {
    expect(classifyScreeningAnswer(answer)).toEqual(expected);
  });
});

describe('summariseScreening', () => {
  const summarise = (...answers: ScreeningAnswer[]) =>
    Object.fromEntries(summariseScreening(answers.flatMap(classifyScreeningAnswer)));

  it('is positive when any item of the domain is positive', () => {
    expect(summarise(coded('88122-7', 'LA28398-8'), coded('88123-5', 'LA6729-3'))).toEqual({
      'food-insecurity': 'positive',
    });
  });

  it('counts a domain screened when one item is declined and another answered', () => {
    expect(summarise(coded('88122-7', 'LA15775-2'), coded('88123-5', 'LA28398-8'))).toEqual({
      'food-insecurity': 'negative',
    });
  });

  it('sums the four AHC safety items when the total is missing', () => {
    const items = (codes: string[]) =>
      ['95618-5', '95617-7', '95616-9', '95615-1'].map((q, i) => coded(q, codes[i] ?? ''));
    // 3 + 3 + 3 + 2 = 11 > 10
    expect(summarise(...items(['LA10082-8', 'LA10082-8', 'LA10082-8', 'LA10066-1']))).toEqual({
      'interpersonal-safety': 'positive',
    });
    // 3 + 3 + 2 + 2 = 10
    expect(summarise(...items(['LA10082-8', 'LA10082-8', 'LA10066-1', 'LA10066-1']))).toEqual({
      'interpersonal-safety': 'negative',
    });
  });

  it('leaves AHC safety undecided when items are missing and the sum is low', () => {
    expect(summarise(coded('95618-5', 'LA6270-8'))).toEqual({});
  });

  it('rolls housing instability, homelessness and inadequate housing into core housing', () => {
    const fine = summariseScreening(
      [coded('71802-3', 'LA31995-6'), coded('96778-6', 'LA9-3')].flatMap(classifyScreeningAnswer),
    );
    expect(Object.fromEntries(coreDomainResults(fine))).toEqual({ housing: 'positive' });
  });
});

describe('readScreeningAnswer', () => {
  const obs = (extra: Partial<fhir4.Observation>): fhir4.Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '93030-5' }] },
    ...extra,
  });

  it.each<[string, fhir4.Observation, ScreeningAnswer | undefined]>([
    [
      'a coded answer',
      obs({ valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA33-6' }] } }),
      coded('93030-5', 'LA33-6'),
    ],
    [
      'a declined item',
      obs({
        dataAbsentReason: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
              code: 'asked-declined',
            },
          ],
        },
      }),
      { question: '93030-5', value: { kind: 'absent', reason: 'asked-declined' } },
    ],
    [
      'nothing from an entered-in-error item',
      obs({
        status: 'entered-in-error',
        valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA33-6' }] },
      }),
      undefined,
    ],
  ])('reads %s', (_name, observation, expected) => {
    expect(readScreeningAnswer(observation)).toEqual(expected);
  });
});

describe('interventionDomains', () => {
  it.each<[string, string[], string[], string[]]>([
    ['a food pantry referral acts on food', ['467771000124109'], [], ['food']],
    ['a housing referral acts on housing', ['710911006'], ['housing-instability'], ['housing']],
    ['a social-work referral needs a category', ['308440001'], [], []],
    [
      'a social-work referral for utilities',
      ['464161000124109'],
      ['utility-insecurity'],
      ['utilities'],
    ],
  ])('%s', (_name, codes, categories, expected) => {
    expect([...interventionDomains(codes, categories)]).toEqual(expected);
  });
});

describe('agreement with the sandbox generator', () => {
  it('finds the same positive domains as the generator on every screening item', () => {
    const { resources } = generatePopulation({ seed: 7, patients: 300, today: '2026-06-30' });
    let compared = 0;
    for (const r of resources) {
      if (r.resourceType !== 'Observation') continue;
      const obs = r as fhir4.Observation;
      const answer = readScreeningAnswer(obs);
      if (answer === undefined) continue;
      // AHC safety items are positive only through their total, in both implementations.
      const mine = summariseScreening(classifyScreeningAnswer(answer));
      const positive = [...coreDomainResults(mine)].filter(([, res]) => res === 'positive');
      const theirs = observationPositiveDomain(obs);
      expect(positive.map(([d]) => d)).toEqual(theirs === null ? [] : [theirs]);
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });
});
