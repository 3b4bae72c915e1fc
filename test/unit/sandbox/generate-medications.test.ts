// Dementia medication orders (sandbox/generate/README.md "Medication orders"): who gets them, the
// three shapes EHRs send, and enough dosage detail for CumulativeMedicationDuration.
import { describe, expect, it } from 'vitest';
import { buildPatientRecords } from '../../../src/clinical/build-patient-records';
import { generatePopulation } from '../../../sandbox/generate/population';

const TODAY = '2026-06-30';
const { resources } = generatePopulation({ seed: 1, patients: 3000, today: TODAY });
const ofType = <T extends fhir4.Resource>(type: T['resourceType']): T[] =>
  resources.filter((r): r is T => r.resourceType === type);
const requests = ofType<fhir4.MedicationRequest>('MedicationRequest');
const patients = new Map(ofType<fhir4.Patient>('Patient').map((p) => [`Patient/${p.id ?? ''}`, p]));

function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

type Shape = 'contained' | 'bundled' | 'formulary';
function shapeOf(m: fhir4.MedicationRequest): Shape | 'none' {
  if (m.medicationCodeableConcept) return 'none';
  const reference = m.medicationReference?.reference ?? '';
  if (reference.startsWith('#')) return 'contained';
  if (reference.startsWith('Medication/med-rxnorm-')) return 'formulary';
  return reference.startsWith('Medication/') ? 'bundled' : 'none';
}

describe('generated dementia medication orders', () => {
  it('go to some living patients aged 66 and over, and nobody else', () => {
    const older = [...patients.values()].filter(
      (p) => ageOn(p.birthDate ?? '', TODAY) >= 66 && !p.deceasedDateTime,
    );
    const treated = new Set(requests.map((m) => m.subject?.reference ?? ''));
    expect(treated.size).toBe(requests.length); // one order each
    for (const ref of treated) {
      const patient = patients.get(ref);
      expect(ageOn(patient?.birthDate ?? '', TODAY), ref).toBeGreaterThanOrEqual(66);
      expect(patient?.deceasedDateTime, ref).toBeUndefined();
    }
    // About 12% of them (README).
    expect(treated.size / older.length).toBeGreaterThan(0.07);
    expect(treated.size / older.length).toBeLessThan(0.17);
  });

  it('name the drug by medicationReference in three shapes, about a third each, each resolving to a Dementia Medications code', () => {
    const counts: Record<string, number> = {};
    for (const m of requests) counts[shapeOf(m)] = (counts[shapeOf(m)] ?? 0) + 1;
    expect(counts.none).toBeUndefined();
    for (const shape of ['contained', 'bundled', 'formulary'] as const) {
      expect(counts[shape] ?? 0, shape).toBeGreaterThan(requests.length / 6);
    }
    const medications = new Map(
      ofType<fhir4.Medication>('Medication').map((m) => [`Medication/${m.id ?? ''}`, m]),
    );
    const dementiaCodes = new Set(['997229', '997223', '996571', '996561', '312835', '310437']);
    const bundledIds = new Set<string>();
    for (const m of requests) {
      const reference = m.medicationReference?.reference ?? '';
      const medication =
        shapeOf(m) === 'contained'
          ? (m.contained?.[0] as fhir4.Medication | undefined)
          : medications.get(reference);
      if (shapeOf(m) === 'contained') {
        expect(reference).toBe('#med1');
        expect(m.contained).toHaveLength(1);
        expect(medication?.id).toBe('med1');
      }
      if (shapeOf(m) === 'bundled') bundledIds.add(reference);
      const code = medication?.code?.coding?.[0];
      expect(code?.system).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
      expect(dementiaCodes.has(code?.code ?? ''), reference).toBe(true);
      expect(m.medicationReference?.display).toBe(code?.display);
    }
    // A bundled Medication belongs to one order and is written right after it.
    expect(bundledIds.size).toBe(counts.bundled);
    for (const reference of bundledIds) {
      const at = resources.findIndex((r) => `Medication/${r.id ?? ''}` === reference);
      expect(resources[at - 1]?.resourceType).toBe('MedicationRequest');
    }
  });

  it('are active orders with a dosage CumulativeMedicationDuration can turn into a period', () => {
    const records = buildPatientRecords(resources);
    const facts = records.flatMap((r) => r.medicationRequests);
    expect(facts).toHaveLength(requests.length);
    const byId = new Map(requests.map((m) => [m.id ?? '', m]));
    for (const fact of facts) {
      const m = byId.get(fact.id);
      expect(m?.status).toBe('active');
      expect(m?.intent).toBe('order');
      expect((m?.authoredOn ?? '') <= `${TODAY}T23:59:59-05:00`).toBe(true);
      const supply = m?.dispenseRequest?.expectedSupplyDuration?.value ?? 0;
      const refills = m?.dispenseRequest?.numberOfRepeatsAllowed ?? 0;
      const period = fact.requestPeriod;
      expect(period, fact.id).not.toBeNull();
      // CMD: start + (days supply × (1 + refills) − 1) days.
      const days = Math.round(((period?.end ?? 0) - (period?.start ?? 0)) / 86_400_000);
      expect(days).toBe(supply * (1 + refills) - 1);
    }
  });
});
