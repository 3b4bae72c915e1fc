// The social-needs strip's state table (sdoh.md §4 "State per domain"), one state per domain:
//
//   not screened         no screening item, no SDOH Condition and no referral in the window
//   stale                the latest screen is older than 12 months before "now" (configurable)
//   declined to answer   the latest screen in the window was declined (asked-declined, LA15775-2,
//                        LA30122-8, PRAPARE "unable to respond") and no positive stands
//   negative             the latest informative screen in the window is negative
//   positive, no action  a positive screen in the window (not superseded by a later negative), or
//                        an active SDOH Condition; no referral, Task or completed intervention since
//                        the episode began; no decline in force. "Day N of 30": N counts from the
//                        first positive screen of the episode (SNS-E; 60 for MIPS #498)
//   patient declined help  a decline (./decline.ts) on or after the latest positive, within its
//                        silence period (default 90 days); after that the need prompts again
//   referral open        its latest Task is draft/requested/accepted/in-progress/on-hold (and the
//                        non-Gravity received/ready), or a request with no Task is still active
//   referral closed      its latest Task is rejected/cancelled/failed (the reason shown), or the
//                        request was revoked
//   completed            its latest Task is completed (with its resulting-activity outputs), a
//                        completed Procedure acts on the need, or the request is completed
//   status unknown       the server has no Task support or denied Task reads: the request's own
//                        status stands in, and the view says "status unknown", not "no referral"
//
// Decisions the reference leaves open, made here:
// - An episode is the run of positive screens since the last negative one inside the window (a
//   declined screen neither starts nor ends it). A referral counts when it is authored on or after
//   the episode's first positive day (sdoh.md §4 "authored on or after the positive date").
// - A decline counts when recorded on or after the latest positive day (same day included: the
//   patient usually declines at the screening visit); a new positive screen on a later day ends it.
// - A referral in the window with no current screen or Condition behind it (made from a
//   conversation) shows its referral state; its need starts on the day it was made.
// - Among referrals, an open one wins over closed or completed ones; otherwise the latest change
//   wins. A decline newer than that action wins over it.
// - Days are calendar days in `now`'s offset; "12 months" is calendar months: a screen on the same
//   date a year ago is current, the day before is stale.

import type { ScreeningResult, SdohClassifyPolicy, SdohDomain } from '../clinical/sdoh-screening';
import {
  AHC_SAFETY_POSITIVE_ABOVE,
  AHC_SAFETY_TOTAL,
  SDOH_DOMAINS,
  ahcSafetyScore,
  isCriticalScreeningAnswer,
  summariseSdohScreening,
} from '../clinical/sdoh-screening';
import type { DeclineEvidence } from './decline';
import { readDeclines } from './decline';
import type { SdohConditionEvidence } from './read-conditions';
import { readSdohConditions } from './read-conditions';
import type {
  InterventionEvidence,
  ReferralEvidence,
  ReferralInputs,
  ReferralRequestStatus,
  TaskSummary,
} from './read-referrals';
import { readReferrals } from './read-referrals';
import type { InstrumentId, ScreeningInputs, ScreeningItemEvidence } from './read-screenings';
import { readScreeningItems } from './read-screenings';
import { DOMAIN_INFO } from './sdoh-codes';
import type { Now } from './sdoh-time';
import { dayNumberOf, firstDayWithinMonths, isoDateOfDay, readNow } from './sdoh-time';

export interface SdohInputs extends ScreeningInputs, ReferralInputs {
  conditions: readonly fhir4.Condition[];
}

/** Whether the EHR lets the app read Tasks (CapabilityStatement, or the Task query's outcome). */
export type TaskAvailability =
  { kind: 'available' } | { kind: 'unavailable'; reason: 'not-supported' | 'forbidden' | 'failed' };

export interface SdohStateOptions {
  /** A screen older than this is stale (default 12: HVS/AHC ask about "the past 12 months"). */
  staleAfterMonths?: number;
  /** "Day N of …": 30 (HEDIS SNS-E, the default) or 60 (MIPS #498). */
  actionWindowDays?: number;
  /** A decline silences the need's prompts for this long (default 90 days). */
  declineSilenceDays?: number;
  /** A requested Task with no update for more than this many days is stalled (default 7). */
  stalledAfterDays?: number;
  policy?: SdohClassifyPolicy;
}

