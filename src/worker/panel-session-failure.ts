// The error every `PanelSessionApi` method rejects with: a plain `PanelSessionError` (what crossed
// the worker boundary) wrapped in an Error so callers can `instanceof` it and still read `kind`.

import type { PanelSessionError } from './panel-session-protocol';

export class PanelSessionFailure extends Error {
  readonly error: PanelSessionError;

  constructor(error: PanelSessionError) {
    super(error.message);
    this.name = 'PanelSessionFailure';
    this.error = error;
  }

  get kind(): PanelSessionError['kind'] {
    return this.error.kind;
  }
}

export function isPanelSessionFailure(value: unknown): value is PanelSessionFailure {
  return value instanceof PanelSessionFailure;
}

export const cancelledSessionError = (): PanelSessionError => ({
  kind: 'cancelled',
  message: 'The request was cancelled.',
});
