import { describe, expect, it } from 'vitest';
import type { SdohDomain } from '../../../src/clinical/sdoh-screening';
import { SDOH_DOMAINS } from '../../../src/clinical/sdoh-screening';
import { buildDeclineRecord } from '../../../src/sdoh/decline';
import type {
  DomainState,
  DomainStateKind,
  SdohInputs,
  SdohStateOptions,
  TaskAvailability,
} from '../../../src/sdoh/domain-states';
import { completionOutcomes, readSdohDomainStatuses } from '../../../src/sdoh/domain-states';
import {
  CLINICIAN,
  FOOD_BANK,
  PATIENT,
  SNOMED,
  coded,
  inputs,
  itemObservation,
  referral,
  referralTask,
  sdohCondition,
} from './sdoh-fixtures';

const TODAY = '2026-12-02';
const AVAILABLE: TaskAvailability = { kind: 'available' };

const foodPositive = (id: string, date: string): fhir4.Observation =>
  itemObservation(id, '88122-7', coded('LA28397-0'), date);
const foodNegative = (id: string, date: string): fhir4.Observation =>
  itemObservation(id, '88122-7', coded('LA28398-8'), date);
const foodDeclined = (id: string, date: string): fhir4.Observation =>
  itemObservation(id, '88122-7', coded('LA15775-2'), date);

function decline(id: string, domain: SdohDomain, when: string): fhir4.Procedure {
  const record = buildDeclineRecord({
    domain,
    patient: PATIENT,
    recorder: CLINICIAN,
    when,
    idempotencyKey: `decline-${id}-key`,
  });
  return { ...record.resource, id };
}

function stateOf(
  parts: Partial<SdohInputs>,
  options: {
    domain?: SdohDomain;
    tasks?: TaskAvailability;
    opts?: SdohStateOptions;
    now?: string;
  } = {},
): DomainState {
  const statuses = readSdohDomainStatuses(
    inputs(parts),
    options.now ?? TODAY,
    options.tasks ?? AVAILABLE,
    options.opts ?? {},
  );
  const status = statuses.find((s) => s.domain === (options.domain ?? 'food-insecurity'));
  if (status === undefined) throw new Error('domain missing');
  return status.state;
}

function expectKind<K extends DomainStateKind>(
  state: DomainState,
  kind: K,
): Extract<DomainState, { kind: K }> {
  expect(state.kind).toBe(kind);
  return state as Extract<DomainState, { kind: K }>;
}

describe('readSdohDomainStatuses: the strip', () => {
  it('returns the eleven domains in strip order with labels and the sensitive flag', () => {
    const statuses = readSdohDomainStatuses(inputs({}), TODAY, AVAILABLE);
    expect(statuses.map((s) => s.domain)).toEqual(SDOH_DOMAINS);
    expect(statuses.map((s) => s.label)).toEqual([
      'Food',
      'Housing instability',
      'Homelessness',
      'Inadequate housing',
      'Transportation',
      'Utilities',
      'Interpersonal safety',
      'Financial strain',
      'Employment',
      'Social isolation',
      'Stress',
    ]);
    expect(statuses.filter((s) => s.sensitive).map((s) => s.domain)).toEqual([
      'interpersonal-safety',
    ]);
    expect(statuses.every((s) => s.state.kind === 'not-screened')).toBe(true);
    expect(statuses.every((s) => s.latestScreen.kind === 'never')).toBe(true);
  });

  it('rejects a "now" that is not a FHIR date', () => {
    expect(() => readSdohDomainStatuses(inputs({}), 'yesterday', AVAILABLE)).toThrow(RangeError);
  });
});

