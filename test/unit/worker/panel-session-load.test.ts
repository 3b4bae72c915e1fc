// The session's `load` over HTTP: sandbox FHIR JSON served by an msw stand-in for a FHIR server
// (test/integration/panel-loader-fhir-server.ts), fetched by the loader page by page into the
// dataset, must give exactly the panel the same resources give in memory — on each rung.

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../../sandbox/generate/population';
import type { PanelViewParams } from '../../../src/analysis/panel-view-model';
import type { LoadStrategy } from '../../../src/fhir/rest/panel-load-types';
import { createPanelSession } from '../../../src/worker/panel-session-client';
import type { PanelSessionProgress } from '../../../src/worker/panel-session-protocol';
import { accessToken, fhirBase, panelFhirServer } from '../../integration/panel-loader-fhir-server';

const TODAY = '2026-12-02';
const population = generatePopulation({ seed: 21, patients: 40, today: TODAY });
const resources = population.resources.filter(
  (r): r is fhir4.FhirResource => typeof r.id === 'string',
);

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const params: PanelViewParams = {
  measureIds: ['CMS122', 'CMS165', 'CMS125', 'SDOH-1', 'DEMOGRAPHIC-COMPLETENESS'],
  stratifierId: 'race',
  reference: { kind: 'largest' },
  presentation: false,
};

describe('load-panel through the loader', () => {
  it.each<LoadStrategy>(['multi-patient-search', 'batch'])(
    '%s: same panel as the resources in memory',
    async (strategy) => {
      server.use(...panelFhirServer({ resources, latencyMs: 0 }).handlers);
      const inMemory = createPanelSession();
      const network = createPanelSession({
        run: { kind: 'in-thread', core: { tuning: { backoffMs: 1, maxWaitMs: 20 } } },
      });
      try {
        await inMemory.loadResources(resources, { kind: 'calendar-year', year: 2026 }, TODAY);
        const progress: PanelSessionProgress[] = [];
        const loaded = await network.load(
          {
            fhirBaseUrl: fhirBase,
            accessToken,
            source: { kind: 'all', cap: 1000 },
            period: { kind: 'calendar-year', year: 2026 },
            today: TODAY,
            strategy,
          },
          { onProgress: (p) => progress.push(p) },
        );
        expect(loaded.report.strategy).toBe(strategy);
        expect(loaded.report.failures).toEqual([]);
        expect(loaded.panelSize).toBe(population.patientIds.length);
        // Loading first, then evaluating.
        const phases = progress.map((p) => p.phase);
        expect(phases.indexOf('evaluating')).toBeGreaterThan(phases.lastIndexOf('downloading'));
        const [a, b] = await Promise.all([inMemory.view(params), network.view(params)]);
        expect(b.cards).toEqual(a.cards);
        expect(b.details.map((d) => d.rows)).toEqual(a.details.map((d) => d.rows));
        expect(b.completeness).toEqual(a.completeness);
      } finally {
        inMemory.dispose();
        network.dispose();
      }
    },
    60_000,
  );
});
