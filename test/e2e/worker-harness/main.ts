// Test-only page for the browser tests: runs the panel computation through the real module
// Worker (src/worker/panel-client.ts) in Chromium. Built beside the app by test/e2e/global-setup.
import cms122ValueSets from '../../../../shared/data/ecqm-2026/CMS122FHIRDiabetesAssessGreaterThan9Percent/valuesets.json';
import type { PanelView, PanelViewParams } from '../../../src/analysis/panel-view-model';
import { evaluatePanel } from '../../../src/worker/panel-client';
import { createPanelSession } from '../../../src/worker/panel-session-client';
import type { PanelLoaded, PanelSessionProgress } from '../../../src/worker/panel-session-protocol';
import type { PanelProgress, PanelResult } from '../../../src/worker/protocol';

export interface HarnessRun {
  result: PanelResult;
  progress: PanelProgress[];
  hadWorker: boolean;
}

/** The dashboard's session (src/worker/panel-session-client.ts) over resources in hand. */
export interface HarnessSessionRun {
  loaded: PanelLoaded;
  view: PanelView;
  progress: PanelSessionProgress[];
  hadWorker: boolean;
}

declare global {
  interface Window {
    runPanel: (resources: fhir4.FhirResource[]) => Promise<HarnessRun>;
    runPanelSession: (
      resources: fhir4.FhirResource[],
      today: string,
      params: PanelViewParams,
    ) => Promise<HarnessSessionRun>;
  }
}

window.runPanel = async (resources) => {
  const progress: PanelProgress[] = [];
  const result = await evaluatePanel(
    {
      input: { kind: 'resources', resources },
      period: { start: '2026-01-01', end: '2026-12-31' },
      measureIds: ['CMS122'],
      valueSets: [cms122ValueSets],
    },
    { onProgress: (p) => progress.push(p) },
  );
  return { result, progress, hadWorker: typeof Worker === 'function' };
};

window.runPanelSession = async (resources, today, params) => {
  const session = createPanelSession();
  const progress: PanelSessionProgress[] = [];
  try {
    const year = Number(today.slice(0, 4));
    const loaded = await session.loadResources(resources, { kind: 'calendar-year', year }, today, {
      onProgress: (p) => progress.push(p),
    });
    const view = await session.view(params);
    return { loaded, view, progress, hadWorker: typeof Worker === 'function' };
  } finally {
    session.dispose();
  }
};

const status = document.getElementById('status');
if (status) status.textContent = 'ready';