// Each row: a situation, the state it must produce (sdoh.md §4 "State per domain").
const TABLE: [name: string, parts: Partial<SdohInputs>, kind: DomainStateKind][] = [
  ['nothing recorded', {}, 'not-screened'],
  [
    'a not-asked item only',
    { observations: [itemObservation('o', '88122-7', { absent: 'not-asked' }, '2026-11-01')] },
    'not-screened',
  ],
  [
    'a negative screen 12 months and 2 days ago',
    { observations: [foodNegative('o', '2025-11-30')] },
    'stale',
  ],
  ['a positive screen 13 months ago', { observations: [foodPositive('o', '2025-11-01')] }, 'stale'],
  [
    'a negative screen exactly 12 months ago',
    { observations: [foodNegative('o', '2025-12-02')] },
    'negative',
  ],
  [
    'a declined screen (LA15775-2)',
    { observations: [foodDeclined('o', '2026-11-20')] },
    'declined-to-answer',
  ],
  [
    'a declined screen (asked-declined)',
    { observations: [itemObservation('o', '88122-7', { absent: 'asked-declined' }, '2026-11-20')] },
    'declined-to-answer',
  ],
  ['a negative screen this year', { observations: [foodNegative('o', '2026-06-01')] }, 'negative'],
  [
    'a positive superseded by a later negative',
    { observations: [foodPositive('a', '2026-05-01'), foodNegative('b', '2026-11-01')] },
    'negative',
  ],
  [
    'a negative superseded by a later positive',
    { observations: [foodNegative('a', '2026-05-01'), foodPositive('b', '2026-11-01')] },
    'positive-no-action',
  ],
  [
    'a positive followed by a declined screen',
    { observations: [foodPositive('a', '2026-11-01'), foodDeclined('b', '2026-11-20')] },
    'positive-no-action',
  ],
  [
    'an active food-insecurity Condition only',
    { conditions: [sdohCondition('c', [{ system: SNOMED, code: '733423003' }], '2026-11-25')] },
    'positive-no-action',
  ],
  [
    'a resolved food-insecurity Condition only',
    {
      conditions: [
        sdohCondition('c', [{ system: SNOMED, code: '733423003' }], '2026-11-25', {
          clinical: 'resolved',
        }),
      ],
    },
    'not-screened',
  ],
  [
    'a positive screen dated after today',
    { observations: [foodPositive('o', '2026-12-20')] },
    'not-screened',
  ],
];

describe('state table: screening states', () => {
  it.each(TABLE)('%s → %s', (_name, parts, kind) => {
    expect(stateOf(parts).kind).toBe(kind);
  });

  it('stale and negative states carry the screen they rest on', () => {
    const stale = expectKind(stateOf({ observations: [foodNegative('o', '2025-01-15')] }), 'stale');
    expect(stale.screen).toMatchObject({ date: '2025-01-15', result: 'negative' });
    const neg = expectKind(
      stateOf({ observations: [foodNegative('o', '2026-06-01')] }),
      'negative',
    );
    expect(neg.screen.items.map((i) => i.ref)).toEqual(['Observation/o']);
  });

  it('honours a configured staleness window', () => {
    const parts = { observations: [foodNegative('o', '2026-03-01')] };
    expect(stateOf(parts).kind).toBe('negative');
    expect(stateOf(parts, { opts: { staleAfterMonths: 6 } }).kind).toBe('stale');
  });

  it('keeps the latest screen of any age as "last screened"', () => {
    const [food] = readSdohDomainStatuses(
      inputs({ observations: [foodNegative('a', '2024-01-01'), foodNegative('b', '2025-02-01')] }),
      TODAY,
      AVAILABLE,
    );
    expect(food?.latestScreen.kind === 'screened' && food.latestScreen.screen.date).toBe(
      '2025-02-01',
    );
  });
});

