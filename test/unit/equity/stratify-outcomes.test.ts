// Stratification: absences are strata of their own, strata partition the panel, eligible
// denominator = denominator − exclusions − exceptions. Property tests use the seeded generator.
import { describe, expect, it } from 'vitest';
import type { PatientMeasureResult } from '../../../src/measures/measure-result';
import { mulberry32 } from '../../../src/equity/seeded-random';
import type { Stratum } from '../../../src/equity/stratum';
import type {
  MeasureOutcome,
  StratifierWithCategories,
} from '../../../src/equity/stratify-outcomes';
import {
  stratifyContinuousOutcomes,
  stratifyEventOutcomes,
  stratifyOutcomes,
} from '../../../src/equity/stratify-outcomes';
import { stratumRate } from '../../../src/equity/stratum-rates';

function outcome(patientId: string, p: Partial<MeasureOutcome['populations']>): MeasureOutcome {
  return {
    measureId: 'CMS125',
    patientId,
    populations: {
      initialPopulation: false,
      denominator: false,
      denominatorExclusion: false,
      denominatorException: false,
      numerator: false,
      ...p,
    },
  };
}

const cat = (code: string): Stratum => ({ kind: 'category', code, display: code });
const declined: Stratum = { kind: 'absent', reason: 'asked-declined' };

