// The Worker entry: one onmessage that hands the message to the pure panel run (rule 11).
// No React, MUI or fhirclient here: only the engine and the protocol. Value sets: the official
// Bundles when the request carries them (tests, the e2e harness), else the compiled ones shipped
// with the app, loaded once on first use.

import { clinicalEngineFor, shippedClinicalEngine } from './clinical-engine';
import { handlePanelMessage } from './panel-handler';
import type { PanelResponse } from './protocol';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: PanelResponse): void;
};

const post = (response: PanelResponse) => scope.postMessage(response);

function carriesValueSets(data: unknown): boolean {
  return (
    typeof data === 'object' && data !== null && 'valueSets' in data && data.valueSets !== undefined
  );
}

scope.onmessage = (event) => {
  const data: unknown = event.data;
  if (carriesValueSets(data)) {
    handlePanelMessage((request) => clinicalEngineFor(request.valueSets ?? []), data, post);
    return;
  }
  shippedClinicalEngine().then(
    (engine) => handlePanelMessage(() => engine, data, post),
    (error: unknown) => {
      const requestId =
        typeof data === 'object' && data !== null && 'requestId' in data
          ? Number(data.requestId)
          : -1;
      post({
        type: 'error',
        requestId,
        message: `the shipped value sets could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      });
    },
  );
};
