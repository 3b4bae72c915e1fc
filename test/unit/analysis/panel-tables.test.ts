// The dashboard's one-pass tables against src/equity's `stratifyOutcomes` over the same panel
// (same cells, same counting rules), and the dataset's code filter against keeping every fact
// (the filter must change no result of any panel measure).

import { beforeAll, describe, expect, it } from 'vitest';
import { createPanelDatasetBuilder } from '../../../src/analysis/panel-dataset';
import {
  evaluatePanel,
  EXCEPTED,
  EXCLUDED,
  IN_DENOMINATOR,
  IN_INITIAL_POPULATION,
  IN_NUMERATOR,
} from '../../../src/analysis/panel-evaluation';
import { proportionTable } from '../../../src/analysis/panel-tables';
import type { PanelMeasureId } from '../../../src/analysis/panel-view-model';
import type { Stratum } from '../../../src/equity/stratum';
import { stratifyOutcomes, type MeasureOutcome } from '../../../src/equity/stratify-outcomes';
import { buildFixture, YEAR_2026, type PanelFixture } from './panel-fixture';

let fixture: PanelFixture;

beforeAll(async () => {
  fixture = await buildFixture(150, 17);
}, 120_000);

describe('proportionTable', () => {
  it.each<[PanelMeasureId, 'race' | 'payer' | 'age']>([
    ['CMS165', 'race'],
    ['CMS122', 'payer'],
    ['SDOH-1', 'age'],
  ])('%s × %s: the cells stratifyOutcomes gives', (measureId, stratifierId) => {
    const { panel } = fixture;
    const column = panel.proportions.get(measureId);
    const axis = panel.strata.get(stratifierId);
    if (column === undefined || axis === undefined) throw new Error('missing');
    const ids = panel.dataset.patients.map((p) => p.id);
    const outcomes: MeasureOutcome[] = ids.map((patientId, i) => {
      const f = column.flags[i] ?? 0;
      return {
        measureId,
        patientId,
        populations: {
          initialPopulation: (f & IN_INITIAL_POPULATION) !== 0,
          denominator: (f & IN_DENOMINATOR) !== 0,
          denominatorExclusion: (f & EXCLUDED) !== 0,
          denominatorException: (f & EXCEPTED) !== 0,
          numerator: (f & IN_NUMERATOR) !== 0,
        },
      };
    });
    const strata = new Map<string, Stratum>(
      ids.map((id, i) => {
        const s = axis.strata[axis.index[i] ?? 0];
        if (s === undefined) throw new Error('no stratum');
        return [id, s.stratum];
      }),
    );
    const expected = stratifyOutcomes(outcomes, [
      { id: stratifierId, display: stratifierId, strata },
    ]);
    const table = proportionTable(panel.dataset, column, [axis], 'increase', true);
    const pick = (c: {
      key: string;
      patientIds: readonly string[];
      eligible: number;
      numerator: number;
      denominator: number;
      denominatorExclusion: number;
      denominatorException: number;
      initialPopulation: number;
    }) => ({
      key: c.key,
      patients: [...c.patientIds].sort(),
      initialPopulation: c.initialPopulation,
      denominator: c.denominator,
      denominatorExclusion: c.denominatorExclusion,
      denominatorException: c.denominatorException,
      eligible: c.eligible,
      numerator: c.numerator,
    });
    const populated = expected.cells.filter((c) => c.patientIds.length > 0).map(pick);
    const ours = table.cells.filter((c) => c.patientIds.length > 0).map(pick);
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(ours.sort(byKey)).toEqual(populated.sort(byKey));
    expect(ours.length).toBeGreaterThan(2);
  });
});

describe('the dataset code filter', () => {
  it('changes no population of any panel measure', () => {
    const everything = createPanelDatasetBuilder(fixture.valueSets, { keep: 'everything' });
    for (const r of fixture.resources) everything.add(r);
    const full = evaluatePanel(everything.finish(), YEAR_2026);
    const filtered = fixture.panel;
    expect(full.dataset.patients.map((p) => p.id)).toEqual(
      filtered.dataset.patients.map((p) => p.id),
    );
    let inPopulation = 0;
    for (const [id, column] of filtered.proportions) {
      expect([...(full.proportions.get(id)?.flags ?? [])], id).toEqual([...column.flags]);
      expect([...(full.proportions.get(id)?.rootCause ?? [])], id).toEqual([...column.rootCause]);
      inPopulation += column.flags.filter((f) => f !== 0).length;
    }
    expect(inPopulation).toBeGreaterThan(100);
    expect([...full.edVisits.events]).toEqual([...filtered.edVisits.events]);
    expect(full.lengthOfStay.values).toEqual(filtered.lengthOfStay.values);
  });
});
