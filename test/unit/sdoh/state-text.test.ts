import { describe, expect, it } from 'vitest';
import type { SdohDomain } from '../../../src/clinical/sdoh-screening';
import type { SdohInputs, TaskAvailability } from '../../../src/sdoh/domain-states';
import { readSdohDomainStatuses } from '../../../src/sdoh/domain-states';
import type { StateText } from '../../../src/sdoh/state-text';
import { describeDomainStatus } from '../../../src/sdoh/state-text';
import { coded, inputs, itemObservation, referral, referralTask } from './sdoh-fixtures';

const TODAY = '2026-12-02';

function text(
  parts: Partial<SdohInputs>,
  domain: SdohDomain = 'food-insecurity',
  tasks: TaskAvailability = { kind: 'available' },
): StateText {
  const status = readSdohDomainStatuses(inputs(parts), TODAY, tasks).find(
    (s) => s.domain === domain,
  );
  if (status === undefined) throw new Error('missing domain');
  return describeDomainStatus(status, TODAY);
}

const food = (code: string, date: string): fhir4.Observation =>
  itemObservation('f', '88122-7', coded(code), date);

describe('describeDomainStatus', () => {
  it.each([
    ['not screened', {}, 'Not screened', 'muted'],
    ['stale', { observations: [food('LA28398-8', '2025-01-10')] }, 'As of 2025-01-10', 'stale'],
    [
      'declined to answer',
      { observations: [food('LA15775-2', '2026-11-10')] },
      'Declined to answer 2026-11-10',
      'neutral',
    ],
    ['negative', { observations: [food('LA28398-8', '2026-11-10')] }, 'No need 2026-11-10', 'good'],
    ['positive', { observations: [food('LA28397-0', '2026-11-26')] }, 'Day 6 of 30', 'alert'],
    [
      'overdue',
      { observations: [food('LA28397-0', '2026-10-01')] },
      'Day 62: past 30 days',
      'alert',
    ],
  ] as const)('%s → %s', (_name, parts, headline, tone) => {
    expect(text(parts)).toMatchObject({ headline, tone });
  });

  const referred = {
    observations: [food('LA28397-0', '2026-11-20')],
    serviceRequests: [referral('sr', 'food-insecurity', '2026-11-21')],
  };

  it('names the Task status, owner and last update of an open referral', () => {
    const t = text({
      ...referred,
      tasks: [
        referralTask('t', 'sr', 'accepted', '2026-11-30', {
          owner: { display: 'Eastside Food Bank' },
        }),
      ],
    });
    expect(t).toEqual({
      headline: 'Referral open',
      detail: 'Referral to social worker: accepted, Eastside Food Bank, updated 2026-11-30.',
      tone: 'progress',
    });
  });

  it('gives the reason of a closed referral and the outcome of a completed one', () => {
    expect(
      text({
        ...referred,
        tasks: [referralTask('t', 'sr', 'rejected', '2026-11-30', { reason: 'No capacity' })],
      }),
    ).toMatchObject({
      headline: 'Referral closed',
      detail: 'Referral to social worker: No capacity.',
    });
    expect(
      text({
        ...referred,
        tasks: [
          referralTask('t', 'sr', 'completed', '2026-11-30', {
            output: [
              {
                type: { coding: [{ code: 'resulting-activity' }] },
                valueString: 'Enrolled in pantry',
              },
            ],
          }),
        ],
      }).detail,
    ).toBe('Referral to social worker, completed 2026-11-30: Enrolled in pantry.');
  });

  it('says status unknown, and why, without Task support', () => {
    expect(text(referred, 'food-insecurity', { kind: 'unavailable', reason: 'forbidden' })).toEqual(
      {
        headline: 'Status unknown',
        detail: 'Referral to social worker sent 2026-11-21; the app may not read referral tasks.',
        tone: 'muted',
      },
    );
  });

  it('keeps interpersonal safety out of the headline', () => {
    const t = text(
      { observations: [itemObservation('s', '93026-3', coded('LA32-8'), '2026-11-30')] },
      'interpersonal-safety',
    );
    expect(t.headline).toBe('Screened 2026-11-30');
    expect(t.tone).toBe('neutral');
    expect(t.detail).toContain('Day 2 of 30');
  });
});
