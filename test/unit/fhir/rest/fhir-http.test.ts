// The loader's HTTP helpers: Retry-After in both forms (RFC 9110 §10.2.3), messages scrubbed of
// patient identifiers, and the shared limiter that bounds requests in flight.
import { describe, expect, it } from 'vitest';
import {
  Limiter,
  outcomeText,
  parseRetryAfter,
  resolveTuning,
  scrubMessage,
} from '../../../../src/fhir/rest/fhir-http';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');

  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    // A date in the past means "now".
    expect(parseRetryAfter('Wed, 02 Dec 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('scrubMessage', () => {
  it('masks patient references and id lists, and shortens', () => {
    expect(scrubMessage('No Observation for Patient/abc-123 in patient=a,b,c&code=x')).toBe(
      'No Observation for Patient/<id> in patient=<ids>&code=x',
    );
    expect(scrubMessage('x'.repeat(500))).toHaveLength(200);
  });

  it('reads OperationOutcome diagnostics', () => {
    expect(
      outcomeText({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', diagnostics: 'bad _count' }],
      }),
    ).toBe('bad _count');
    expect(outcomeText({ resourceType: 'Bundle' })).toBeUndefined();
  });
});

describe('Limiter', () => {
  it('never grants more slots than its capacity, and serves waiters first in, first out', async () => {
    const limiter = new Limiter(2);
    const signal = new AbortController().signal;
    let active = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await limiter.acquire(signal, () => new Error('aborted'));
        order.push(i);
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active--;
        release();
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects a waiter when its signal aborts', async () => {
    const limiter = new Limiter(1);
    const controller = new AbortController();
    const held = await limiter.acquire(controller.signal, () => new Error('aborted'));
    const waiting = limiter.acquire(controller.signal, () => new Error('aborted'));
    controller.abort();
    await expect(waiting).rejects.toThrow('aborted');
    held();
  });
});

describe('resolveTuning', () => {
  it('keeps defaults for missing or invalid values', () => {
    const tuning = resolveTuning({ pageSize: 0, backoffMs: Number.NaN, batchSize: 7.6 });
    expect(tuning.pageSize).toBe(1);
    expect(tuning.backoffMs).toBe(1000);
    expect(tuning.batchSize).toBe(7);
    expect(tuning.maxUrlLength).toBe(8000);
  });
});
