// The strip's words for each state (sdoh.md §4 "UI" column), so every view says the same thing:
// a short headline, a detail line, and a tone the UI maps to its colours (grey not screened,
// hatched stale, green negative, red positive, neutral declined, amber closed…). Dates are
// 'YYYY-MM-DD' in the offset of "now".
//
// Interpersonal safety is sensitive (sdoh.md §4 "Safety and privacy"): its headline says only
// whether it was screened and when; the state itself is in `detail`, which the UI shows behind a
// click.

import type { DomainState, SdohDomainStatus } from './domain-states';
import { completionOutcomes } from './domain-states';
import type { Party, TaskSummary } from './read-referrals';
import { isoDateOf, readNow } from './sdoh-time';
import type { Now } from './sdoh-time';

export type StateTone = 'muted' | 'stale' | 'neutral' | 'good' | 'alert' | 'progress' | 'warning';

export interface StateText {
  headline: string;
  detail: string;
  tone: StateTone;
}

const TASK_STATUS_WORDS: Readonly<Record<TaskSummary['status'], string>> = {
  draft: 'draft',
  requested: 'sent, awaiting response',
  received: 'received',
  ready: 'ready',
  accepted: 'accepted',
  rejected: 'rejected',
  cancelled: 'cancelled',
  'in-progress': 'in progress',
  'on-hold': 'on hold',
  failed: 'failed',
  completed: 'completed',
};

const WHY_UNKNOWN: Readonly<Record<'not-supported' | 'forbidden' | 'failed', string>> = {
  'not-supported': 'this EHR does not share referral tasks',
  forbidden: 'the app may not read referral tasks',
  failed: 'referral tasks could not be loaded',
};

function party(p: Party): string {
  return p.kind === 'named' ? p.display : 'no organization yet';
}

function stateText(state: DomainState, now: Now): StateText {
  const date = (ms: number): string => isoDateOf(ms, now);
  switch (state.kind) {
    case 'not-screened':
      return { headline: 'Not screened', detail: 'No screening on record.', tone: 'muted' };
    case 'stale':
      return {
        headline: `As of ${state.screen.date}`,
        detail: `Last screened ${state.screen.date} (${state.screen.result}); over 12 months ago, rescreen.`,
        tone: 'stale',
      };
    case 'declined-to-answer':
      return {
        headline: `Declined to answer ${state.screen.date}`,
        detail: `The patient chose not to answer on ${state.screen.date}.`,
        tone: 'neutral',
      };
    case 'negative':
      return {
        headline: `No need ${state.screen.date}`,
        detail: `Screened negative on ${state.screen.date}.`,
        tone: 'good',
      };
    case 'positive-no-action':
      return {
        headline: state.overdue
          ? `Day ${state.day}: past ${state.windowDays} days`
          : `Day ${state.day} of ${state.windowDays}`,
        detail: `Positive since ${state.need.since}; no referral or intervention yet.`,
        tone: 'alert',
      };
    case 'declined-help':
      return {
        headline: `Declined help ${date(state.decline.time)}`,
        detail: `The patient declined help on ${date(state.decline.time)}; not offered again before ${state.silencedUntil}.`,
        tone: 'neutral',
      };
    case 'referral-open': {
      const task = state.tracking.kind === 'task' ? state.tracking.task : undefined;
      const owner = party(task?.owner ?? state.referral.performer);
      return {
        headline: 'Referral open',
        detail:
          task === undefined
            ? `${state.referral.service} to ${owner}, sent ${date(state.referral.authored)}; no task yet.`
            : `${state.referral.service}: ${TASK_STATUS_WORDS[task.status]}, ${owner}, updated ${date(task.lastUpdate)}.`,
        tone: state.stalled.kind === 'not-stalled' ? 'progress' : 'warning',
      };
    }
    case 'referral-closed':
      return {
        headline: 'Referral closed',
        detail: `${state.referral.service}: ${state.reason}.`,
        tone: 'warning',
      };
    case 'completed': {
      const c = state.completion;
      const outcomes = completionOutcomes(c);
      const text =
        c.kind === 'procedure'
          ? `${c.intervention.service} on ${date(c.intervention.time)}`
          : c.kind === 'task'
            ? `${c.referral.service}, completed ${date(c.task.lastUpdate)}`
            : `${c.referral.service}, marked completed`;
      return {
        headline: 'Completed',
        detail: `${text}${outcomes.length > 0 ? `: ${outcomes.join('; ')}` : ''}.`,
        tone: 'good',
      };
    }
    case 'status-unknown':
      return {
        headline: 'Status unknown',
        detail: `${state.referral.service} sent ${date(state.referral.authored)}; ${WHY_UNKNOWN[state.why]}.`,
        tone: 'muted',
      };
  }
}

/** The strip's text for one domain; `now` as given to readSdohDomainStatuses. */
export function describeDomainStatus(status: SdohDomainStatus, now: string): StateText {
  const text = stateText(status.state, readNow(now));
  if (!status.sensitive || status.state.kind === 'not-screened') return text;
  const last = status.latestScreen;
  return {
    headline: last.kind === 'screened' ? `Screened ${last.screen.date}` : 'Recorded',
    detail: `${text.headline}. ${text.detail}`,
    tone: 'neutral',
  };
}
