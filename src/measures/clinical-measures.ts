// The registry of clinical eCQM definitions the engine evaluates (one file per measure).

import { cms122 } from './cms122';
import { cms125 } from './cms125';
import { cms130 } from './cms130';
import { cms165 } from './cms165';
import { cms2 } from './cms2';
import type { ClinicalMeasureDefinition } from './measure-definition';
import type { ClinicalMeasureId } from './measure-result';

export const CLINICAL_MEASURES: readonly ClinicalMeasureDefinition[] = [
  cms122,
  cms165,
  cms125,
  cms130,
  cms2,
];

/** The definition for a measure id (every ClinicalMeasureId has one). */
export function clinicalMeasure(id: ClinicalMeasureId): ClinicalMeasureDefinition {
  const found = CLINICAL_MEASURES.find((m) => m.id === id);
  if (found === undefined) throw new RangeError(`No definition for measure ${id}`);
  return found;
}
