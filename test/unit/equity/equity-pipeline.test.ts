// End to end over plain data: stratify → publish with suppression → compare → indices → gaps.
import { describe, expect, it } from 'vitest';
import { disparityIndices } from '../../../src/equity/disparity-indices';
import { rankGaps } from '../../../src/equity/gap-ranking';
import { adverseCounts, compareToReference } from '../../../src/equity/reference-comparison';
import type { MeasureOutcome } from '../../../src/equity/stratify-outcomes';
import { stratifyOutcomes } from '../../../src/equity/stratify-outcomes';
import type { Stratum } from '../../../src/equity/stratum';
import { publishMeasureStrata, withheldStrata } from '../../../src/equity/stratum-rates';

describe('equity pipeline', () => {
  it('never computes a comparison, index or gap from a withheld stratum', () => {
    const outcomes: MeasureOutcome[] = [];
    const strata = new Map<string, Stratum>();
    const add = (stratum: Stratum, eligible: number, met: number) => {
      for (let i = 0; i < eligible; i += 1) {
        const id = `${JSON.stringify(stratum)}-${i}`;
        outcomes.push({
          measureId: 'CMS125',
          patientId: id,
          populations: {
            initialPopulation: true,
            denominator: true,
            denominatorExclusion: false,
            denominatorException: false,
            numerator: i < met,
          },
        });
        strata.set(id, stratum);
      }
    };
    const cat = (code: string): Stratum => ({ kind: 'category', code, display: code });
    add(cat('white'), 300, 240);
    add(cat('black'), 200, 120);
    add(cat('asian'), 60, 50);
    add({ kind: 'absent', reason: 'asked-declined' }, 7, 5);
    add({ kind: 'absent', reason: 'unknown' }, 45, 25);

    const table = stratifyOutcomes(outcomes, [{ id: 'race', display: 'Race', strata }]);
    const published = publishMeasureStrata([table]);
    const table0 = published.tables[0];
    if (!table0) throw new Error('expected a table');
    const withheld = withheldStrata(table0);
    expect(withheld['absent:asked-declined']).toBe('small-cell');
    // The declined stratum is still reported, as withheld, never dropped.
    expect(table0.cells.map((c) => c.key)).toContain('absent:asked-declined');

    const comparisons = compareToReference(table.cells, {
      improvementNotation: 'increase',
      reference: { kind: 'best-performing' },
      suppressed: withheld,
    });
    for (const c of comparisons)
      if (c.key in withheld) expect(c.rateDifference.kind).toBe('suppressed');

    const indices = disparityIndices(
      table.cells.map((c) => ({ key: c.key, ...toAdverse(c.numerator, c.eligible) })),
      { suppressed: withheld },
    );
    expect(indices.groups).not.toContain('absent:asked-declined');

    const ranking = rankGaps([{ measureId: 'CMS125', stratifierId: 'race', comparisons }]);
    expect(ranking.gaps.map((g) => g.key)).not.toContain('absent:asked-declined');
    // Asian has the lowest adverse rate (10/60) but 10 unscreened is a small cell, so its rate is
    // withheld and White (60/300) is the reference.
    expect(withheld['category:asian']).toBe('small-cell');
    expect(comparisons.find((c) => c.isReference)?.key).toBe('category:white');
    // The 7 who declined are protected by the smallest stratum that can serve, Unknown (45), not
    // by the panel totals, which stay published; so Unknown is not ranked and Black (80/200) is.
    expect(withheld['absent:unknown']).toBe('complementary');
    expect(published.total).toMatchObject({
      patients: { kind: 'value', value: 612 },
      eligible: { kind: 'value', value: 612 },
      numerator: { kind: 'value', value: 440 },
      notMet: { kind: 'value', value: 172 },
      rate: { kind: 'value', rate: 440 / 612 },
    });
    expect(ranking.gaps.map((g) => g.key)).toEqual(['category:black']);
    expect(JSON.parse(JSON.stringify({ published, comparisons, indices, ranking }))).toEqual({
      published,
      comparisons,
      indices,
      ranking,
    });
  });
});

function toAdverse(numerator: number, eligible: number) {
  const a = adverseCounts(numerator, eligible, 'increase');
  return { numerator: a.adverse, denominator: a.denominator };
}
