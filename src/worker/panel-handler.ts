// What the worker does with one message: validate it, run the panel, post progress and the
// result (or an error with a message). Kept apart from the Worker entry so it runs under test.

import type { MeasureEngine } from './measure-engine';
import { evaluatePanelSteps } from './evaluate-panel';
import { isPanelRequest, type PanelRequestBody, type PanelResponse } from './protocol';

export function handlePanelMessage(
  engineFor: (request: PanelRequestBody) => MeasureEngine,
  data: unknown,
  post: (response: PanelResponse) => void,
): void {
  if (!isPanelRequest(data)) {
    const requestId =
      typeof data === 'object' && data !== null && 'requestId' in data
        ? Number(data.requestId)
        : -1;
    post({ type: 'error', requestId, message: 'not a panel request' });
    return;
  }
  const { requestId } = data;
  try {
    const steps = evaluatePanelSteps(engineFor(data), data);
    for (;;) {
      const step = steps.next();
      if (step.done) {
        post({ type: 'result', requestId, result: step.value });
        return;
      }
      post({ type: 'progress', requestId, ...step.value });
    }
  } catch (error) {
    post({
      type: 'error',
      requestId,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
