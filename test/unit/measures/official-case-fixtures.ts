// The official MADiE test cases and value sets of ../shared/data/ecqm-2026, for tests that run
// them in other shapes (shipped value sets, medicationReference rewrites) than
// official-cases.test.ts does.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PatientRecord, ValueSetRegistry } from '../../../src/clinical/patient-record';
import { loadValueSetRegistry } from '../../../src/clinical/value-set-registry';
import { CLINICAL_MEASURES } from '../../../src/measures/clinical-measures';
import {
  POPULATION_CODES,
  type PatientMeasureResult,
  type PopulationCode,
  type PopulationMembership,
} from '../../../src/measures/measure-result';

export const ECQM = join(import.meta.dirname, '../../../../shared/data/ecqm-2026');

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export const MEASURE_FOLDERS = readdirSync(ECQM)
  .filter((f) => f.startsWith('CMS'))
  .sort();

export interface OfficialCase {
  measureId: string;
  folder: string;
  file: string;
}

export const OFFICIAL_CASES: OfficialCase[] = MEASURE_FOLDERS.flatMap((folder) =>
  readdirSync(join(ECQM, folder, 'tests'))
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((file) => ({ measureId: /^CMS\d+/.exec(folder)?.[0] ?? folder, folder, file })),
);

export interface CaseBundle {
  resourceType: 'Bundle';
  entry: { fullUrl?: string; resource: fhir4.FhirResource }[];
}

export function caseBundle(c: OfficialCase): CaseBundle {
  return readJson(join(ECQM, c.folder, 'tests', c.file)) as CaseBundle;
}

/** The parsed `valuesets.json` of a measure folder. */
export function officialValueSetBundle(folder: string): fhir4.Bundle {
  return readJson(join(ECQM, folder, 'valuesets.json')) as fhir4.Bundle;
}

const registries = new Map<string, ValueSetRegistry>();

/** The registry of one measure's official `valuesets.json`, as official-cases.test.ts uses. */
export function officialRegistry(folder: string): ValueSetRegistry {
  let registry = registries.get(folder);
  if (registry === undefined) {
    registry = loadValueSetRegistry(officialValueSetBundle(folder));
    registries.set(folder, registry);
  }
  return registry;
}

interface ExpectedReport {
  period: { start: string; end: string };
  group: { population: { code: { coding: { code: PopulationCode }[] }; count: number }[] }[];
}

const FIELD: Record<PopulationCode, keyof PopulationMembership> = {
  'initial-population': 'initialPopulation',
  denominator: 'denominator',
  'denominator-exclusion': 'denominatorExclusion',
  'denominator-exception': 'denominatorException',
  numerator: 'numerator',
};

/** The case's expected MeasureReport: its period and the five population counts (0 if absent). */
export function expectedOf(bundle: CaseBundle): {
  period: { start: string; end: string };
  counts: Record<PopulationCode, number>;
} {
  const report = bundle.entry.find((e) => e.resource.resourceType === 'MeasureReport')
    ?.resource as unknown as ExpectedReport | undefined;
  if (report === undefined) throw new Error('the case has no MeasureReport');
  const counts = Object.fromEntries(POPULATION_CODES.map((code) => [code, 0])) as Record<
    PopulationCode,
    number
  >;
  for (const population of report.group[0]?.population ?? []) {
    const code = population.code.coding[0]?.code;
    if (code !== undefined && POPULATION_CODES.includes(code)) counts[code] = population.count;
  }
  return { period: report.period, counts };
}

/** The five population counts (0/1) of one evaluation. */
export function countsOf(result: PatientMeasureResult): Record<PopulationCode, number> {
  return Object.fromEntries(
    POPULATION_CODES.map((code) => [code, result.populations[FIELD[code]] ? 1 : 0]),
  ) as Record<PopulationCode, number>;
}

/** Evaluates the case's measure on a record. */
export function evaluateCase(
  c: OfficialCase,
  record: PatientRecord,
  period: { start: string; end: string },
  valueSets: ValueSetRegistry,
): PatientMeasureResult {
  const measure = CLINICAL_MEASURES.find((m) => m.id === c.measureId);
  if (measure === undefined) throw new Error(`no definition registered for ${c.measureId}`);
  return measure.evaluate(record, { measurementPeriod: period, valueSets });
}

export const EHR = 'https://ehr.example.org/fhir/R4';

export interface Rewritten {
  /** The case Bundle, its MedicationRequests pointing at Medications. */
  bundle: CaseBundle;
  /** The Medications the requests point at (not in `bundle` unless the shape puts them there). */
  medications: fhir4.Medication[];
}

export type MedicationShape = 'contained' | 'before' | 'after' | 'absolute';

/**
 * The case with each medicationCodeableConcept moved into a Medication the request references.
 * MADiE cases repeat their resources in a nested Bundle entry: those copies are rewritten too.
 */
export function rewriteMedicationsAsReferences(c: OfficialCase, shape: MedicationShape): Rewritten {
  const bundle = structuredClone(caseBundle(c));
  const medications = new Map<string, fhir4.Medication>();
  const visit = (entries: CaseBundle['entry']): void => {
    for (const entry of entries) {
      const request = entry.resource;
      if (request.resourceType === 'Bundle') visit((request as CaseBundle).entry);
      if (request.resourceType !== 'MedicationRequest') continue;
      const concept = request.medicationCodeableConcept;
      if (concept === undefined) throw new Error(`${c.file}: no medicationCodeableConcept`);
      const id = `med-${request.id ?? ''}`;
      medications.set(id, { resourceType: 'Medication', id, code: concept });
      delete request.medicationCodeableConcept;
      if (shape === 'contained') {
        request.contained = [{ resourceType: 'Medication', id: 'med', code: concept }];
        request.medicationReference = { reference: '#med' };
      } else {
        const path = `Medication/${id}`;
        request.medicationReference = { reference: shape === 'absolute' ? `${EHR}/${path}` : path };
      }
    }
  };
  visit(bundle.entry);
  const entries = [...medications.values()].map((resource) => ({ resource }));
  if (shape === 'before') bundle.entry.unshift(...entries);
  if (shape === 'after') bundle.entry.push(...entries);
  return { bundle, medications: [...medications.values()] };
}
