// The panel session in-thread (Node has no Worker): the typed API end to end over FHIR JSON from
// the sandbox generator — load, progress, view, drill-down, trend, period change — and its typed
// failures (no panel, cancel, an unreachable server).

import { afterEach, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../../sandbox/generate/population';
import type { PanelSessionApi } from '../../../src/worker/panel-session-protocol';
import { createPanelSession } from '../../../src/worker/panel-session-client';
import { PanelSessionFailure } from '../../../src/worker/panel-session-failure';
import type { PanelSessionProgress } from '../../../src/worker/panel-session-protocol';

const TODAY = '2026-12-02';
const population = generatePopulation({ seed: 7, patients: 60, today: TODAY });

let session: PanelSessionApi | undefined;
afterEach(() => session?.dispose());

async function failureOf(promise: Promise<unknown>): Promise<PanelSessionFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PanelSessionFailure) return error;
    throw error;
  }
  throw new Error('expected a PanelSessionFailure');
}

describe('createPanelSession (in-thread)', () => {
  it('loads resources, reports evaluation progress and answers views, drill-downs and trends', async () => {
    session = createPanelSession();
    const progress: PanelSessionProgress[] = [];
    const loaded = await session.loadResources(
      population.resources,
      { kind: 'calendar-year', year: 2026 },
      TODAY,
      { onProgress: (p) => progress.push(p) },
    );
    expect(loaded.panelSize).toBe(population.patientIds.length);
    expect(loaded.period).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(loaded.report.requests).toBe(0);
    expect(progress[0]).toEqual({ phase: 'evaluating', done: 0, total: 60 });
    expect(progress.at(-1)).toEqual({ phase: 'evaluating', done: 60, total: 60 });

    const view = await session.view({
      measureIds: ['CMS165', 'ED-VISITS', 'LENGTH-OF-STAY'],
      stratifierId: 'race',
      reference: { kind: 'largest' },
      presentation: false,
    });
    expect(view.panelSize).toBe(60);
    expect(view.cards.map((c) => [c.measureId, c.kind])).toEqual([
      ['CMS165', 'proportion'],
      ['ED-VISITS', 'event-rate'],
      ['LENGTH-OF-STAY', 'continuous'],
    ]);
    const detail = view.details[0];
    const notMet = (detail?.rows ?? []).reduce(
      (s, r) => s + (r.notMet.kind === 'value' ? r.notMet.value : 0),
      0,
    );
    const list = await session.drillDown({
      selection: { kind: 'measure', measureId: 'CMS165' },
      stratifierId: 'race',
    });
    expect(list.rows).toHaveLength(notMet);
    expect(list.containsPhi).toBe(true);

    const trend = await session.trend({
      measureId: 'CMS165',
      stratifierId: 'race',
      quarters: 8,
      presentation: false,
    });
    expect(trend.points).toHaveLength(8);
    expect(trend.panel).toHaveLength(8);

    const last12 = await session.setPeriod({ kind: 'last-12-months' }, TODAY);
    expect(last12.period).toEqual({ start: '2025-12-03', end: '2026-12-02' });
    expect((await session.view({ ...viewParams(), measureIds: ['CMS165'] })).period).toEqual(
      last12.period,
    );
  }, 60_000);

  it('rejects a view before any panel is loaded with a typed failure', async () => {
    session = createPanelSession();
    const failure = await failureOf(session.view(viewParams()));
    expect(failure.kind).toBe('internal');
    expect(failure.message).toBe('No panel is loaded.');
  });

  it('cancels a load: the promise rejects as cancelled and the previous panel stays', async () => {
    session = createPanelSession();
    await session.loadResources(population.resources, { kind: 'calendar-year', year: 2026 }, TODAY);
    const controller = new AbortController();
    const bigger = generatePopulation({ seed: 8, patients: 260, today: TODAY });
    const pending = session.loadResources(
      bigger.resources,
      { kind: 'calendar-year', year: 2026 },
      TODAY,
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'evaluating' && p.done > 0) controller.abort();
        },
      },
    );
    const failure = await failureOf(pending);
    expect(failure.kind).toBe('cancelled');
    expect((await session.view(viewParams())).panelSize).toBe(60);
  }, 60_000);

  it('reports an unreachable server as a typed failure, and no token in it', async () => {
    session = createPanelSession({
      run: {
        kind: 'in-thread',
        core: {
          fetch: () => Promise.reject(new TypeError('connection refused')),
          tuning: { maxRetries: 0, backoffMs: 1 },
        },
      },
    });
    const failure = await failureOf(
      session.load({
        fhirBaseUrl: 'https://fhir.example.org/r4',
        accessToken: 'secret-token-123',
        source: { kind: 'all', cap: 100 },
        period: { kind: 'calendar-year', year: 2026 },
        today: TODAY,
      }),
    );
    expect(failure.kind).toBe('unreachable');
    expect(JSON.stringify(failure.error)).not.toContain('secret-token-123');
  });

  it('rejects every call after dispose', async () => {
    session = createPanelSession();
    session.dispose();
    const failure = await failureOf(session.view(viewParams()));
    expect(failure.message).toBe('The panel session has ended.');
  });
});

function viewParams() {
  return {
    measureIds: ['CMS122' as const],
    stratifierId: 'race' as const,
    reference: { kind: 'largest' as const },
    presentation: false,
  };
}
