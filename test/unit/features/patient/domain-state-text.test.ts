import { describe, expect, it } from 'vitest';
import { describeDomainState } from '../../../../src/features/patient/domain-state-text';
import type { DomainState, NeedEvidence } from '../../../../src/sdoh/domain-states';
import type { ReferralEvidence, TaskSummary } from '../../../../src/sdoh/read-referrals';

const need: NeedEvidence = {
  since: '2026-11-24',
  sinceDay: 20416,
  latestPositive: '2026-11-24',
  latestPositiveDay: 20416,
  screens: [],
  conditions: [],
  critical: false,
  reasonReferences: [],
};
const referral: ReferralEvidence = {
  ref: 'ServiceRequest/1',
  domains: ['food-insecurity'],
  status: 'active',
  service: 'Referral to community meals service',
  authored: Date.parse('2026-11-25T10:00:00Z'),
  performer: { kind: 'named', display: 'Food Pantry' },
  contactProhibited: false,
  tasks: [],
  procedures: [],
};
const task: TaskSummary = {
  ref: 'Task/1',
  status: 'rejected',
  owner: { kind: 'named', display: 'Food Pantry' },
  lastUpdate: Date.parse('2026-11-27T10:00:00Z'),
  statusReason: 'Outside our service area',
  outcomes: [],
};

describe('describeDomainState', () => {
  it.each<[DomainState, string, string]>([
    [{ kind: 'not-screened' }, 'Not screened', 'neutral'],
    [
      {
        kind: 'positive-no-action',
        need,
        day: 6,
        windowDays: 30,
        daysLeft: 24,
        overdue: false,
        lapsedDecline: { kind: 'none' },
      },
      'Positive · day 6 of 30',
      'error',
    ],
    [
      {
        kind: 'positive-no-action',
        need,
        day: 41,
        windowDays: 30,
        daysLeft: -11,
        overdue: true,
        lapsedDecline: { kind: 'none' },
      },
      'Positive · day 41, past 30',
      'error',
    ],
    [
      {
        kind: 'referral-open',
        need,
        referral,
        tracking: { kind: 'task', task: { ...task, status: 'accepted' } },
        stalled: { kind: 'not-stalled' },
      },
      'Referral open · accepted',
      'info',
    ],
    [
      {
        kind: 'referral-closed',
        need,
        referral,
        tracking: { kind: 'task', task },
        reason: 'Outside our service area',
      },
      'Referral closed',
      'warning',
    ],
    [
      {
        kind: 'status-unknown',
        need,
        referral,
        requestStatus: 'active',
        why: 'forbidden',
      },
      'Status unknown',
      'neutral',
    ],
  ])('%#: %j reads "%s"', (state, headline, tone) => {
    const text = describeDomainState(state);
    expect(text.headline).toBe(headline);
    expect(text.tone).toBe(tone);
  });

  it('gives the closing reason of an unsuccessful referral', () => {
    const text = describeDomainState({
      kind: 'referral-closed',
      need,
      referral,
      tracking: { kind: 'task', task },
      reason: 'Outside our service area',
    });
    expect(text.detail).toContain('Outside our service area');
  });

  it("shows the organization's outcome on a completed referral", () => {
    const completedTask: TaskSummary = {
      ...task,
      status: 'completed',
      outcomes: [
        { kind: 'procedure', reference: 'Procedure/9', display: 'Enrolled in weekly meals' },
      ],
    };
    const text = describeDomainState({
      kind: 'completed',
      need,
      completion: {
        kind: 'task',
        referral,
        task: completedTask,
        intervention: {
          ref: 'Procedure/9',
          domains: ['food-insecurity'],
          time: Date.parse('2026-11-27T10:00:00Z'),
          service: 'Referral to community meals service',
          outcome: 'Enrolled in weekly meals',
          basedOn: ['ServiceRequest/1'],
        },
      },
    });
    expect(text.headline).toBe('Completed');
    expect(text.detail).toBe(
      'Referral to community meals service completed by Food Pantry on 2026-11-27: Enrolled in weekly meals.',
    );
  });
});
