// Small builders for the sandbox FHIR tests: resources, a store+API pair, and request helpers.
import { expect } from 'vitest';
import { fullAccess, type FhirAccess, type FhirResponse } from '../../../sandbox/fhir/access';
import { createFhirApi, type FhirApi } from '../../../sandbox/fhir/api';
import { FhirStore } from '../../../sandbox/fhir/store';

export const BASE = 'http://sandbox.test/fhir';
export const NOW = '2025-01-02T03:04:05.000Z';
export const clock = (): Date => new Date(NOW);
export const LOINC = 'http://loinc.org';

export const patientAccess = (patientId: string): FhirAccess => ({
  read: () => ({ kind: 'patient', patientId }),
  create: () => ({ kind: 'patient', patientId }),
  update: () => ({ kind: 'patient', patientId }),
});
export const noAccess: FhirAccess = {
  read: () => ({ kind: 'none' }),
  create: () => ({ kind: 'none' }),
  update: () => ({ kind: 'none' }),
};

export function patient(id: string, more: Partial<fhir4.Patient> = {}): fhir4.Patient {
  return { resourceType: 'Patient', id, ...more };
}

/** A CodeableConcept with one coding; `system` null → a coding without a system. */
export function coding(code: string, system: string | null = LOINC): fhir4.CodeableConcept {
  return { coding: [system === null ? { code } : { system, code }] };
}

export function observation(
  id: string,
  patientId: string,
  more: Partial<fhir4.Observation> = {},
): fhir4.Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: coding('4548-4'),
    subject: { reference: `Patient/${patientId}` },
    ...more,
  };
}

export interface Harness {
  store: FhirStore;
  api: FhirApi;
  get(url: string, access?: FhirAccess): FhirResponse;
  post(url: string, body: unknown, access?: FhirAccess): FhirResponse;
  request(method: string, url: string, body?: unknown, access?: FhirAccess): FhirResponse;
}

export function setup(resources: readonly fhir4.FhirResource[] = []): Harness {
  const store = new FhirStore({ now: clock });
  for (const r of resources) store.add(structuredClone(r));
  const api = createFhirApi(store, {
    baseUrl: BASE,
    oauth: { authorize: `${BASE}/../auth/authorize`, token: `${BASE}/../auth/token` },
    now: clock,
  });
  const request = (method: string, url: string, body?: unknown, access = fullAccess) => {
    const relativeUrl = url.startsWith(BASE) ? url.slice(BASE.length) : url;
    const [path = '', query = ''] = relativeUrl.split('?', 2);
    return api.handle(
      {
        method,
        path: path.startsWith('/') ? path : `/${path}`,
        query: new URLSearchParams(query),
        body,
      },
      access,
    );
  };
  return {
    store,
    api,
    request,
    get: (url, access) => request('GET', url, undefined, access),
    post: (url, body, access) => request('POST', url, body, access),
  };
}

/** The searchset Bundle of a 200 response (fails the test otherwise). */
export function bundleOf(response: FhirResponse): fhir4.Bundle {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const bundle = response.body as fhir4.Bundle;
  expect(bundle.resourceType).toBe('Bundle');
  return bundle;
}

/** Ids of the entries of a 200 searchset response. */
export function idsOf(response: FhirResponse): string[] {
  return (bundleOf(response).entry ?? []).map((e) => e.resource?.id ?? '?');
}

/** The diagnostics of an OperationOutcome response with the given status and issue code. */
export function outcomeOf(response: FhirResponse, status: number, code?: string): string {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const outcome = response.body as fhir4.OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  const issue = outcome.issue[0];
  expect(issue?.severity).toBe('error');
  if (code !== undefined) expect(issue?.code).toBe(code);
  return issue?.diagnostics ?? '';
}
