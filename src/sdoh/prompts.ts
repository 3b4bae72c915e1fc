// The social-needs prompts: at most three at a time, most urgent first, each shaped as a CDS Hooks
// card (sdoh.md §3 "CDS Hooks": summary < 140 chars, indicator, source, detail, suggestions with
// uuid / isRecommended / actions, selectionBehavior, overrideReasons from the CDS Hooks
// non-adherence-reason-codes). Why so few: reminder acceptance falls ~30% per extra reminder per
// encounter (Ancker 2017, sdoh.md §3), and most patients with a need do not want help at that visit
// (Gold 2018), so a decline is respected and never nagged.
//
// Order (issue 8; sdoh.md §4 "Active prompt?"):
//   1. critical: a positive with no action whose screen is a safety score > 10 or "no housing
//      tonight" (AHC/PRAPARE homelessness answers)
//   2. warning: a positive with no action, the nearest 30-day deadline first (overdue ones after
//      those still inside the window, least overdue first)
//   3. warning: a stalled referral (requested with no update for > 7 days, or on hold)
//   4. info: a referral closed unsuccessfully ("try another resource")
//   5. info: screen or rescreen (not screened / stale domains, one card, once per encounter)
// Declined-to-answer, declined-help, negative, referral-open (not stalled), completed and
// status-unknown domains never prompt. Interpersonal safety prompts are `sensitive`: their summary
// names no detail, and the UI keeps the detail behind a click (sdoh.md §4 "Safety and privacy").

import type { SdohDomain } from '../clinical/sdoh-screening';
import { deterministicUuid } from './deterministic-uuid';
import type { DomainState, NeedEvidence, SdohDomainStatus } from './domain-states';
import { buildDeclineRecord } from './decline';
import type { Party } from './read-referrals';
import {
  DOMAIN_INFO,
  INSTRUMENT_LABELS,
  NON_ADHERENCE_REASON_SYSTEM,
  serviceChoices,
} from './sdoh-codes';
import { DEFAULT_SDOH_STATE_OPTIONS } from './domain-states';
import { isoDateOf, readNow } from './sdoh-time';
import { buildScreenNowTask, buildServiceRequest, screeningQuestionnaire } from './write-back';

export type CdsIndicator = 'info' | 'warning' | 'critical';

export interface CdsSource {
  label: string;
  topic: fhir4.Coding;
}

export interface CdsAction {
  type: 'create';
  description: string;
  resource: fhir4.ServiceRequest | fhir4.Procedure | fhir4.Task;
}

export interface CdsSuggestion {
  label: string;
  uuid: string;
  isRecommended: boolean;
  /** Empty for a suggestion that is a reminder to act outside the app (e.g. call the organization). */
  actions: CdsAction[];
}

export interface CdsCard {
  uuid: string;
  /** Under 140 characters (CDS Hooks). */
  summary: string;
  indicator: CdsIndicator;
  source: CdsSource;
  /** Markdown. */
  detail: string;
  suggestions: CdsSuggestion[];
  selectionBehavior: 'at-most-one';
  overrideReasons: fhir4.Coding[];
}

export type PromptKind =
  'critical-need' | 'positive-no-action' | 'stalled-referral' | 'referral-closed' | 'screening-due';

export interface SdohPrompt {
  /** = card.uuid: stable for the same domain, state and episode. */
  key: string;
  kind: PromptKind;
  domains: SdohDomain[];
  /** Keep `card.detail` behind a click (interpersonal safety). */
  sensitive: boolean;
  card: CdsCard;
}

export interface PromptContext {
  patient: fhir4.Reference;
  /** The signed-in clinician (SMART fhirUser), for the suggestions' draft resources. */
  requester: fhir4.Reference;
  /** The encounter date(time) or today, as given to readSdohDomainStatuses. */
  now: string;
  encounter?: fhir4.Reference;
  /** Keys of screening prompts already shown in this encounter: they are shown once per encounter. */
  shownThisEncounter?: ReadonlySet<string>;
  /** At most 3 (the default); a smaller number shows fewer. */
  maxPrompts?: number;
  /** The decline silence period given to readSdohDomainStatuses (default 90 days), for the card text. */
  declineSilenceDays?: number;
}

export const MAX_PROMPTS = 3;
export const SUMMARY_MAX_LENGTH = 139;

const SOURCE_LABEL = 'Equity Lens social needs';

const overrideReason = (code: string, display: string): fhir4.Coding => ({
  system: NON_ADHERENCE_REASON_SYSTEM,
  code,
  display,
});

