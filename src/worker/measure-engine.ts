// The seam between the panel runners (worker, CLI, benchmarks) and the measure engine: what they
// need from src/clinical + src/measures, as one small interface. ./clinical-engine.ts implements
// it with the real record builder and measure registry; tests pass a small real engine of their own.

import type { PatientRecord } from '../clinical/patient-record';
import type { ReportPeriod, ReportedMeasure } from '../measures/measure-report';
import type { ClinicalMeasureId, PatientMeasureResult } from '../measures/measure-result';

export interface EngineMeasure extends ReportedMeasure {
  id: ClinicalMeasureId;
  title: string;
}

export interface RecordBuilderPort {
  add(resource: fhir4.FhirResource): void;
  /**
   * `Medication/<id>` references of the MedicationRequests added that no Medication added
   * answers yet: fetch each once and `add` it before `build()` (see PatientRecordBuilder).
   */
  unresolvedMedicationReferences(): string[];
  build(): PatientRecord[];
}

export interface MeasureEngine {
  readonly measures: readonly EngineMeasure[];
  /** Resource types the record builder reads; readers may drop the rest before grouping. */
  readonly resourceTypes: ReadonlySet<string>;
  /**
   * A streaming record builder: `add` resources of any patients in any order (a patient's data may
   * be spread over files), then `build` one compact record per patient. Raw resources can be
   * dropped as soon as they are added.
   */
  createRecordBuilder(): RecordBuilderPort;
  evaluate(
    measureId: ClinicalMeasureId,
    record: PatientRecord,
    period: ReportPeriod,
  ): PatientMeasureResult;
}

/** What the simple gender / age-band stratifiers need from a record (one path with the CLI). */
export { stratificationFactsOfRecord } from '../analysis/panel-strata';

/** Records from resources already in memory. */
export function buildRecords(
  engine: MeasureEngine,
  resources: readonly fhir4.FhirResource[],
): PatientRecord[] {
  const builder = engine.createRecordBuilder();
  for (const resource of resources) builder.add(resource);
  return builder.build();
}