describe('state table: positive, no action ("day N of 30")', () => {
  it('counts days from the first positive screen of the episode', () => {
    const state = expectKind(
      stateOf({ observations: [foodPositive('a', '2026-11-20'), foodPositive('b', '2026-11-26')] }),
      'positive-no-action',
    );
    expect(state).toMatchObject({ day: 12, windowDays: 30, daysLeft: 18, overdue: false });
    expect(state.need).toMatchObject({ since: '2026-11-20', latestPositive: '2026-11-26' });
    expect(state.need.reasonReferences).toEqual(['Observation/b', 'Observation/a']);
  });

  it('counts calendar days in the offset of "now", date-only values on their own day', () => {
    const now = '2026-12-02T09:00:00-05:00';
    const byDate = expectKind(
      stateOf({ observations: [foodPositive('a', '2026-11-30')] }, { now }),
      'positive-no-action',
    );
    expect(byDate.day).toBe(2);
    expect(byDate.need.since).toBe('2026-11-30');
    // 02:00Z on 30 Nov is still 29 Nov in New York.
    const byInstant = expectKind(
      stateOf({ observations: [foodPositive('a', '2026-11-30T02:00:00Z')] }, { now }),
      'positive-no-action',
    );
    expect(byInstant.day).toBe(3);
    expect(stateOf({ observations: [foodNegative('a', '2025-12-02')] }, { now }).kind).toBe(
      'negative',
    );
  });

  it('is overdue after the window, and the window is configurable (MIPS #498: 60)', () => {
    const parts = { observations: [foodPositive('a', '2026-10-01')] };
    expect(expectKind(stateOf(parts), 'positive-no-action')).toMatchObject({
      day: 62,
      overdue: true,
      daysLeft: -32,
    });
    expect(
      expectKind(stateOf(parts, { opts: { actionWindowDays: 60 } }), 'positive-no-action'),
    ).toMatchObject({ day: 62, windowDays: 60, overdue: true });
  });

  it('starts a new episode after a negative screen', () => {
    const state = expectKind(
      stateOf({
        observations: [
          foodPositive('a', '2026-03-01'),
          foodNegative('b', '2026-06-01'),
          foodPositive('c', '2026-11-30'),
        ],
      }),
      'positive-no-action',
    );
    expect(state.day).toBe(2);
  });

  it('marks "no housing tonight" and an AHC safety score above 10 as critical', () => {
    const homeless = expectKind(
      stateOf(
        { observations: [itemObservation('h', '71802-3', coded('LA31995-6'), '2026-11-30')] },
        { domain: 'homelessness' },
      ),
      'positive-no-action',
    );
    expect(homeless.need.critical).toBe(true);
    const worried = expectKind(
      stateOf(
        { observations: [itemObservation('h', '71802-3', coded('LA31994-9'), '2026-11-30')] },
        { domain: 'housing-instability' },
      ),
      'positive-no-action',
    );
    expect(worried.need.critical).toBe(false);

    const safety = (codes: string[]): DomainState =>
      stateOf(
        {
          observations: ['95618-5', '95617-7', '95616-9', '95615-1'].map((q, i) =>
            itemObservation(`s${i}`, q, coded(codes[i] ?? ''), '2026-11-30'),
          ),
        },
        { domain: 'interpersonal-safety' },
      );
    // Sometimes (3) ×3 + Fairly often (4) = 13 > 10: positive and critical.
    const unsafe = expectKind(
      safety(['LA10082-8', 'LA10082-8', 'LA10082-8', 'LA16644-9']),
      'positive-no-action',
    );
    expect(unsafe.need.critical).toBe(true);
    expect(unsafe.need.screens[0]?.ahcSafetyScore).toBe(13);
    // 3 + 3 + 2 + 2 = 10: not above 10, negative.
    expect(safety(['LA10082-8', 'LA10082-8', 'LA10066-1', 'LA10066-1']).kind).toBe('negative');
  });
});

