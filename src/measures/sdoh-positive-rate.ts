// Screen Positive Rate for Social Drivers of Health, modelled on CMS SDOH-2 (measures.md
// "Social-needs measures": "of those screened for all five, the share positive for each domain:
// five rates"). No official FHIR CQL here; the rules are ours:
//
// - One measure per core domain, ids `SDOH2-food`, `SDOH2-housing`, `SDOH2-transportation`,
//   `SDOH2-utilities`, `SDOH2-safety`: five ordinary proportion results per patient, so each rate
//   is stratified like any other measure (a per-domain detail inside one result would need its
//   own stratifier).
// - Initial population = denominator: the SDOH-1 numerator (./sdoh-screening.ts): an adult with a
//   visit in the period, screened for all five domains in the period.
// - Numerator: any item of the domain positive in the period (CMS SDOH-2 counts patients who
//   screened positive during the reporting period; a later negative screen does not undo it).
//   Housing is positive for housing instability, homelessness or inadequate housing.
// - No exclusions: SDOH-1's opted-out patients never reach this denominator.

import type { PatientRecord } from '../clinical/patient-record';
import type { MeasurementPeriod } from '../clinical/cql-time';
import type { CoreSdohDomain } from '../clinical/sdoh-screening';
import { CORE_SDOH_DOMAINS } from '../clinical/sdoh-screening';
import type { PatientMeasureResult } from './measure-result';
import { evaluateSdohScreening, readPeriodScreening } from './sdoh-screening';

export type SdohPositiveRateMeasureId =
  'SDOH2-food' | 'SDOH2-housing' | 'SDOH2-transportation' | 'SDOH2-utilities' | 'SDOH2-safety';

export function sdohPositiveRateMeasureId(domain: CoreSdohDomain): SdohPositiveRateMeasureId {
  switch (domain) {
    case 'food':
      return 'SDOH2-food';
    case 'housing':
      return 'SDOH2-housing';
    case 'transportation':
      return 'SDOH2-transportation';
    case 'utilities':
      return 'SDOH2-utilities';
    case 'safety':
      return 'SDOH2-safety';
  }
}

export const SDOH_POSITIVE_RATE_MEASURE_IDS: readonly SdohPositiveRateMeasureId[] =
  CORE_SDOH_DOMAINS.map(sdohPositiveRateMeasureId);

/** The five per-domain results for one patient, in CORE_SDOH_DOMAINS order. */
export function evaluateSdohPositiveRates(
  record: PatientRecord,
  period: MeasurementPeriod,
): PatientMeasureResult[] {
  const screening = evaluateSdohScreening(record, period);
  const screenedAll =
    screening.populations.numerator && !screening.populations.denominatorExclusion;
  const screened = screenedAll ? readPeriodScreening(record, period) : null;

  return CORE_SDOH_DOMAINS.map((domain) => {
    const positive = screened?.results.get(domain) === 'positive';
    const refs = screened?.refs.get(domain) ?? [];
    return {
      measureId: sdohPositiveRateMeasureId(domain),
      patientId: record.id,
      populations: {
        initialPopulation: screenedAll,
        denominator: screenedAll,
        denominatorExclusion: false,
        denominatorException: false,
        numerator: positive,
      },
      evidence: screenedAll
        ? [
            {
              population: positive ? 'numerator' : 'denominator',
              rule: positive ? `Positive ${domain} screen` : `Negative ${domain} screen`,
              resources: refs,
            },
          ]
        : [],
      reasons: screenedAll
        ? positive
          ? []
          : [`${domain} screen negative in the measurement period`]
        : [
            `not screened for all five domains in the period (SDOH-1): ${screening.reasons.join('; ')}`,
          ],
    };
  });
}