describe('stratifyOutcomes', () => {
  it('accepts PatientMeasureResult from src/measures unchanged', () => {
    const result: PatientMeasureResult = {
      ...outcome('p1', { initialPopulation: true, denominator: true }),
      evidence: [],
      reasons: [],
    };
    const table = stratifyOutcomes([result], [{ id: 'race', display: 'Race', strata: new Map() }]);
    expect(table.panelSize).toBe(1);
  });

  it('keeps declined, unknown and not-collected as strata and counts eligible patients', () => {
    const race: StratifierWithCategories = {
      id: 'race',
      display: 'Race',
      categories: [
        { code: '2106-3', display: 'White' },
        { code: '2054-5', display: 'Black' },
      ],
      strata: new Map<string, Stratum>([
        ['p1', cat('2106-3')],
        ['p2', cat('2106-3')],
        ['p3', declined],
        ['p4', { kind: 'absent', reason: 'not-collected' }],
      ]),
    };
    const outcomes = [
      outcome('p1', { initialPopulation: true, denominator: true, numerator: true }),
      outcome('p2', { initialPopulation: true, denominator: true, denominatorExclusion: true }),
      outcome('p3', { initialPopulation: true, denominator: true, denominatorException: true }),
      outcome('p4', { initialPopulation: true, denominator: true }),
      outcome('p5', {}),
    ];
    const table = stratifyOutcomes(outcomes, [race]);
    expect(table.cells.map((c) => c.key)).toEqual([
      'category:2054-5',
      'category:2106-3',
      'absent:asked-declined',
      'absent:unknown',
      'absent:not-collected',
    ]);
    const white = table.cells[1];
    expect(white).toMatchObject({
      denominator: 2,
      denominatorExclusion: 1,
      eligible: 1,
      numerator: 1,
    });
    expect(table.cells[2]).toMatchObject({ denominatorException: 1, eligible: 0 });
    expect(table.cells[3]).toMatchObject({ patientIds: ['p5'] });
    expect(table.cells[0]).toMatchObject({ patientIds: [], eligible: 0 });
    expect(table.completeness[0]).toEqual({
      stratifierId: 'race',
      panelSize: 5,
      recorded: 2,
      absent: { 'asked-declined': 1, unknown: 1, 'not-collected': 1 },
      share: { kind: 'value', value: 0.4 },
    });
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });

  it('crosses two stratifiers into intersections', () => {
    const a: StratifierWithCategories = {
      id: 'a',
      display: 'A',
      strata: (id) => cat(id.endsWith('1') ? 'x' : 'y'),
    };
    const b: StratifierWithCategories = {
      id: 'b',
      display: 'B',
      strata: (id) => (id === 'p1' ? declined : cat('z')),
    };
    const table = stratifyOutcomes(
      [outcome('p1', {}), outcome('p2', {}), outcome('p3', {})],
      [a, b],
    );
    expect(table.cells).toHaveLength(5 * 4); // (x, y + 3 absences) × (z + 3 absences)
    const find = (key: string) => table.cells.find((c) => c.key === key);
    expect(find('category:x|absent:asked-declined')?.patientIds).toEqual(['p1']);
    expect(find('category:y|category:z')?.patientIds).toEqual(['p2', 'p3']);
  });

  it('strata sum to the panel and rates/CIs are well-formed (seeded property test)', () => {
    const rnd = mulberry32(2024);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const strataPool: Stratum[] = [
      cat('a'),
      cat('b'),
      cat('c'),
      declined,
      { kind: 'absent', reason: 'unknown' },
    ];
    for (let trial = 0; trial < 40; trial += 1) {
      const n = Math.floor(rnd() * 300);
      const outcomes = Array.from({ length: n }, (_, i) =>
        outcome(`p${i}`, {
          initialPopulation: true,
          denominator: rnd() < 0.8,
          denominatorExclusion: rnd() < 0.1,
          denominatorException: rnd() < 0.05,
          numerator: rnd() < 0.6,
        }),
      );
      const s1 = new Map(outcomes.map((o) => [o.patientId, pick(strataPool)]));
      const s2 = new Map(
        outcomes.filter(() => rnd() < 0.9).map((o) => [o.patientId, pick(strataPool)]),
      );
      const one = stratifyOutcomes(outcomes, [{ id: 's1', display: 'S1', strata: s1 }]);
      const two = stratifyOutcomes(outcomes, [
        { id: 's1', display: 'S1', strata: s1 },
        { id: 's2', display: 'S2', strata: s2 },
      ]);
      for (const table of [one, two]) {
        expect(table.cells.reduce((s, c) => s + c.patientIds.length, 0)).toBe(n);
        const ids = table.cells.flatMap((c) => c.patientIds);
        expect(new Set(ids).size).toBe(n);
        for (const cell of table.cells) {
          expect(cell.eligible).toBe(
            cell.denominator - cell.denominatorExclusion - cell.denominatorException,
          );
          const rate = stratumRate(cell.numerator, cell.eligible);
          if (rate.kind === 'value') {
            expect(rate.rate).toBeGreaterThanOrEqual(0);
            expect(rate.rate).toBeLessThanOrEqual(1);
            expect(rate.ci.lower).toBeLessThanOrEqual(rate.rate);
            expect(rate.ci.upper).toBeGreaterThanOrEqual(rate.rate);
            expect(rate.unreliable).toBe(cell.eligible < 30);
          } else expect(cell.eligible).toBe(0);
        }
      }
      expect(two.completeness[1]?.absent.unknown).toBeGreaterThanOrEqual(outcomes.length - s2.size);
    }
  });

  it('sums events and person-years and collects values per stratum', () => {
    const s: StratifierWithCategories = {
      id: 'payer',
      display: 'Payer',
      strata: (id) => cat(id === 'p1' ? 'medicaid' : 'commercial'),
    };
    const events = stratifyEventOutcomes(
      [
        { patientId: 'p1', events: 2, personYears: 0.5 },
        { patientId: 'p2', events: 1, personYears: 1 },
        { patientId: 'p3', events: 0, personYears: 0.75 },
      ],
      [s],
    );
    expect(events.cells.find((c) => c.key === 'category:commercial')).toMatchObject({
      events: 1,
      personYears: 1.75,
    });
    const los = stratifyContinuousOutcomes(
      [
        { patientId: 'p1', values: [3, 4] },
        { patientId: 'p2', values: [2] },
      ],
      [s],
    );
    expect(los.cells.find((c) => c.key === 'category:medicaid')?.values).toEqual([3, 4]);
  });
});
