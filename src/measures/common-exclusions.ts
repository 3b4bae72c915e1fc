// Denominator-exclusion branches the adult measures share, checked in the order the measures'
// "Denominator Exclusions" defines list them. Each returns the first satisfied branch.

import { hasHospiceServices } from './hospice';
import { hasPalliativeCareInMeasurementPeriod } from './palliative-care';
import {
  isAge66OrOlderInNursingHome,
  isAge66OrOlderWithAdvancedIllnessAndFrailty,
  isAge66To80FrailIllOrAge81Frail,
} from './advanced-illness-frailty';
import type { Evaluation, Finding } from './evaluation';

export type FrailtyRule = 'age-66-or-older' | 'age-66-to-80-or-81-or-older';

/** Hospice, AIF frailty (the measure's variant), nursing home, palliative care. */
export function sharedExclusion(ev: Evaluation, frailty: FrailtyRule): Finding | null {
  return (
    hasHospiceServices(ev) ??
    (frailty === 'age-66-or-older'
      ? isAge66OrOlderWithAdvancedIllnessAndFrailty(ev)
      : isAge66To80FrailIllOrAge81Frail(ev)) ??
    isAge66OrOlderInNursingHome(ev) ??
    hasPalliativeCareInMeasurementPeriod(ev)
  );
}