export const DEFAULT_SDOH_STATE_OPTIONS = {
  staleAfterMonths: 12,
  actionWindowDays: 30,
  declineSilenceDays: 90,
  stalledAfterDays: 7,
} as const;

/** One screening of a domain: the domain's items answered on one day, summarised. */
export interface ScreenEvidence {
  /** 'YYYY-MM-DD' in `now`'s offset. */
  date: string;
  day: number;
  result: ScreeningResult;
  instrument: InstrumentId;
  items: ScreeningItemEvidence[];
  /** The AHC safety total (95614-4, or the sum of the four items) when the day has one. */
  ahcSafetyScore?: number;
  /** Safety score > 10 or "no housing tonight" (sdoh.md §4: the prompt is critical). */
  critical: boolean;
}

export interface DatedCondition extends SdohConditionEvidence {
  date: string;
  day: number;
}

export interface NeedEvidence {
  /** The episode's first positive day: "day N" counts from it. */
  since: string;
  sinceDay: number;
  latestPositive: string;
  latestPositiveDay: number;
  /** The episode's positive screens, latest first (empty when only a Condition says so). */
  screens: ScreenEvidence[];
  /** Active SDOH Conditions for the domain, latest first. */
  conditions: DatedCondition[];
  critical: boolean;
  /** Observation/Condition keys a referral's `reasonReference` should cite, latest first. */
  reasonReferences: string[];
}

export type LatestScreen = { kind: 'never' } | { kind: 'screened'; screen: ScreenEvidence };

export type Stalled =
  | { kind: 'not-stalled' }
  /** requested (or received/ready) with no update for more than `stalledAfterDays`. */
  | { kind: 'no-update'; days: number }
  | { kind: 'on-hold'; reason?: string };

/** How an open or closed referral is tracked: its latest Task, or only the request itself. */
export type Tracking = { kind: 'task'; task: TaskSummary } | { kind: 'request-only' };

export type Completion =
  | {
      kind: 'task';
      referral: ReferralEvidence;
      task: TaskSummary;
      /**
       * The completed Procedure based on the referral (the Task's resulting activity), when one
       * was read: completion keeps the Task (owner, outcome) and adds the intervention to it.
       */
      intervention?: InterventionEvidence;
    }
  | { kind: 'procedure'; intervention: InterventionEvidence }
  | { kind: 'request'; referral: ReferralEvidence };

/**
 * The outcome the community organization reported for a completion, in its words: the Task's
 * resulting-activity outputs, then the intervention's outcome text, each said once. Empty when
 * nothing was reported.
 */
export function completionOutcomes(completion: Completion): string[] {
  const texts: string[] = [];
  if (completion.kind === 'task') {
    for (const o of completion.task.outcomes) if (o.display !== undefined) texts.push(o.display);
  }
  if (completion.kind !== 'request' && completion.intervention?.outcome !== undefined) {
    texts.push(completion.intervention.outcome);
  }
  return [...new Set(texts.map((t) => t.trim()).filter((t) => t !== ''))];
}

export type DomainState =
  | { kind: 'not-screened' }
  | { kind: 'stale'; screen: ScreenEvidence }
  | { kind: 'declined-to-answer'; screen: ScreenEvidence }
  | { kind: 'negative'; screen: ScreenEvidence }
  | {
      kind: 'positive-no-action';
      need: NeedEvidence;
      /** Days since the episode's first positive (0 on that day). */
      day: number;
      windowDays: number;
      /** windowDays − day: negative once overdue. */
      daysLeft: number;
      overdue: boolean;
      /** A decline whose silence period ran out ("offer again"). */
      lapsedDecline: { kind: 'none' } | { kind: 'lapsed'; decline: DeclineEvidence };
    }
  | {
      kind: 'declined-help';
      need: NeedEvidence;
      decline: DeclineEvidence;
      /** Prompts are silenced before this date; the view keeps an "offer again" link meanwhile. */
      silencedUntil: string;
    }
  | {
      kind: 'referral-open';
      need: NeedEvidence;
      referral: ReferralEvidence;
      tracking: Tracking;
      stalled: Stalled;
    }
  | {
      kind: 'referral-closed';
      need: NeedEvidence;
      referral: ReferralEvidence;
      tracking: Tracking;
      /** statusReason.text, or a plain stand-in when none was given. */
      reason: string;
    }
  | { kind: 'completed'; need: NeedEvidence; completion: Completion }
  | {
      kind: 'status-unknown';
      need: NeedEvidence;
      referral: ReferralEvidence;
      requestStatus: ReferralRequestStatus;
      why: 'not-supported' | 'forbidden' | 'failed';
    };