const NEED_OVERRIDES: fhir4.Coding[] = [
  overrideReason('patient-refuses', 'Patient declines help'),
  overrideReason('indication-order-exists', 'A referral was already made elsewhere'),
  overrideReason('service-not-available', 'No suitable service is available'),
  overrideReason('limited-time', 'No time at this visit'),
];
const FOLLOW_UP_OVERRIDES: fhir4.Coding[] = [
  overrideReason('action-completed', 'Already followed up'),
  overrideReason('limited-time', 'No time at this visit'),
];
const SCREENING_OVERRIDES: fhir4.Coding[] = [
  overrideReason('patient-refuses', 'Patient declines screening'),
  overrideReason('action-completed', 'Screened elsewhere'),
  overrideReason('limited-time', 'No time at this visit'),
];

interface Ranked {
  prompt: SdohPrompt;
  rank: number;
  /** Tie-break inside a rank: lower first. */
  order: number;
}

/** The active prompts for the strip's statuses, most urgent first, at most `maxPrompts`. */
export function buildSdohPrompts(
  statuses: readonly SdohDomainStatus[],
  context: PromptContext,
): SdohPrompt[] {
  const ranked: Ranked[] = [];
  for (const status of statuses) {
    const r = promptOf(status, context);
    if (r !== undefined) ranked.push(r);
  }
  const screening = screeningPrompt(statuses, context);
  if (screening !== undefined) ranked.push(screening);
  return ranked
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, Math.max(0, Math.min(MAX_PROMPTS, context.maxPrompts ?? MAX_PROMPTS)))
    .map((r) => r.prompt);
}

function promptOf(status: SdohDomainStatus, ctx: PromptContext): Ranked | undefined {
  const state = status.state;
  switch (state.kind) {
    case 'positive-no-action':
      return needPrompt(status, state, ctx);
    case 'referral-open':
      return state.stalled.kind === 'not-stalled' ? undefined : stalledPrompt(status, state, ctx);
    case 'referral-closed':
      return closedPrompt(status, state, ctx);
    case 'not-screened':
    case 'stale':
    case 'declined-to-answer':
    case 'negative':
    case 'declined-help':
    case 'completed':
    case 'status-unknown':
      return undefined;
  }
}

function clip(summary: string): string {
  return summary.length <= SUMMARY_MAX_LENGTH
    ? summary
    : `${summary.slice(0, SUMMARY_MAX_LENGTH - 1).trimEnd()}…`;
}

function topicOf(domain: SdohDomain): fhir4.Coding {
  const c = DOMAIN_INFO[domain].category;
  return { system: c.system, code: c.code, display: c.display };
}

function partyName(party: Party): string {
  return party.kind === 'named' ? party.display : 'the organization';
}

/** Evidence lines for a need, as markdown bullets. */
function needDetail(need: NeedEvidence): string[] {
  const lines: string[] = [];
  const screen = need.screens[0];
  if (screen !== undefined) {
    const instrument =
      screen.instrument === 'unidentified' ? 'Screening' : INSTRUMENT_LABELS[screen.instrument];
    lines.push(`- ${instrument} on ${screen.date}:`);
    for (const item of screen.items) {
      const answer =
        item.value.kind === 'coded'
          ? item.answers.map((a) => a.display).join('; ')
          : item.value.kind === 'number'
            ? String(item.value.value)
            : `not answered (${item.value.reason})`;
      lines.push(`  - ${item.questionDisplay}: ${answer}`);
    }
    if (screen.ahcSafetyScore !== undefined) {
      lines.push(`  - AHC safety score ${screen.ahcSafetyScore} (positive above 10)`);
    }
  }
  for (const c of need.conditions) {
    const unconfirmed = c.verification === 'unconfirmed' ? ', unconfirmed' : '';
    lines.push(`- ${c.display} (health concern recorded ${c.date}${unconfirmed})`);
  }
  lines.push(`- Positive since ${need.since}`);
  return lines;
}

function referSuggestion(
  domain: SdohDomain,
  need: NeedEvidence,
  key: string,
  ctx: PromptContext,
  label: string,
): CdsSuggestion {
  const service = serviceChoices(domain)[0];
  const actions: CdsAction[] =
    service === undefined
      ? []
      : [
          {
            type: 'create',
            description: `ServiceRequest (SDOHCC) ${service.code} ${service.display}: choose a community resource to send it`,
            resource: buildServiceRequest({
              domain,
              service,
              patient: ctx.patient,
              requester: ctx.requester,
              authoredOn: ctx.now,
              reasons: need.reasonReferences.map((reference) => ({ reference })),
              doNotContactPatient: DOMAIN_INFO[domain].sensitive,
              idempotencyKey: deterministicUuid(`${key}|refer`),
              status: 'draft',
              ...(ctx.encounter === undefined ? {} : { encounter: ctx.encounter }),
            }).resource,
          },
        ];
  return { label, uuid: deterministicUuid(`${key}|refer`), isRecommended: true, actions };
}