describe('state table: patient declined help', () => {
  const positive = { observations: [foodPositive('a', '2026-11-20')] };

  it('silences the need for the configured period from the decline', () => {
    const state = expectKind(
      stateOf({ ...positive, procedures: [decline('d', 'food-insecurity', '2026-11-20')] }),
      'declined-help',
    );
    expect(state.silencedUntil).toBe('2027-02-18');
    expect(state.decline.ref).toBe('Procedure/d');
    expect(state.need.since).toBe('2026-11-20');
  });

  it('offers again once the silence period has run out', () => {
    const state = expectKind(
      stateOf(
        { ...positive, procedures: [decline('d', 'food-insecurity', '2026-11-21')] },
        { opts: { declineSilenceDays: 10 } },
      ),
      'positive-no-action',
    );
    expect(state.lapsedDecline.kind).toBe('lapsed');
  });

  it('ignores a decline older than the latest positive, or for another domain', () => {
    const older = expectKind(
      stateOf({ ...positive, procedures: [decline('d', 'food-insecurity', '2026-11-10')] }),
      'positive-no-action',
    );
    expect(older.lapsedDecline.kind).toBe('none');
    expect(stateOf({ ...positive, procedures: [decline('d', 'stress', '2026-11-25')] }).kind).toBe(
      'positive-no-action',
    );
  });

  it('wins over an earlier closed referral, not over a later open one', () => {
    const closed = {
      ...positive,
      serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
      tasks: [referralTask('t', 'sr', 'rejected', '2026-11-22', { reason: 'No capacity' })],
    };
    expect(
      stateOf({ ...closed, procedures: [decline('d', 'food-insecurity', '2026-11-25')] }).kind,
    ).toBe('declined-help');
    const open = {
      ...positive,
      procedures: [decline('d', 'food-insecurity', '2026-11-20')],
      serviceRequests: [referral('sr', 'food-insecurity', '2026-11-28')],
      tasks: [referralTask('t', 'sr', 'accepted', '2026-11-29')],
    };
    expect(stateOf(open).kind).toBe('referral-open');
  });
});