export type DomainStateKind = DomainState['kind'];

export interface SdohDomainStatus {
  domain: SdohDomain;
  label: string;
  /** Keep details behind a click (interpersonal safety; sdoh.md §4). */
  sensitive: boolean;
  /** The latest screen of any age (the strip's "last screened"). */
  latestScreen: LatestScreen;
  state: DomainState;
}

type Options = Required<Omit<SdohStateOptions, 'policy'>> & { policy: SdohClassifyPolicy };

/**
 * The state of each of the eleven domains, in strip order. `now` is the encounter's date(time) or
 * today (FHIR date or dateTime); `tasks` says whether Task reads were possible.
 */
export function readSdohDomainStatuses(
  inputs: SdohInputs,
  now: string,
  tasks: TaskAvailability,
  options: SdohStateOptions = {},
): SdohDomainStatus[] {
  const clock = readNow(now);
  const d = DEFAULT_SDOH_STATE_OPTIONS;
  const opts: Options = {
    staleAfterMonths: options.staleAfterMonths ?? d.staleAfterMonths,
    actionWindowDays: options.actionWindowDays ?? d.actionWindowDays,
    declineSilenceDays: options.declineSilenceDays ?? d.declineSilenceDays,
    stalledAfterDays: options.stalledAfterDays ?? d.stalledAfterDays,
    policy: options.policy ?? {},
  };
  const upToNow =
    <T>(time: (t: T) => number) =>
    (t: T) =>
      dayNumberOf(time(t), clock) <= clock.day;

  const items = readScreeningItems(inputs, opts.policy, clock.offsetMinutes).filter(
    upToNow((i) => i.time),
  );
  const conditions = readSdohConditions(inputs.conditions, clock.offsetMinutes).filter(
    upToNow((c) => c.time),
  );
  const reasonDomains = new Map<string, Set<SdohDomain>>();
  const addReason = (key: string, domains: readonly SdohDomain[]): void => {
    const set = reasonDomains.get(key) ?? new Set<SdohDomain>();
    for (const d of domains) set.add(d);
    reasonDomains.set(key, set);
  };
  for (const i of items)
    addReason(
      i.ref.split('#')[0] ?? i.ref,
      i.findings.map((f) => f.domain),
    );
  for (const c of conditions) addReason(c.ref, c.domains);
  const { referrals, interventions } = readReferrals(
    inputs,
    (key) => [...(reasonDomains.get(key) ?? [])],
    clock.offsetMinutes,
  );
  const declines = readDeclines(inputs.procedures, clock.offsetMinutes).filter(
    upToNow((d) => d.time),
  );

  return SDOH_DOMAINS.map((domain) => {
    const screens = screensOf(domain, items, clock);
    const last = screens[screens.length - 1];
    const latestScreen: LatestScreen =
      last === undefined ? { kind: 'never' } : { kind: 'screened', screen: last };
    const state = domainState(domain, screens, conditions, {
      clock,
      opts,
      tasks,
      referrals: referrals.filter((r) => r.domains.includes(domain)),
      interventions: interventions.filter((i) => i.domains.includes(domain)),
      declines: declines.filter((d) => d.domains.includes(domain)),
    });
    const info = DOMAIN_INFO[domain];
    return { domain, label: info.label, sensitive: info.sensitive, latestScreen, state };
  });
}

