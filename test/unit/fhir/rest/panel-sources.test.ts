// Panel-source helpers: "seen in the last 24 months" as a date, and the typed empty result that
// lets the UI offer the other sources.
import { describe, expect, it } from 'vitest';
import { emptySource, seenSince } from '../../../../src/fhir/rest/panel-sources';

describe('seenSince', () => {
  it('goes back whole months, clamping to the end of a shorter month', () => {
    expect(seenSince('2026-12-02')).toBe('2024-12-02');
    expect(seenSince('2026-03-31', 1)).toBe('2026-02-28');
    expect(seenSince('2026-03-31', 25)).toBe('2024-02-29');
    expect(seenSince('2026-01-15', 13)).toBe('2024-12-15');
  });

  it('refuses what is not a date', () => {
    expect(() => seenSince('yesterday')).toThrow(RangeError);
  });
});

describe('emptySource', () => {
  const nobody = { ids: [], loaded: true, description: '', capped: undefined };

  it('says why and offers the other sources', () => {
    expect(emptySource('my-patients', { ...nobody, unsupported: true })).toEqual({
      kind: 'my-patients',
      reason: 'not-supported',
      alternatives: ['seen-by-me', 'group', 'list', 'all'],
    });
    expect(emptySource('group', nobody)).toEqual({
      kind: 'group',
      reason: 'no-matches',
      alternatives: ['my-patients', 'seen-by-me', 'list', 'all'],
    });
  });
});
