// The Status library (v1.15.000) filters and QICoreCommon's condition status, as predicates.

import type {
  ConditionFact,
  EncounterFact,
  MedicationRequestFact,
  ObservationFact,
  ProcedureFact,
  RequestFact,
} from '../clinical/patient-record';

const ORDER_INTENTS = new Set([
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
]);

function isFinalAmendedCorrected(status: string): boolean {
  return status === 'final' || status === 'amended' || status === 'corrected';
}

/** Status.verified: no verification status, or confirmed/unconfirmed/provisional/differential. */
export function isVerified(c: ConditionFact): boolean {
  const v = c.verificationStatus;
  return (
    v === '' ||
    v === 'confirmed' ||
    v === 'unconfirmed' ||
    v === 'provisional' ||
    v === 'differential'
  );
}

/** Status.isEncounterPerformed: status = 'finished'. */
export function isEncounterPerformed(e: EncounterFact): boolean {
  return e.status === 'finished';
}

/** Status.isAssessmentPerformed, isLaboratoryTestPerformed, isObservationBP: final/amended/corrected. */
export function isObservationFinal(o: ObservationFact): boolean {
  return isFinalAmendedCorrected(o.status);
}

/** Status.isDiagnosticStudyPerformed: final/amended/corrected with an "imaging" category. */
export function isDiagnosticStudyPerformed(o: ObservationFact): boolean {
  return isFinalAmendedCorrected(o.status) && o.categories.includes('imaging');
}

/** Status.isSymptom: preliminary/final/amended/corrected. */
export function isSymptom(o: ObservationFact): boolean {
  return o.status === 'preliminary' || isFinalAmendedCorrected(o.status);
}

/** Status.isProcedurePerformed / isInterventionPerformed: status ~ 'completed'. */
export function isProcedurePerformed(p: ProcedureFact): boolean {
  return p.status === 'completed';
}

/**
 * Status.isInterventionOrder / isDeviceOrderPersonalUseDevices / isMedicationOrder:
 * active or completed, with an order intent.
 */
export function isOrder(r: RequestFact): boolean {
  return (r.status === 'active' || r.status === 'completed') && ORDER_INTENTS.has(r.intent);
}

/** Status.isMedicationActive: active, with an order intent. */
export function isMedicationActive(m: MedicationRequestFact): boolean {
  return m.status === 'active' && ORDER_INTENTS.has(m.intent);
}