function declineSuggestion(
  domain: SdohDomain,
  need: NeedEvidence,
  key: string,
  ctx: PromptContext,
): CdsSuggestion {
  const reason = need.reasonReferences[0];
  return {
    label: 'Patient declines help',
    uuid: deterministicUuid(`${key}|decline`),
    isRecommended: false,
    actions: [
      {
        type: 'create',
        description: `Procedure (not done, patient declined): silences this prompt for ${ctx.declineSilenceDays ?? DEFAULT_SDOH_STATE_OPTIONS.declineSilenceDays} days`,
        resource: buildDeclineRecord({
          domain,
          patient: ctx.patient,
          recorder: ctx.requester,
          when: ctx.now,
          idempotencyKey: deterministicUuid(`${key}|decline`),
          ...(reason === undefined ? {} : { reason: { reference: reason } }),
          ...(ctx.encounter === undefined ? {} : { encounter: ctx.encounter }),
        }).resource,
      },
    ],
  };
}

function needPrompt(
  status: SdohDomainStatus,
  state: Extract<DomainState, { kind: 'positive-no-action' }>,
  ctx: PromptContext,
): Ranked {
  const { domain, label, sensitive } = status;
  const critical = state.need.critical;
  const kind: PromptKind = critical ? 'critical-need' : 'positive-no-action';
  const key = deterministicUuid(`${domain}|${kind}|${state.need.since}`);
  const when = state.overdue
    ? `day ${state.day}, past the ${state.windowDays}-day window`
    : `day ${state.day} of ${state.windowDays}`;
  const fromScreen = state.need.screens.length > 0;
  const summary = sensitive
    ? critical
      ? `Urgent sensitive need: follow up today (${when})`
      : `Sensitive need: positive screen, no action yet (${when})`
    : critical && domain === 'homelessness'
      ? `No steady place to live; no referral yet (${when})`
      : fromScreen
        ? `${label} screen positive; no referral yet (${when})`
        : `${label}: active health concern; no referral yet (${when})`;
  const lapsed =
    state.lapsedDecline.kind === 'lapsed'
      ? [
          `- The patient declined help on ${isoDateOf(state.lapsedDecline.decline.time, readNow(ctx.now))}; that was long enough ago to offer again.`,
        ]
      : [];
  return {
    rank: critical ? 0 : 1,
    // Inside the window: fewest days left first; overdue after, least overdue first.
    order: state.overdue ? 1000 - state.daysLeft : state.daysLeft,
    prompt: {
      key,
      kind,
      domains: [domain],
      sensitive,
      card: {
        uuid: key,
        summary: clip(summary),
        indicator: critical ? 'critical' : 'warning',
        source: { label: SOURCE_LABEL, topic: topicOf(domain) },
        detail: [
          `**${label}**: ${DOMAIN_INFO[domain].need}, no referral or intervention yet.`,
          ...needDetail(state.need),
          ...lapsed,
          `- HEDIS SNS-E counts an intervention within ${state.windowDays} days of the first positive screen.`,
        ].join('\n'),
        suggestions: [
          referSuggestion(
            domain,
            state.need,
            key,
            ctx,
            `Refer: ${serviceChoices(domain)[0]?.display ?? 'social care'}`,
          ),
          declineSuggestion(domain, state.need, key, ctx),
        ],
        selectionBehavior: 'at-most-one',
        overrideReasons: NEED_OVERRIDES,
      },
    },
  };
}

function stalledPrompt(
  status: SdohDomainStatus,
  state: Extract<DomainState, { kind: 'referral-open' }>,
  ctx: PromptContext,
): Ranked {
  const { domain, label, sensitive } = status;
  const owner =
    state.tracking.kind === 'task'
      ? partyName(state.tracking.task.owner)
      : partyName(state.referral.performer);
  const stalled = state.stalled;
  const why =
    stalled.kind === 'no-update'
      ? `no update for ${stalled.days} days`
      : stalled.kind === 'on-hold'
        ? 'on hold'
        : 'waiting';
  const key = deterministicUuid(`${domain}|stalled-referral|${state.referral.ref}|${stalled.kind}`);
  const summary = sensitive
    ? `Sensitive referral: ${why}`
    : `${label} referral to ${owner}: ${why}`;
  return {
    rank: 2,
    order: stalled.kind === 'no-update' ? -stalled.days : 0,
    prompt: {
      key,
      kind: 'stalled-referral',
      domains: [domain],
      sensitive,
      card: {
        uuid: key,
        summary: clip(summary),
        indicator: 'warning',
        source: { label: SOURCE_LABEL, topic: topicOf(domain) },
        detail: [
          `**${label}** referral: ${state.referral.service}, sent ${isoDateOf(state.referral.authored, readNow(ctx.now))} to ${owner}.`,
          stalled.kind === 'on-hold' && stalled.reason !== undefined
            ? `- On hold: ${stalled.reason}`
            : `- Status: ${state.tracking.kind === 'task' ? state.tracking.task.status : state.referral.status} (${why}).`,
          '- Follow up with the organization, or refer to another resource.',
        ].join('\n'),
        suggestions: [
          {
            label: `Contact ${owner}`,
            uuid: deterministicUuid(`${key}|contact`),
            isRecommended: true,
            actions: [],
          },
          referSuggestion(domain, state.need, key, ctx, 'Refer to another resource'),
        ],
        selectionBehavior: 'at-most-one',
        overrideReasons: FOLLOW_UP_OVERRIDES,
      },
    },
  };
}

