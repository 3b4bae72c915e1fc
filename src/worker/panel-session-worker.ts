// The panel session's Worker entry: one onmessage that hands each message to the session core
// (rule 11). No React, MUI or fhirclient here: the core, the loader and the analysis layer only.

import { createPanelSessionCore } from './panel-session-core';
import type { PanelSessionResponse } from './panel-session-protocol';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: PanelSessionResponse): void;
};

const core = createPanelSessionCore((response) => scope.postMessage(response));

scope.onmessage = (event) => core.handle(event.data);