/** The domain's screenings, one per day, oldest first; days whose items decide nothing are left out. */
function screensOf(
  domain: SdohDomain,
  items: readonly ScreeningItemEvidence[],
  clock: Now,
): ScreenEvidence[] {
  const byDay = new Map<number, ScreeningItemEvidence[]>();
  for (const item of items) {
    if (!item.findings.some((f) => f.domain === domain)) continue;
    const day = dayNumberOf(item.time, clock);
    byDay.set(day, [...(byDay.get(day) ?? []), item]);
  }
  const out: ScreenEvidence[] = [];
  for (const [day, dayItems] of [...byDay].sort((a, b) => a[0] - b[0])) {
    const findings = dayItems.flatMap((i) => i.findings).filter((f) => f.domain === domain);
    const result = summariseSdohScreening(findings).get(domain);
    if (result === undefined) continue;
    const totals = dayItems.flatMap((i) =>
      i.question === AHC_SAFETY_TOTAL && i.value.kind === 'number' ? [i.value.value] : [],
    );
    const score = domain === 'interpersonal-safety' ? ahcSafetyScore(findings, totals) : undefined;
    const critical =
      result === 'positive' &&
      ((score !== undefined && score > AHC_SAFETY_POSITIVE_ABOVE) ||
        dayItems.some(
          (i) =>
            i.value.kind === 'coded' &&
            i.findings.some(
              (f) => f.kind === 'result' && f.domain === domain && f.result === 'positive',
            ) &&
            isCriticalScreeningAnswer(i.question, i.value.codes),
        ));
    const identified = dayItems.find((i) => i.instrument !== 'unidentified');
    out.push({
      date: isoDateOfDay(day),
      day,
      result,
      instrument: identified?.instrument ?? 'unidentified',
      items: dayItems,
      ...(score === undefined ? {} : { ahcSafetyScore: score }),
      critical,
    });
  }
  return out;
}

interface DomainContext {
  clock: Now;
  opts: Options;
  tasks: TaskAvailability;
  referrals: ReferralEvidence[];
  interventions: InterventionEvidence[];
  declines: DeclineEvidence[];
}

function domainState(
  domain: SdohDomain,
  screens: readonly ScreenEvidence[],
  allConditions: readonly SdohConditionEvidence[],
  ctx: DomainContext,
): DomainState {
  const { clock, opts } = ctx;
  const windowStart = firstDayWithinMonths(clock, opts.staleAfterMonths);
  const current = screens.filter((s) => s.day >= windowStart);

  // The positive run: back from the latest informative screen in the window to the last negative.
  const run: ScreenEvidence[] = [];
  const informative = current.filter((s) => s.result !== 'declined');
  if (informative[informative.length - 1]?.result === 'positive') {
    for (let i = current.length - 1; i >= 0; i--) {
      const s = current[i];
      if (s === undefined || s.result === 'negative') break;
      if (s.result === 'positive') run.unshift(s);
    }
  }
  const conditions: DatedCondition[] = allConditions
    .filter((c) => c.domains.includes(domain) && c.clinicalStatus === 'active')
    .map((c) => {
      const day = dayNumberOf(c.time, clock);
      return { ...c, day, date: isoDateOfDay(day) };
    })
    .sort((a, b) => b.day - a.day);

  const day = (ms: number): number => dayNumberOf(ms, clock);
  let need: NeedEvidence;
  if (run.length === 0 && conditions.length === 0) {
    const last = screens[screens.length - 1];
    if (last !== undefined && last.day >= windowStart) {
      // In the window and no positive stands: the latest screen is negative or declined.
      return last.result === 'declined'
        ? { kind: 'declined-to-answer', screen: last }
        : { kind: 'negative', screen: last };
    }
    // No current screen, but a referral in the window (made from a conversation or another
    // tool's assessment): show what became of it rather than "not screened" over an open referral.
    const referred = ctx.referrals
      .map((r) => day(r.authored))
      .filter((d) => d >= windowStart && d <= clock.day);
    if (referred.length === 0) {
      return last === undefined ? { kind: 'not-screened' } : { kind: 'stale', screen: last };
    }
    need = referralOnlyNeed(Math.min(...referred));
  } else {
    need = needEvidence(domain, run, conditions);
  }
  const inEpisode = (d: number): boolean => d >= need.sinceDay && d <= clock.day;

  const outcomes = ctx.referrals
    .filter((r) => inEpisode(day(r.authored)))
    .map((r) => referralOutcome(r, ctx));
  const standalone: Outcome[] = ctx.interventions
    .filter((i) => inEpisode(day(i.time)))
    .map((intervention): Outcome => ({
      kind: 'completed',
      completion: { kind: 'procedure', intervention },
      actionDay: day(intervention.time),
    }));
  const open = outcomes
    .filter((o): o is OpenOutcome => o.kind === 'open' || o.kind === 'unknown')
    .sort((a, b) => b.referral.authored - a.referral.authored)[0];
  const settled = [
    ...outcomes.filter((o) => o.kind === 'closed' || o.kind === 'completed'),
    ...standalone,
  ].sort((a, b) => b.actionDay - a.actionDay)[0];
  const best = open ?? settled;

  const decline = ctx.declines
    .filter((d) => day(d.time) >= need.latestPositiveDay)
    .sort((a, b) => b.time - a.time)[0];
  const silencedUntilDay =
    decline === undefined ? undefined : day(decline.time) + opts.declineSilenceDays;
  const declineInForce =
    decline !== undefined && silencedUntilDay !== undefined && clock.day < silencedUntilDay;

  if (
    declineInForce &&
    decline !== undefined &&
    silencedUntilDay !== undefined &&
    (best === undefined || day(decline.time) > best.actionDay)
  ) {
    return { kind: 'declined-help', need, decline, silencedUntil: isoDateOfDay(silencedUntilDay) };
  }
  if (best !== undefined) return stateOfOutcome(best, need);

  const elapsed = clock.day - need.sinceDay;
  return {
    kind: 'positive-no-action',
    need,
    day: elapsed,
    windowDays: opts.actionWindowDays,
    daysLeft: opts.actionWindowDays - elapsed,
    overdue: elapsed > opts.actionWindowDays,
    lapsedDecline:
      decline === undefined || declineInForce ? { kind: 'none' } : { kind: 'lapsed', decline },
  };
}

