import { describe, expect, it } from 'vitest';
import {
  publishContinuousStrata,
  publishEventStrata,
} from '../../../src/equity/publish-rate-strata';
import { eventRate, summarizeContinuous } from '../../../src/equity/rate-statistics';
import type { StratifierWithCategories } from '../../../src/equity/stratify-outcomes';
import {
  stratifyContinuousOutcomes,
  stratifyEventOutcomes,
} from '../../../src/equity/stratify-outcomes';

const payer: StratifierWithCategories = {
  id: 'payer',
  display: 'Payer',
  strata: (id) =>
    id.startsWith('m')
      ? { kind: 'category', code: 'medicaid', display: 'Medicaid' }
      : id.startsWith('c')
        ? { kind: 'category', code: 'commercial', display: 'Commercial' }
        : { kind: 'absent', reason: 'unknown' },
};

describe('published event rates and continuous summaries', () => {
  it('gives exact Poisson rates per 1,000 patient-years and withholds small strata with a complement', () => {
    const outcomes = [
      ...Array.from({ length: 80 }, (_, i) => ({
        patientId: `m${i}`,
        events: i % 3,
        personYears: 0.9,
      })),
      ...Array.from({ length: 120 }, (_, i) => ({
        patientId: `c${i}`,
        events: i % 5 === 0 ? 1 : 0,
        personYears: 1,
      })),
      ...Array.from({ length: 4 }, (_, i) => ({ patientId: `u${i}`, events: 1, personYears: 1 })),
    ];
    const published = publishEventStrata(stratifyEventOutcomes(outcomes, [payer]));
    const medicaid = published.find((c) => c.key === 'category:medicaid');
    const unknown = published.find((c) => c.key === 'absent:unknown');
    expect(unknown?.patients).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    expect(unknown?.ratePer1000).toEqual({ kind: 'suppressed', reason: 'small-cell' });
    const withheld = published.filter(
      (c) => c.events.kind === 'suppressed' || c.patients.kind === 'suppressed',
    );
    expect(withheld.length).toBeGreaterThanOrEqual(2);
    if (medicaid?.ratePer1000.kind === 'value') {
      const events = outcomes
        .filter((o) => o.patientId.startsWith('m'))
        .reduce((s, o) => s + o.events, 0);
      expect(medicaid.ratePer1000).toEqual(eventRate({ events, personYears: 72 }));
    }
    expect(JSON.parse(JSON.stringify(published))).toEqual(published);
  });

  it('summarises lengths of stay and withholds a stratum of 1–10 patients', () => {
    const outcomes = [
      ...Array.from({ length: 30 }, (_, i) => ({ patientId: `m${i}`, values: [1 + (i % 7)] })),
      ...Array.from({ length: 25 }, (_, i) => ({ patientId: `c${i}`, values: [2 + (i % 4)] })),
      { patientId: 'u1', values: [12] },
    ];
    const published = publishContinuousStrata(stratifyContinuousOutcomes(outcomes, [payer]));
    expect(published.find((c) => c.key === 'absent:unknown')?.summary).toEqual({
      kind: 'suppressed',
      reason: 'small-cell',
    });
    const medicaid = published.find((c) => c.key === 'category:medicaid')?.summary;
    const commercial = published.find((c) => c.key === 'category:commercial')?.summary;
    // One of the two large strata is withheld as the complement of the single unknown patient.
    expect([medicaid?.kind, commercial?.kind].sort()).toEqual(['suppressed', 'value']);
    const shown = medicaid?.kind === 'value' ? medicaid : commercial;
    if (shown?.kind === 'value') {
      const values = shown === medicaid ? outcomes.slice(0, 30) : outcomes.slice(30, 55);
      expect(shown).toEqual(summarizeContinuous(values.flatMap((o) => o.values)));
    }
  });
});