describe('state table: referrals and their Tasks', () => {
  const positive = { observations: [foodPositive('a', '2026-11-20')] };
  const withTask = (
    status: fhir4.Task['status'],
    lastModified: string,
    extra: Parameters<typeof referralTask>[4] = {},
  ): Partial<SdohInputs> => ({
    ...positive,
    serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
    tasks: [referralTask('t', 'sr', status, lastModified, { owner: FOOD_BANK, ...extra })],
  });

  it.each([
    ['draft', 'referral-open'],
    ['requested', 'referral-open'],
    ['received', 'referral-open'],
    ['ready', 'referral-open'],
    ['accepted', 'referral-open'],
    ['in-progress', 'referral-open'],
    ['on-hold', 'referral-open'],
    ['rejected', 'referral-closed'],
    ['cancelled', 'referral-closed'],
    ['failed', 'referral-closed'],
    ['completed', 'completed'],
  ] as const)('Task %s → %s', (status, kind) => {
    expect(stateOf(withTask(status, '2026-11-30')).kind).toBe(kind);
  });

  it('shows the open Task status, owner and last update', () => {
    const state = expectKind(stateOf(withTask('accepted', '2026-11-30')), 'referral-open');
    expect(state.stalled.kind).toBe('not-stalled');
    expect(state.tracking.kind).toBe('task');
    if (state.tracking.kind !== 'task') return;
    expect(state.tracking.task).toMatchObject({
      ref: 'Task/t',
      status: 'accepted',
      owner: { kind: 'named', display: 'Eastside Food Bank' },
      lastUpdate: Date.parse('2026-11-30'),
    });
  });

  it('flags a requested Task with no update for over 7 days, and an on-hold one, as stalled', () => {
    expect(
      expectKind(stateOf(withTask('requested', '2026-11-22')), 'referral-open').stalled,
    ).toEqual({ kind: 'no-update', days: 10 });
    expect(
      expectKind(stateOf(withTask('requested', '2026-11-25')), 'referral-open').stalled,
    ).toEqual({ kind: 'not-stalled' });
    expect(
      expectKind(
        stateOf(withTask('on-hold', '2026-11-30', { reason: 'Waitlist' })),
        'referral-open',
      ).stalled,
    ).toEqual({ kind: 'on-hold', reason: 'Waitlist' });
  });

  it('shows the reason a referral closed unsuccessfully, or says none was given', () => {
    expect(
      expectKind(
        stateOf(withTask('rejected', '2026-11-30', { reason: 'Outside service area' })),
        'referral-closed',
      ).reason,
    ).toBe('Outside service area');
    expect(expectKind(stateOf(withTask('failed', '2026-11-30')), 'referral-closed').reason).toMatch(
      /failed; no reason given/,
    );
  });

  it('completes with the Task outcome', () => {
    const state = expectKind(
      stateOf(
        withTask('completed', '2026-11-30', {
          output: [
            {
              type: { coding: [{ code: 'resulting-activity' }] },
              valueReference: { reference: 'Procedure/p9', display: 'Enrolled in food pantry' },
            },
          ],
        }),
      ),
      'completed',
    );
    expect(state.completion.kind).toBe('task');
    if (state.completion.kind !== 'task') return;
    expect(state.completion.task.outcomes).toEqual([
      { kind: 'procedure', reference: 'Procedure/p9', display: 'Enrolled in food pantry' },
    ]);
  });

  // The sandbox's community page (and the SDOHCC IG) completes a Task with a Procedure based on
  // the request, referenced from Task.output resulting-activity, its note the organization's words.
  const resultingProcedure = (note: string | undefined, display?: string) => {
    const procedure: fhir4.Procedure = {
      resourceType: 'Procedure',
      id: 'p9',
      status: 'completed',
      basedOn: [{ reference: 'ServiceRequest/sr' }],
      subject: PATIENT,
      code: {
        coding: [{ system: SNOMED, code: '308440001', display: 'Referral to social worker' }],
      },
      performedDateTime: '2026-11-30',
      ...(note === undefined ? {} : { note: [{ text: note }] }),
    };
    const parts = withTask('completed', '2026-11-30', {
      output: [
        {
          type: { coding: [{ code: 'resulting-activity' }] },
          valueReference: {
            reference: 'Procedure/p9',
            ...(display === undefined ? {} : { display }),
          },
        },
      ],
    });
    return { ...parts, procedures: [procedure] };
  };

  it('keeps the Task and its outcome when the resulting Procedure is read too', () => {
    const state = expectKind(
      stateOf(resultingProcedure('Enrolled in weekly meals', 'Enrolled in weekly meals')),
      'completed',
    );
    expect(state.completion.kind).toBe('task');
    if (state.completion.kind !== 'task') return;
    expect(state.completion.task.owner).toEqual({ kind: 'named', display: 'Eastside Food Bank' });
    expect(state.completion.intervention?.ref).toBe('Procedure/p9');
    // Said once, though both the Task output and the Procedure note carry it.
    expect(completionOutcomes(state.completion)).toEqual(['Enrolled in weekly meals']);
  });

  it("reads the outcome from the Procedure's note when the Task output has no display", () => {
    const state = expectKind(stateOf(resultingProcedure('Enrolled in weekly meals')), 'completed');
    if (state.completion.kind !== 'task') throw new Error('expected a Task completion');
    expect(state.completion.task.outcomes).toEqual([
      { kind: 'procedure', reference: 'Procedure/p9', display: 'Enrolled in weekly meals' },
    ]);
    expect(completionOutcomes(state.completion)).toEqual(['Enrolled in weekly meals']);
  });

  it('shows no outcome (not a bare id) when the organization reported none', () => {
    const state = expectKind(stateOf(resultingProcedure(undefined)), 'completed');
    if (state.completion.kind !== 'task') throw new Error('expected a Task completion');
    expect(state.completion.task.outcomes).toEqual([
      { kind: 'procedure', reference: 'Procedure/p9' },
    ]);
    expect(completionOutcomes(state.completion)).toEqual([]);
  });

  it('completes with the Procedure (and its outcome) while the Task is not completed', () => {
    const parts = resultingProcedure('Delivered a food box');
    const state = expectKind(
      stateOf({
        ...parts,
        tasks: [referralTask('t', 'sr', 'in-progress', '2026-11-29', { owner: FOOD_BANK })],
      }),
      'completed',
    );
    expect(state.completion.kind).toBe('procedure');
    expect(completionOutcomes(state.completion)).toEqual(['Delivered a food box']);
  });

  it('uses the latest Task when a referral has several', () => {
    const state = stateOf({
      ...positive,
      serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
      tasks: [
        referralTask('t1', 'sr', 'completed', '2026-11-29'),
        referralTask('t0', 'sr', 'requested', '2026-11-21'),
      ],
    });
    expect(state.kind).toBe('completed');
  });

  it('reads a request without a Task from its own status', () => {
    const base = { ...positive };
    expect(
      stateOf({ ...base, serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')] }).kind,
    ).toBe('referral-open');
    expect(
      stateOf({
        ...base,
        serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21', 'revoked')],
      }).kind,
    ).toBe('referral-closed');
    expect(
      stateOf({
        ...base,
        serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21', 'completed')],
      }).kind,
    ).toBe('completed');
    expect(
      stateOf({
        ...base,
        serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21', 'draft')],
      }).kind,
    ).toBe('positive-no-action');
  });

  it('says "status unknown" when the server has no Task support or denied Task reads', () => {
    const parts = {
      ...positive,
      serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
    };
    for (const reason of ['not-supported', 'forbidden', 'failed'] as const) {
      const state = expectKind(
        stateOf(parts, { tasks: { kind: 'unavailable', reason } }),
        'status-unknown',
      );
      expect(state).toMatchObject({ why: reason, requestStatus: 'active' });
    }
  });

  it('counts a completed Procedure in the domain as completion', () => {
    const procedure: fhir4.Procedure = {
      resourceType: 'Procedure',
      id: 'p1',
      status: 'completed',
      subject: PATIENT,
      code: { coding: [{ system: SNOMED, code: '710925007', display: 'Provision of food' }] },
      performedDateTime: '2026-11-25',
    };
    const state = expectKind(stateOf({ ...positive, procedures: [procedure] }), 'completed');
    expect(state.completion.kind).toBe('procedure');
  });

  it('ignores a referral made before the episode began', () => {
    expect(
      stateOf({
        ...positive,
        serviceRequests: [referral('sr', 'food-insecurity', '2026-10-01')],
        tasks: [referralTask('t', 'sr', 'completed', '2026-10-10')],
      }).kind,
    ).toBe('positive-no-action');
  });

  it('prefers an open referral over a closed one', () => {
    const state = expectKind(
      stateOf({
        ...positive,
        serviceRequests: [
          referral('sr1', 'food-insecurity', '2026-11-21'),
          referral('sr2', 'food-insecurity', '2026-11-24'),
        ],
        tasks: [
          referralTask('t1', 'sr1', 'rejected', '2026-11-28'),
          referralTask('t2', 'sr2', 'in-progress', '2026-11-26'),
        ],
      }),
      'referral-open',
    );
    expect(state.referral.ref).toBe('ServiceRequest/sr2');
  });

  it('places a request without a domain category through its reasonReference', () => {
    const sr: fhir4.ServiceRequest = {
      ...referral('sr', 'food-insecurity', '2026-11-21'),
      category: [],
      reasonReference: [{ reference: 'Observation/a' }],
    };
    expect(stateOf({ ...positive, serviceRequests: [sr] }).kind).toBe('referral-open');
  });

  it('shows a referral made without a current screen instead of "not screened"', () => {
    const open = expectKind(
      stateOf({
        serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
        tasks: [referralTask('t', 'sr', 'accepted', '2026-11-22')],
      }),
      'referral-open',
    );
    expect(open.need).toMatchObject({ since: '2026-11-21', screens: [], reasonReferences: [] });
    // A stale negative screen and an old referral: stale, and the old referral is not shown.
    expect(
      stateOf({
        observations: [foodNegative('o', '2025-01-01')],
        serviceRequests: [referral('sr', 'food-insecurity', '2025-01-02')],
      }).kind,
    ).toBe('stale');
    // A current negative screen wins over a referral: the need has resolved.
    expect(
      stateOf({
        observations: [foodNegative('o', '2026-11-25')],
        serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
      }).kind,
    ).toBe('negative');
  });

  it('keeps referrals in their own domain', () => {
    expect(
      stateOf({
        ...positive,
        serviceRequests: [referral('sr', 'stress', '2026-11-21')],
      }).kind,
    ).toBe('positive-no-action');
  });
});