/** The need behind a referral made without a current screen or Condition: it starts that day. */
function referralOnlyNeed(sinceDay: number): NeedEvidence {
  const date = isoDateOfDay(sinceDay);
  return {
    since: date,
    sinceDay,
    latestPositive: date,
    latestPositiveDay: sinceDay,
    screens: [],
    conditions: [],
    critical: false,
    reasonReferences: [],
  };
}

function needEvidence(
  domain: SdohDomain,
  run: readonly ScreenEvidence[],
  conditions: readonly DatedCondition[],
): NeedEvidence {
  const first = run[0];
  const lastScreen = run[run.length - 1];
  const conditionDays = conditions.map((c) => c.day);
  const sinceDay = first?.day ?? Math.min(...conditionDays);
  const latestPositiveDay = Math.max(lastScreen?.day ?? Number.NEGATIVE_INFINITY, ...conditionDays);
  const observationRefs = (screen: ScreenEvidence): string[] => {
    const positive = screen.items.filter((i) =>
      i.findings.some((f) => f.kind === 'result' && f.domain === domain && f.result === 'positive'),
    );
    // AHC safety is positive through its score: cite the scored items then.
    return (positive.length > 0 ? positive : screen.items)
      .filter((i) => i.source !== 'questionnaire-response')
      .map((i) => i.ref.split('#')[0] ?? i.ref);
  };
  const reasonReferences = [
    ...new Set([...[...run].reverse().flatMap(observationRefs), ...conditions.map((c) => c.ref)]),
  ];
  return {
    since: isoDateOfDay(sinceDay),
    sinceDay,
    latestPositive: isoDateOfDay(latestPositiveDay),
    latestPositiveDay,
    screens: [...run].reverse(),
    conditions: [...conditions],
    critical: lastScreen?.critical ?? false,
    reasonReferences,
  };
}

type OpenOutcome = Extract<Outcome, { kind: 'open' | 'unknown' }>;

type Outcome =
  | {
      kind: 'open';
      referral: ReferralEvidence;
      tracking: Tracking;
      stalled: Stalled;
      actionDay: number;
    }
  | {
      kind: 'unknown';
      referral: ReferralEvidence;
      why: 'not-supported' | 'forbidden' | 'failed';
      actionDay: number;
    }
  | {
      kind: 'closed';
      referral: ReferralEvidence;
      tracking: Tracking;
      reason: string;
      actionDay: number;
    }
  | { kind: 'completed'; completion: Completion; actionDay: number };

