// The real engine behind the panel runners: src/clinical's streaming record builder and
// src/measures' registry of eCQM definitions, adapted to ./measure-engine.ts. The eCQMs need the
// value-set expansions: by default the compiled ones shipped with the app
// (`shippedClinicalEngine`, loaded lazily); or official `valuesets.json` Bundles the caller
// supplies (`clinicalEngineFor`: the CLI's --valuesets, tests, the e2e worker harness).

import { createPatientRecordBuilder } from '../clinical/build-patient-records';
import type { ValueSetRegistry } from '../clinical/patient-record';
import { acceptsCodesIn, loadValueSetRegistry } from '../clinical/value-set-registry';
import { CLINICAL_MEASURES, clinicalMeasure } from '../measures/clinical-measures';
import { loadShippedValueSets } from '../measures/compiled-value-sets';
import type { PopulationCode } from '../measures/measure-result';
import { MEASURE_DIRECT_CODES } from '../measures/value-sets';
import type { EngineMeasure, MeasureEngine } from './measure-engine';

/** Populations in the order the official Measure resources list them. */
const WITHOUT_EXCEPTION: readonly PopulationCode[] = [
  'initial-population',
  'denominator',
  'denominator-exclusion',
  'numerator',
];
const WITH_EXCEPTION: readonly PopulationCode[] = [...WITHOUT_EXCEPTION, 'denominator-exception'];

/** Resource types the record builder reads (patient-record.ts); others are ignored upstream. */
const RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Encounter',
  'Condition',
  'Observation',
  'Procedure',
  'ServiceRequest',
  'DeviceRequest',
  'MedicationRequest',
  // Not patient data: what a MedicationRequest.medicationReference points at.
  'Medication',
  'Coverage',
]);

export function createClinicalEngine(valueSets: ValueSetRegistry): MeasureEngine {
  const keepCodes = acceptsCodesIn(valueSets, MEASURE_DIRECT_CODES);
  const measures: EngineMeasure[] = CLINICAL_MEASURES.map((m) => ({
    id: m.id,
    url: m.url,
    title: m.title,
    populations: m.hasDenominatorException ? WITH_EXCEPTION : WITHOUT_EXCEPTION,
  }));
  return {
    measures,
    resourceTypes: RESOURCE_TYPES,
    createRecordBuilder() {
      // Only the eCQMs run here, so facts coded outside every loaded value set (and the measures'
      // direct codes) are dropped at build time: records shrink ~6× and build faster. The
      // official-case test checks the results are the same with this filter.
      const builder = createPatientRecordBuilder({ keepCodes });
      return {
        add: (resource) => builder.add(resource),
        unresolvedMedicationReferences: () => builder.unresolvedMedicationReferences(),
        build: () => builder.build(),
      };
    },
    evaluate(measureId, record, period) {
      return clinicalMeasure(measureId).evaluate(record, {
        measurementPeriod: period,
        valueSets,
      });
    },
  };
}

let cached: { sources: readonly unknown[]; engine: MeasureEngine } | undefined;

/**
 * The engine for parsed `valuesets.json` Bundles (or ValueSets). Remembers the last set of
 * sources, so a worker receiving the same array (or the in-thread path reusing it) does not
 * rebuild the registry for every run.
 */
export function clinicalEngineFor(valueSetSources: readonly unknown[]): MeasureEngine {
  // Without expansions every value-set test is false and every patient silently falls out of
  // every population; refuse instead.
  if (valueSetSources.length === 0)
    throw new Error('no value sets given: the eCQMs need the official valuesets.json expansions');
  if (cached?.sources !== valueSetSources) {
    cached = {
      sources: valueSetSources,
      engine: createClinicalEngine(loadValueSetRegistry(...valueSetSources)),
    };
  }
  return cached.engine;
}

let shipped: Promise<MeasureEngine> | undefined;

/**
 * The engine over the value sets shipped with the app (src/measures/compiled-value-sets.ts),
 * loaded on first use and shared by later runs.
 */
export function shippedClinicalEngine(): Promise<MeasureEngine> {
  shipped ??= loadShippedValueSets().then(createClinicalEngine, (error: unknown) => {
    shipped = undefined;
    throw error;
  });
  return shipped;
}
