// The Worker entry: one onmessage that hands the message to the pure panel run (rule 11).
// No React, MUI or fhirclient here: only the engine and the protocol.

import { clinicalEngineFor } from './clinical-engine';
import { handlePanelMessage } from './panel-handler';
import type { PanelResponse } from './protocol';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: PanelResponse): void;
};

scope.onmessage = (event) => {
  handlePanelMessage(
    (request) => clinicalEngineFor(request.valueSets ?? []),
    event.data,
    (response) => scope.postMessage(response),
  );
};