function closedPrompt(
  status: SdohDomainStatus,
  state: Extract<DomainState, { kind: 'referral-closed' }>,
  ctx: PromptContext,
): Ranked {
  const { domain, label, sensitive } = status;
  const owner =
    state.tracking.kind === 'task'
      ? partyName(state.tracking.task.owner)
      : partyName(state.referral.performer);
  const key = deterministicUuid(`${domain}|referral-closed|${state.referral.ref}`);
  const summary = sensitive
    ? 'Sensitive referral closed without help: try another resource'
    : `${label} referral to ${owner} closed without help: try another resource`;
  return {
    rank: 3,
    order: -state.referral.authored,
    prompt: {
      key,
      kind: 'referral-closed',
      domains: [domain],
      sensitive,
      card: {
        uuid: key,
        summary: clip(summary),
        indicator: 'info',
        source: { label: SOURCE_LABEL, topic: topicOf(domain) },
        detail: [
          `**${label}** referral: ${state.referral.service} to ${owner}.`,
          `- Closed: ${state.reason}`,
          ...needDetail(state.need),
        ].join('\n'),
        suggestions: [
          referSuggestion(domain, state.need, key, ctx, 'Refer to another resource'),
          declineSuggestion(domain, state.need, key, ctx),
        ],
        selectionBehavior: 'at-most-one',
        overrideReasons: NEED_OVERRIDES,
      },
    },
  };
}

function screeningPrompt(
  statuses: readonly SdohDomainStatus[],
  ctx: PromptContext,
): Ranked | undefined {
  const due = statuses.filter((s) => s.state.kind === 'not-screened' || s.state.kind === 'stale');
  if (due.length === 0) return undefined;
  const domains = due.map((s) => s.domain);
  const key = deterministicUuid(`screening-due|${domains.join(',')}`);
  if (ctx.shownThisEncounter?.has(key) === true) return undefined;
  const stale = due.filter((s) => s.state.kind === 'stale');
  const labels = due.map((s) => s.label.toLowerCase());
  const listed =
    labels.length <= 4
      ? labels.join(', ')
      : `${labels.slice(0, 4).join(', ')} and ${labels.length - 4} more`;
  const verb = stale.length === due.length ? 'Rescreen' : 'Screen';
  const q = screeningQuestionnaire(domains);
  return {
    rank: 4,
    order: 0,
    prompt: {
      key,
      kind: 'screening-due',
      domains,
      sensitive: false,
      card: {
        uuid: key,
        summary: clip(`${verb} for ${listed}`),
        indicator: 'info',
        source: {
          label: SOURCE_LABEL,
          topic: { system: 'http://loinc.org', code: '96777-8', display: 'AHC HRSN screening' },
        },
        detail: [
          ...due.map((s) =>
            s.state.kind === 'stale'
              ? `- ${s.label}: last screened ${s.state.screen.date} (over 12 months ago)`
              : `- ${s.label}: not screened`,
          ),
          `- Suggested instrument: ${q.label}.`,
        ].join('\n'),
        suggestions: [
          {
            label: `Send the ${q.label} questionnaire to the patient`,
            uuid: deterministicUuid(`${key}|screen-now`),
            isRecommended: true,
            actions: [
              {
                type: 'create',
                description: `Task for the patient: complete ${q.label} (${q.canonical})`,
                resource: buildScreenNowTask({
                  domains,
                  patient: ctx.patient,
                  requester: ctx.requester,
                  authoredOn: ctx.now,
                  idempotencyKey: deterministicUuid(`${key}|screen-now`),
                  ...(ctx.encounter === undefined ? {} : { encounter: ctx.encounter }),
                }).resource,
              },
            ],
          },
        ],
        selectionBehavior: 'at-most-one',
        overrideReasons: SCREENING_OVERRIDES,
      },
    },
  };
}
