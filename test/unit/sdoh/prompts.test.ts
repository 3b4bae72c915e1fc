import { describe, expect, it } from 'vitest';
import type { SdohInputs } from '../../../src/sdoh/domain-states';
import { readSdohDomainStatuses } from '../../../src/sdoh/domain-states';
import { buildDeclineRecord } from '../../../src/sdoh/decline';
import type { PromptContext, SdohPrompt } from '../../../src/sdoh/prompts';
import { MAX_PROMPTS, buildSdohPrompts } from '../../../src/sdoh/prompts';
import {
  CLINICIAN,
  FOOD_BANK,
  PATIENT,
  coded,
  inputs,
  itemObservation,
  referral,
  referralTask,
} from './sdoh-fixtures';
import type { ItemValue } from './sdoh-fixtures';

const TODAY = '2026-12-02';
const CONTEXT: PromptContext = { patient: PATIENT, requester: CLINICIAN, now: TODAY };
const NON_ADHERENCE = 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes';

/** A negative answer for every domain, so only what a test adds can prompt. */
const ALL_NEGATIVE: [string, ItemValue][] = [
  ['88122-7', coded('LA28398-8')],
  ['71802-3', coded('LA31993-1')],
  ['96778-6', coded('LA9-3')],
  ['93030-5', coded('LA32-8')],
  ['96779-4', coded('LA32-8')],
  ['95614-4', { number: 4 }],
  ['76513-1', coded('LA31980-8')],
  ['96780-2', coded('LA31983-2')],
  ['93029-7', coded('LA30132-7')],
  ['93038-8', coded('LA6568-5')],
];

function negatives(date = '2026-06-01'): fhir4.Observation[] {
  return ALL_NEGATIVE.map(([q, v], i) => itemObservation(`neg${i}`, q, v, date));
}

function prompts(parts: Partial<SdohInputs>, context: Partial<PromptContext> = {}): SdohPrompt[] {
  const statuses = readSdohDomainStatuses(inputs(parts), TODAY, { kind: 'available' });
  return buildSdohPrompts(statuses, { ...CONTEXT, ...context });
}

const positive = (id: string, q: string, code: string, date: string): fhir4.Observation =>
  itemObservation(id, q, coded(code), date);

// Food positive 2 days ago (28 left), transportation 25 days ago (5 left), stress 40 days ago
// (overdue), homelessness tonight (critical).
const FOOD = positive('food', '88122-7', 'LA28397-0', '2026-11-30');
const TRANSPORT = positive('tr', '93030-5', 'LA33-6', '2026-11-07');
const STRESS = positive('st', '93038-8', 'LA13914-9', '2026-10-23');
const HOMELESS = positive('hl', '71802-3', 'LA31995-6', '2026-12-01');

describe('buildSdohPrompts: which prompts, in which order', () => {
  it('shows nothing when every domain is negative', () => {
    expect(prompts({ observations: negatives() })).toEqual([]);
  });

  it('shows at most three, most urgent first: critical, then the nearest 30-day deadline', () => {
    const out = prompts({ observations: [...negatives(), FOOD, TRANSPORT, STRESS, HOMELESS] });
    expect(out).toHaveLength(MAX_PROMPTS);
    expect(out.map((p) => [p.kind, p.domains[0], p.card.indicator])).toEqual([
      ['critical-need', 'homelessness', 'critical'],
      ['positive-no-action', 'transportation-insecurity', 'warning'],
      ['positive-no-action', 'food-insecurity', 'warning'],
    ]);
  });

  it('never shows more than three, whatever maxPrompts says; fewer when asked', () => {
    const parts = { observations: [...negatives(), FOOD, TRANSPORT, STRESS, HOMELESS] };
    expect(prompts(parts, { maxPrompts: 10 })).toHaveLength(3);
    expect(prompts(parts, { maxPrompts: 1 }).map((p) => p.domains[0])).toEqual(['homelessness']);
  });

  it('puts overdue needs after those still inside the window', () => {
    const out = prompts({ observations: [...negatives(), STRESS, FOOD] });
    expect(out.map((p) => p.domains[0])).toEqual(['food-insecurity', 'stress']);
    expect(out[1]?.card.summary).toContain('past the 30-day window');
    expect(out[0]?.card.summary).toBe('Food screen positive; no referral yet (day 2 of 30)');
  });

  it('ranks a stalled referral after needs, then a closed referral, then screening', () => {
    const out = prompts({
      observations: [
        ...negatives('2025-06-01'),
        positive('f', '88122-7', 'LA28397-0', '2026-11-01'),
        positive('t', '93030-5', 'LA33-6', '2026-11-01'),
      ],
      serviceRequests: [
        referral('sr1', 'food-insecurity', '2026-11-02'),
        referral('sr2', 'transportation-insecurity', '2026-11-02'),
      ],
      tasks: [
        referralTask('t1', 'sr1', 'requested', '2026-11-02', { owner: FOOD_BANK }),
        referralTask('t2', 'sr2', 'rejected', '2026-11-20', { reason: 'No drivers' }),
      ],
    });
    expect(out.map((p) => [p.kind, p.card.indicator])).toEqual([
      ['stalled-referral', 'warning'],
      ['referral-closed', 'info'],
      ['screening-due', 'info'],
    ]);
    expect(out[0]?.card.summary).toBe('Food referral to Eastside Food Bank: no update for 30 days');
    expect(out[1]?.card.detail).toContain('Closed: No drivers');
    // The other nine domains are stale: one card asks to rescreen them.
    expect(out[2]?.domains).toHaveLength(9);
    expect(out[2]?.card.summary.startsWith('Rescreen for ')).toBe(true);
  });

  it('does not prompt for declined help, an open referral, completion or unknown status', () => {
    const food = positive('f', '88122-7', 'LA28397-0', '2026-11-20');
    const decline = {
      ...buildDeclineRecord({
        domain: 'food-insecurity',
        patient: PATIENT,
        recorder: CLINICIAN,
        when: '2026-11-20',
        idempotencyKey: 'decline-key-1',
      }).resource,
      id: 'd1',
    };
    expect(prompts({ observations: [...negatives(), food], procedures: [decline] })).toEqual([]);
    const referred = {
      observations: [...negatives(), food],
      serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
    };
    for (const status of ['accepted', 'completed'] as const) {
      expect(
        prompts({ ...referred, tasks: [referralTask('t', 'sr', status, '2026-11-30')] }),
      ).toEqual([]);
    }
    const statuses = readSdohDomainStatuses(inputs(referred), TODAY, {
      kind: 'unavailable',
      reason: 'not-supported',
    });
    expect(buildSdohPrompts(statuses, CONTEXT)).toEqual([]);
  });

  it('does not prompt for a screen the patient declined to answer', () => {
    const declined = itemObservation('x', '88122-7', coded('LA15775-2'), '2026-11-30');
    const others = negatives().filter((o) => o.id !== 'neg0');
    expect(prompts({ observations: [...others, declined] })).toEqual([]);
  });
});

