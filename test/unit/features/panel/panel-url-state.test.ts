import { describe, expect, it } from 'vitest';
import {
  defaultUrlState,
  readPanelUrlState,
  writePanelUrlState,
} from '../../../../src/features/panel/panel-url-state';
import type { PanelUrlState } from '../../../../src/features/panel/panel-url-state';
import { isoDate, monthsBefore, resolveSource } from '../../../../src/features/panel/panel-source';

const today = { year: 2026, month: 11, day: 23 };
const defaults = defaultUrlState({ practitioner: true, today });

describe('panel URL state', () => {
  it('defaults to my patients, the current calendar year, race and the largest reference', () => {
    expect(defaults.source).toEqual({ kind: 'my-patients' });
    expect(defaults.period).toEqual({ kind: 'calendar-year', year: 2026 });
    expect(defaults.stratifierId).toBe('race');
    expect(defaults.reference).toEqual({ kind: 'largest' });
    expect(defaultUrlState({ practitioner: false, today }).source.kind).toBe('all');
  });

  it('round-trips a full view and keeps parameters it does not own', () => {
    const view: PanelUrlState = {
      source: { kind: 'group', groupId: 'grp-prac-001' },
      period: { kind: 'last-12-months' },
      measureIds: ['CMS130', 'CMS2'],
      stratifierId: 'ethnicity',
      secondStratifierId: 'language',
      reference: { kind: 'chosen', stratumKey: 'category:2135-2' },
      tab: 'detail',
      focusMeasureId: 'CMS2',
      presentation: true,
    };
    const written = writePanelUrlState(view, new URLSearchParams('view=panel&state=abc'));
    expect(written.get('view')).toBe('panel');
    expect(written.get('state')).toBe('abc');
    expect(readPanelUrlState(written, defaults)).toEqual(view);
  });

  it('ignores invalid values instead of trusting them', () => {
    const read = readPanelUrlState(
      new URLSearchParams('source=group&group=../Patient/1&m=NOPE&s=shoe-size&tab=x&period=20x6'),
      defaults,
    );
    expect(read.source).toEqual({ kind: 'group', groupId: undefined });
    expect(read.measureIds).toEqual(defaults.measureIds);
    expect(read.stratifierId).toBe('race');
    expect(read.tab).toBe('overview');
    expect(read.period).toEqual(defaults.period);
  });
});

describe('panel source', () => {
  it('looks back 24 months for "seen by me", clamping to the month end', () => {
    expect(isoDate(monthsBefore(today, 24))).toBe('2024-11-23');
    expect(isoDate(monthsBefore({ year: 2026, month: 3, day: 31 }, 1))).toBe('2026-02-28');
    expect(isoDate(monthsBefore({ year: 2026, month: 1, day: 15 }, 24))).toBe('2024-01-15');
  });

  it('needs a practitioner for my patients and an id for a Group', () => {
    const practitioner = { resourceType: 'Practitioner' as const, id: 'prac-001' };
    expect(resolveSource({ kind: 'my-patients' }, practitioner, today)).toMatchObject({
      kind: 'ready',
      source: { kind: 'my-patients', practitionerId: 'prac-001' },
    });
    expect(resolveSource({ kind: 'seen-by-me' }, practitioner, today)).toMatchObject({
      source: { kind: 'seen-by-me', practitionerId: 'prac-001', since: '2024-11-23' },
    });
    expect(
      resolveSource({ kind: 'my-patients' }, { resourceType: 'Person', id: 'x' }, today).kind,
    ).toBe('needs-input');
    expect(resolveSource({ kind: 'group', groupId: undefined }, practitioner, today).kind).toBe(
      'needs-input',
    );
    expect(resolveSource({ kind: 'all', cap: 500 }, undefined, today)).toMatchObject({
      source: { kind: 'all', cap: 500 },
    });
  });
});
