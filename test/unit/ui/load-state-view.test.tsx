import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LoadState } from '../../../src/ui/load-state';
import { LoadStateView } from '../../../src/ui/load-state-view';

function renderState(state: LoadState<string, string>) {
  render(
    <LoadStateView
      state={state}
      loadingLabel="Loading the checklist…"
      renderError={(error) => <p role="alert">Failed: {error}</p>}
    >
      {(value) => <p>Value: {value}</p>}
    </LoadStateView>,
  );
}

describe('LoadStateView', () => {
  it('announces what it is waiting for while loading', () => {
    renderState({ status: 'loading' });
    expect(screen.getByRole('status').textContent).toContain('Loading the checklist…');
    expect(screen.getByRole('progressbar', { name: 'Loading the checklist…' })).toBeDefined();
  });

  it("renders the caller's error view", () => {
    renderState({ status: 'error', error: 'offline' });
    expect(screen.getByRole('alert').textContent).toBe('Failed: offline');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('renders the value when ready', () => {
    renderState({ status: 'ready', value: 'ok' });
    expect(screen.getByText('Value: ok')).toBeDefined();
  });
});
