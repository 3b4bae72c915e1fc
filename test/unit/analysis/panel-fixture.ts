// One sandbox panel for the analysis tests: FHIR JSON from the sandbox generator, read into the
// dashboard's dataset and evaluated for the 2026 calendar year, plus what the tests need to count
// on their own (the Patient resources, the engine's per-patient results).

import { createPatientRecordBuilder } from '../../../src/clinical/build-patient-records';
import { createPanelDatasetBuilder } from '../../../src/analysis/panel-dataset';
import { evaluatePanel, type EvaluatedPanel } from '../../../src/analysis/panel-evaluation';
import type { ClinicalPanelMeasureId, DateRange } from '../../../src/analysis/panel-view-model';
import type { PatientRecord, ValueSetRegistry } from '../../../src/clinical/patient-record';
import { clinicalMeasure } from '../../../src/measures/clinical-measures';
import { loadShippedValueSets } from '../../../src/measures/compiled-value-sets';
import { membership } from '../../../src/measures/measure-definition';
import { generatePopulation } from '../../../sandbox/generate/population';

export const TODAY = '2026-12-02';
export const YEAR_2026: DateRange = { start: '2026-01-01', end: '2026-12-31' };

export interface PanelFixture {
  resources: fhir4.Resource[];
  patients: fhir4.Patient[];
  valueSets: ValueSetRegistry;
  panel: EvaluatedPanel;
  /** Every fact kept (no code filter): the engine as the CLI runs it on one patient. */
  records: Map<string, PatientRecord>;
}

export async function buildFixture(patients: number, seed: number): Promise<PanelFixture> {
  const { resources } = generatePopulation({ seed, patients, today: TODAY });
  const valueSets = await loadShippedValueSets();
  const builder = createPanelDatasetBuilder(valueSets);
  for (const r of resources) builder.add(r);
  const panel = evaluatePanel(builder.finish(), YEAR_2026);
  const plain = createPatientRecordBuilder();
  for (const r of resources) plain.add(r);
  const records = new Map(plain.build().map((r) => [r.id, r]));
  return {
    resources,
    patients: resources.filter((r): r is fhir4.Patient => r.resourceType === 'Patient'),
    valueSets,
    panel,
    records,
  };
}

/** Eligible (denominator − exclusions − exceptions) and numerator of one patient, by the engine. */
export function outcomeOf(
  fixture: PanelFixture,
  measureId: ClinicalPanelMeasureId,
  patientId: string,
  period: DateRange = YEAR_2026,
): { eligible: boolean; numerator: boolean } {
  const record = fixture.records.get(patientId);
  if (record === undefined) throw new Error(`no record ${patientId}`);
  const result = clinicalMeasure(measureId).evaluate(record, {
    measurementPeriod: period,
    valueSets: fixture.valueSets,
  });
  const m = membership(result.populations);
  const eligible = m.denominator && !m.denominatorExclusion && !m.denominatorException;
  return { eligible, numerator: eligible && m.numerator };
}

const OMB_RACE = 'urn:oid:2.16.840.1.113883.6.238';
const RACE_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';

/**
 * Race as the test reads it straight from the Patient (US Core race, OMB categories): one
 * category → its code; several → two or more races; ASKU → declined; UNK → unknown; none → not
 * collected.
 */
export function raceKeyOf(patient: fhir4.Patient): string {
  const race = patient.extension?.find((e) => e.url === RACE_URL);
  const omb = (race?.extension ?? [])
    .filter((e) => e.url === 'ombCategory')
    .map((e) => e.valueCoding);
  if (omb.length === 0) return 'absent:not-collected';
  if (omb.some((c) => c?.code === 'ASKU')) return 'absent:asked-declined';
  if (omb.some((c) => c?.code === 'UNK')) return 'absent:unknown';
  const codes = new Set(omb.filter((c) => c?.system === OMB_RACE).map((c) => c?.code));
  if (codes.size > 1) return 'category:two-or-more-races';
  const [only] = codes;
  return only === undefined ? 'absent:unknown' : `category:${only}`;
}
