// Small builders shared by the resource generators. Each call returns fresh objects (never shared
// constants) so a consumer that mutates one resource cannot change another.

import type { Code } from './codes';
import { SYS } from './codes';
import type { Rng } from './random';

export const coding = (c: Code): fhir4.Coding => ({
  system: c.system,
  code: c.code,
  display: c.display,
});

export const concept = (codes: readonly Code[], text?: string): fhir4.CodeableConcept => {
  const cc: fhir4.CodeableConcept = { coding: codes.map(coding) };
  if (text !== undefined) cc.text = text;
  return cc;
};

export const ref = (reference: string, display?: string): fhir4.Reference =>
  display === undefined ? { reference } : { reference, display };

export const obsCategory = (code: string, display: string): fhir4.CodeableConcept => ({
  coding: [{ system: SYS.obsCategory, code, display }],
});

export const sdohCategory = (): fhir4.CodeableConcept => ({
  coding: [{ system: SYS.usCoreCategory, code: 'sdoh', display: 'SDOH' }],
});

export const ucum = (value: number, unit: string, code = unit): fhir4.Quantity => ({
  value,
  unit,
  system: SYS.ucum,
  code,
});

/**
 * Per-patient output buffer and id allocator. Ids are `<prefix>-<patient key>-<n>` (e.g.
 * `obs-00042-7`): valid FHIR ids, unique per type, and stable for a given (seed, index).
 */
export class PatientContext {
  readonly resources: fhir4.Resource[] = [];
  readonly patientRef: string;
  private readonly counters = new Map<string, number>();

  constructor(
    readonly key: string,
    readonly patientId: string,
    readonly practitionerRef: string,
    readonly organizationRef: string,
    readonly rng: Rng,
  ) {
    this.patientRef = `Patient/${patientId}`;
  }

  id(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${this.key}-${n}`;
  }

  add<T extends fhir4.Resource>(resource: T): T {
    this.resources.push(resource);
    return resource;
  }

  subject(): fhir4.Reference {
    return { reference: this.patientRef };
  }
}