function referralOutcome(r: ReferralEvidence, ctx: DomainContext): Outcome {
  const day = (ms: number): number => dayNumberOf(ms, ctx.clock);
  const authoredDay = day(r.authored);
  const procedure = [...r.procedures].sort((a, b) => b.time - a.time)[0];
  if (procedure !== undefined) {
    // A completed Task that tracks the referral keeps who completed it and the outcome it reported
    // (SDOHCC Task `output` resulting-activity → this Procedure); the Procedure alone names only
    // the service.
    const latest = ctx.tasks.kind === 'available' ? r.tasks[0] : undefined;
    return {
      kind: 'completed',
      completion:
        latest?.status === 'completed'
          ? { kind: 'task', referral: r, task: latest, intervention: procedure }
          : { kind: 'procedure', intervention: procedure },
      actionDay: day(procedure.time),
    };
  }
  const byRequest = (): Outcome | undefined => {
    if (r.status === 'completed') {
      return {
        kind: 'completed',
        completion: { kind: 'request', referral: r },
        actionDay: authoredDay,
      };
    }
    if (r.status === 'revoked') {
      return {
        kind: 'closed',
        referral: r,
        tracking: { kind: 'request-only' },
        reason: 'The referral was revoked',
        actionDay: authoredDay,
      };
    }
    return undefined;
  };

  if (ctx.tasks.kind === 'unavailable') {
    return (
      byRequest() ?? { kind: 'unknown', referral: r, why: ctx.tasks.reason, actionDay: authoredDay }
    );
  }
  const task = r.tasks[0];
  if (task === undefined) {
    return (
      byRequest() ?? {
        kind: 'open',
        referral: r,
        tracking: { kind: 'request-only' },
        stalled: { kind: 'not-stalled' },
        actionDay: authoredDay,
      }
    );
  }
  const taskDay = Math.max(authoredDay, day(task.lastUpdate));
  const tracking: Tracking = { kind: 'task', task };
  switch (task.status) {
    case 'completed':
      return {
        kind: 'completed',
        completion: { kind: 'task', referral: r, task },
        actionDay: taskDay,
      };
    case 'rejected':
    case 'cancelled':
    case 'failed':
      return {
        kind: 'closed',
        referral: r,
        tracking,
        reason: task.statusReason ?? `The organization marked it ${task.status}; no reason given`,
        actionDay: taskDay,
      };
    case 'draft':
    case 'requested':
    case 'received':
    case 'ready':
    case 'accepted':
    case 'in-progress':
    case 'on-hold':
      return {
        kind: 'open',
        referral: r,
        tracking,
        stalled: stalledOf(task, ctx),
        actionDay: authoredDay,
      };
  }
}

function stalledOf(task: TaskSummary, ctx: DomainContext): Stalled {
  if (task.status === 'on-hold') {
    return task.statusReason === undefined
      ? { kind: 'on-hold' }
      : { kind: 'on-hold', reason: task.statusReason };
  }
  if (task.status === 'requested' || task.status === 'received' || task.status === 'ready') {
    const days = ctx.clock.day - dayNumberOf(task.lastUpdate, ctx.clock);
    if (days > ctx.opts.stalledAfterDays) return { kind: 'no-update', days };
  }
  return { kind: 'not-stalled' };
}

function stateOfOutcome(outcome: Outcome, need: NeedEvidence): DomainState {
  switch (outcome.kind) {
    case 'open':
      return {
        kind: 'referral-open',
        need,
        referral: outcome.referral,
        tracking: outcome.tracking,
        stalled: outcome.stalled,
      };
    case 'unknown':
      return {
        kind: 'status-unknown',
        need,
        referral: outcome.referral,
        requestStatus: outcome.referral.status,
        why: outcome.why,
      };
    case 'closed':
      return {
        kind: 'referral-closed',
        need,
        referral: outcome.referral,
        tracking: outcome.tracking,
        reason: outcome.reason,
      };
    case 'completed':
      return { kind: 'completed', need, completion: outcome.completion };
  }
}
