// Words and tones for the social-needs strip: one line per domain state of the table
// (sdoh.md §4 "State per domain", computed by src/sdoh/domain-states.ts). No React.
import type { DomainState, SdohDomainStatus } from '../../sdoh/domain-states';
import { completionOutcomes } from '../../sdoh/domain-states';
import type { Party, TaskSummary } from '../../sdoh/read-referrals';
import type { StatusTone } from '../../ui/status-chip';

export interface DomainStateText {
  tone: StatusTone;
  /** Short, for the chip: "Not screened", "Positive · day 6 of 30", "Referral open". */
  headline: string;
  /** One or two sentences; safety details are left out of `sensitive` domains' headline only. */
  detail: string;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function party(p: Party): string {
  return p.kind === 'named' ? p.display : 'no organization yet';
}

const TASK_STATUS_WORDS: Readonly<Record<TaskSummary['status'], string>> = {
  draft: 'draft',
  requested: 'requested',
  received: 'received',
  accepted: 'accepted',
  rejected: 'rejected',
  ready: 'ready',
  cancelled: 'cancelled',
  'in-progress': 'in progress',
  'on-hold': 'on hold',
  failed: 'failed',
  completed: 'completed',
};

export function describeDomainState(state: DomainState): DomainStateText {
  switch (state.kind) {
    case 'not-screened':
      return { tone: 'neutral', headline: 'Not screened', detail: 'No screening on record.' };
    case 'stale':
      return {
        tone: 'neutral',
        headline: `Stale (${state.screen.date})`,
        detail: `Last screened ${state.screen.date} (${state.screen.result}), over 12 months ago: rescreen.`,
      };
    case 'declined-to-answer':
      return {
        tone: 'neutral',
        headline: 'Declined to answer',
        detail: `The patient declined to answer on ${state.screen.date}.`,
      };
    case 'negative':
      return {
        tone: 'success',
        headline: 'Negative',
        detail: `Screened negative on ${state.screen.date}.`,
      };
    case 'positive-no-action':
      return {
        tone: 'error',
        headline: state.overdue
          ? `Positive · day ${state.day}, past ${state.windowDays}`
          : `Positive · day ${state.day} of ${state.windowDays}`,
        detail: `Positive since ${state.need.since}; no referral or intervention yet.`,
      };
    case 'declined-help':
      return {
        tone: 'neutral',
        headline: 'Patient declined help',
        detail: `Declined help on ${isoDate(state.decline.time)}; not offered again before ${state.silencedUntil}.`,
      };
    case 'referral-open': {
      const tracked = state.tracking;
      const detail =
        tracked.kind === 'task'
          ? `Task ${TASK_STATUS_WORDS[tracked.task.status]}, with ${party(tracked.task.owner)}, last update ${isoDate(tracked.task.lastUpdate)}.`
          : `Referral sent ${isoDate(state.referral.authored)} to ${party(state.referral.performer)}; no Task tracks it.`;
      const stalled =
        state.stalled.kind === 'no-update'
          ? ` No update for ${state.stalled.days} days.`
          : state.stalled.kind === 'on-hold'
            ? ` On hold${state.stalled.reason === undefined ? '' : `: ${state.stalled.reason}`}.`
            : '';
      return {
        tone: state.stalled.kind === 'not-stalled' ? 'info' : 'warning',
        headline:
          tracked.kind === 'task'
            ? `Referral open · ${TASK_STATUS_WORDS[tracked.task.status]}`
            : 'Referral open',
        detail: `${state.referral.service}. ${detail}${stalled}`,
      };
    }
    case 'referral-closed':
      return {
        tone: 'warning',
        headline: 'Referral closed',
        detail: `${state.referral.service} closed without help: ${state.reason}.`,
      };
    case 'completed': {
      const c = state.completion;
      // The organization's own words on what happened ("Enrolled in weekly meals").
      const outcomes = completionOutcomes(c);
      const said = outcomes.length > 0 ? `: ${outcomes.join('; ')}` : '';
      const detail =
        c.kind === 'task'
          ? `${c.referral.service} completed by ${party(c.task.owner)} on ${isoDate(c.task.lastUpdate)}${said}.`
          : c.kind === 'procedure'
            ? `${c.intervention.service} on ${isoDate(c.intervention.time)}${said}.`
            : `${c.referral.service} marked completed.`;
      return { tone: 'success', headline: 'Completed', detail };
    }
    case 'status-unknown':
      return {
        tone: 'neutral',
        headline: 'Status unknown',
        detail: `${state.referral.service} (request ${state.requestStatus}); this EHR ${
          state.why === 'forbidden'
            ? 'does not share referral Tasks with Equity Lens'
            : state.why === 'not-supported'
              ? 'has no referral Tasks'
              : 'could not be asked for referral Tasks'
        }, so its progress is unknown.`,
      };
  }
}

/** The strip's text for a domain; sensitive positives name no detail until asked. */
export function stripText(status: SdohDomainStatus): DomainStateText {
  return describeDomainState(status.state);
}
