// What evaluating one measure for one patient yields: population membership with the standard
// population codes (http://terminology.hl7.org/CodeSystem/measure-population), the evidence that
// decided it, and plain-language reasons a patient is out. Plain serialisable data: it crosses the
// worker boundary and feeds MeasureReports and the equity statistics.

export type ClinicalMeasureId = 'CMS122' | 'CMS165' | 'CMS125' | 'CMS130' | 'CMS2';

/** Population codes as in the FHIR measure-population code system. */
export type PopulationCode =
  | 'initial-population'
  | 'denominator'
  | 'denominator-exclusion'
  | 'denominator-exception'
  | 'numerator';

export const POPULATION_CODES: readonly PopulationCode[] = [
  'initial-population',
  'denominator',
  'denominator-exclusion',
  'denominator-exception',
  'numerator',
];

export interface PopulationMembership {
  initialPopulation: boolean;
  denominator: boolean;
  denominatorExclusion: boolean;
  denominatorException: boolean;
  numerator: boolean;
}

/** A resource that decided a population, and the rule (CQL define) it satisfied. */
export interface Evidence {
  population: PopulationCode;
  /** The CQL define or rule name, e.g. "Qualifying Encounters". */
  rule: string;
  /** `Type/id` references of the resources behind it. */
  resources: string[];
}

export interface PatientMeasureResult {
  measureId: string;
  patientId: string;
  populations: PopulationMembership;
  evidence: Evidence[];
  /** Why the patient is outside a population, e.g. "no qualifying encounter: 3 encounters coded outside the value sets". */
  reasons: string[];
}
