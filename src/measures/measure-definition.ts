// The shape every clinical measure definition file exports, and the population bookkeeping
// they share (fqm-execution's population relevance for patient-based proportion measures).

import type { PatientRecord } from '../clinical/patient-record';
import type { MeasureEvaluationContext } from './evaluation';
import type {
  ClinicalMeasureId,
  PatientMeasureResult,
  PopulationMembership,
} from './measure-result';

export type ImprovementNotation = 'increase' | 'decrease';

/** A measure's "Stratification n" define: age in years at the end of the period in [low, high]. */
export interface AgeStratum {
  /** The CQL define name, e.g. "Stratification 1". */
  define: string;
  low: number;
  high: number;
}

export interface ClinicalMeasureDefinition {
  id: ClinicalMeasureId;
  title: string;
  /** Canonical URL of the FHIR Measure (measure.json `url`). */
  url: string;
  version: string;
  scoring: 'proportion';
  /** 'decrease' for inverse measures (CMS122: a lower rate is better). */
  improvementNotation: ImprovementNotation;
  /** Whether the measure defines a denominator-exception population. */
  hasDenominatorException: boolean;
  /** Age strata the Measure reports (empty when it defines none). */
  ageStrata: readonly AgeStratum[];
  evaluate(record: PatientRecord, context: MeasureEvaluationContext): PatientMeasureResult;
}

/**
 * Applies population relevance (CQF Measures IG, proportion scoring): the denominator counts only
 * within the initial population, an exclusion only within the denominator, the numerator only when
 * not excluded, and an exception only when neither excluded nor in the numerator. The official
 * test cases report numerator 0 for excluded patients even where the Numerator define is true, so
 * MeasureReports apply this to every result they count, whichever engine produced it.
 */
export function membership(raw: {
  initialPopulation: boolean;
  /** Defaults to the initial population: most eCQMs define "Denominator: Initial Population". */
  denominator?: boolean;
  denominatorExclusion: boolean;
  numerator: boolean;
  /** Only measures with a denominator exception (CMS2) pass it. */
  denominatorException?: boolean;
}): PopulationMembership {
  const initialPopulation = raw.initialPopulation;
  const denominator = initialPopulation && (raw.denominator ?? true);
  const denominatorExclusion = denominator && raw.denominatorExclusion;
  const numerator = denominator && !denominatorExclusion && raw.numerator;
  const denominatorException =
    denominator && !denominatorExclusion && !numerator && (raw.denominatorException ?? false);
  return { initialPopulation, denominator, denominatorExclusion, denominatorException, numerator };
}

export const OUT: PopulationMembership = Object.freeze({
  initialPopulation: false,
  denominator: false,
  denominatorExclusion: false,
  denominatorException: false,
  numerator: false,
});
