// Making first names race-neutral and adding medication orders changed which strings are picked
// from name pools and added resources, but no random draw: every other generated value is
// byte-identical to the generator before those changes. The hashes below were recorded from that
// generator (commit 3c094fd) over the same stripped view; a deliberate change to what the
// generator draws must update them, and say so in sandbox/generate/README.md.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePopulation } from '../../../sandbox/generate/population';

/**
 * Types added after the recorded hashes (from their own seeded streams, or drawing nothing):
 * medication orders, community services, questionnaire responses.
 */
const added = new Set([
  'MedicationRequest',
  'Medication',
  'HealthcareService',
  'QuestionnaireResponse',
]);
/** Resources of older types added by sdoh-states.ts (panels, declines, referral outcomes). */
const addedIds = /^(sdohpanel|sdohproc|sdohdecline)-/;

/** The population without person names (and the e-mail local parts and titles made from them). */
function withoutNames(resources: readonly fhir4.Resource[]): string {
  const kept = resources
    .filter((r) => !added.has(r.resourceType) && !addedIds.test(r.id ?? ''))
    .map((r) => {
      const copy = structuredClone(r) as unknown as Record<string, unknown>;
      if (r.resourceType === 'Task') delete copy.output; // a completed referral's outcome
      if (r.resourceType === 'Patient' || r.resourceType === 'Practitioner') delete copy.name;
      if (r.resourceType === 'Group') delete copy.name; // "Panel of Dr. …"
      if (r.resourceType === 'List') delete copy.title; // "High-risk patients of Dr. …"
      if (Array.isArray(copy.telecom)) {
        copy.telecom = (copy.telecom as fhir4.ContactPoint[]).map((t) =>
          t.system === 'email' ? { ...t, value: (t.value ?? '').replace(/^[^.]*\./, '') } : t,
        );
      }
      return copy;
    });
  return createHash('sha256').update(JSON.stringify(kept)).digest('hex');
}

describe('the generator draws exactly what it drew before names, medications and social-needs states changed', () => {
  it.each([
    [1, 2000, 'd731502197882228a0a64c2ce526fba640acde8dd0765ffe0e3996e67c54227b'],
    [7, 300, '927ae7fd143d81dc6292283ad20ee9422302f740cb74e01228a30666e2f3e648'],
  ])(
    'seed %i, %i patients: everything but names is unchanged',
    (seed, patients, hash) => {
      const { resources } = generatePopulation({ seed, patients, today: '2026-06-30' });
      expect(withoutNames(resources)).toBe(hash);
    },
    60_000,
  );

  it('does change names (the view above hides them)', () => {
    const { resources } = generatePopulation({ seed: 7, patients: 300, today: '2026-06-30' });
    const names = resources
      .filter((r): r is fhir4.Patient => r.resourceType === 'Patient')
      .map((p) => p.name?.[0]?.given?.[0] ?? '');
    // The race-specific first names the generator used to give Black patients are gone.
    for (const name of ['Keisha', 'Aaliyah', 'Imani', 'Darnell', 'Malik', 'Tyrone', 'Kwame']) {
      expect(names).not.toContain(name);
    }
    expect(new Set(names).size).toBeGreaterThan(40);
  });
});
