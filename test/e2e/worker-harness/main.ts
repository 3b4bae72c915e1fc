// Test-only page for the browser tests: runs the panel computation through the real module
// Worker (src/worker/panel-client.ts) in Chromium. Built beside the app by test/e2e/global-setup.
import cms122ValueSets from '../../../../shared/data/ecqm-2026/CMS122FHIRDiabetesAssessGreaterThan9Percent/valuesets.json';
import { evaluatePanel } from '../../../src/worker/panel-client';
import type { PanelProgress, PanelResult } from '../../../src/worker/protocol';

export interface HarnessRun {
  result: PanelResult;
  progress: PanelProgress[];
  hadWorker: boolean;
}

declare global {
  interface Window {
    runPanel: (resources: fhir4.FhirResource[]) => Promise<HarnessRun>;
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

const status = document.getElementById('status');
if (status) status.textContent = 'ready';