describe('buildSdohPrompts: screening', () => {
  it('asks to screen the unscreened domains in one info card with a Screen now Task', () => {
    const [card] = prompts({}).map((p) => p.card);
    expect(card?.indicator).toBe('info');
    expect(card?.summary).toBe(
      'Screen for food, housing instability, homelessness, inadequate housing and 7 more',
    );
    const action = card?.suggestions[0]?.actions[0];
    expect(action?.resource.resourceType).toBe('Task');
    expect(action?.resource).toMatchObject({ status: 'ready', owner: PATIENT, for: PATIENT });
  });

  it('shows the screening card once per encounter', () => {
    const [first] = prompts({});
    expect(first).toBeDefined();
    if (first === undefined) return;
    expect(prompts({}, { shownThisEncounter: new Set([first.key]) })).toEqual([]);
  });
});

describe('buildSdohPrompts: CDS Hooks card shape', () => {
  it('has summary < 140 chars, indicator, source topic, suggestions and override reasons', () => {
    const [p] = prompts({ observations: [...negatives(), FOOD] });
    expect(p).toBeDefined();
    if (p === undefined) return;
    const card = p.card;
    expect(card.summary.length).toBeLessThan(140);
    expect(card.uuid).toBe(p.key);
    expect(card.source).toEqual({
      label: 'Equity Lens social needs',
      topic: {
        system:
          'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
        code: 'food-insecurity',
        display: 'Food Insecurity',
      },
    });
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.overrideReasons.map((r) => [r.system, r.code])).toContainEqual([
      NON_ADHERENCE,
      'patient-refuses',
    ]);
    const [refer, decline] = card.suggestions;
    expect(refer?.isRecommended).toBe(true);
    expect(refer?.label).toBe('Refer: Referral to community meals service');
    expect(refer?.actions[0]?.resource).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      subject: PATIENT,
      requester: CLINICIAN,
      reasonReference: [{ reference: 'Observation/food' }],
    });
    expect(decline?.label).toBe('Patient declines help');
    expect(decline?.actions[0]?.resource).toMatchObject({
      resourceType: 'Procedure',
      status: 'not-done',
    });
    expect(decline?.actions[0]?.description).toContain('90 days');
    expect(new Set(card.suggestions.map((s) => s.uuid)).size).toBe(2);
    expect(card.detail).toContain('Often true');
  });

  it('keeps card keys stable for the same episode and new for a new one', () => {
    const a = prompts({ observations: [...negatives(), FOOD] })[0]?.key;
    const b = prompts({ observations: [...negatives(), FOOD] })[0]?.key;
    const c = prompts({
      observations: [...negatives(), positive('food', '88122-7', 'LA28397-0', '2026-11-29')],
    })[0]?.key;
    expect(a).toBeDefined();
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('flags interpersonal safety as sensitive and names no detail in the summary', () => {
    const unsafe = positive('s', '93026-3', 'LA32-8', '2026-11-30');
    const [p] = prompts({ observations: [...negatives(), unsafe] });
    expect(p?.sensitive).toBe(true);
    expect(p?.domains).toEqual(['interpersonal-safety']);
    expect(p?.card.summary).toBe('Sensitive need: positive screen, no action yet (day 2 of 30)');
    expect(p?.card.summary).not.toMatch(/safe|partner|violence|abuse/i);
    // The detail (behind a click in the UI) holds the answer; the draft forbids contacting the patient.
    expect(p?.card.detail).toContain('safe');
    expect(p?.card.suggestions[0]?.actions[0]?.resource).toMatchObject({
      orderDetail: [{ coding: [{ code: 'contacting-subject-prohibited' }] }],
    });
  });

  it('marks non-sensitive prompts as not sensitive', () => {
    expect(prompts({ observations: [...negatives(), FOOD] })[0]?.sensitive).toBe(false);
  });
});
