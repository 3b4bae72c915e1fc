// OperationOutcome responses. Issue codes come from the R4 IssueType value set
// (http://hl7.org/fhir/valueset-issue-type.html); HTTP statuses follow R4 http.html.
import type { FhirResponse } from './access';

export type IssueCode = 'invalid' | 'not-found' | 'forbidden' | 'not-supported' | 'processing';

export function operationOutcome(
  code: IssueCode,
  diagnostics: string,
  severity: 'error' | 'warning' | 'information' = 'error',
): fhir4.OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

export function errorResponse(status: number, code: IssueCode, diagnostics: string): FhirResponse {
  return { status, body: operationOutcome(code, diagnostics) };
}

export const badRequest = (diagnostics: string, code: IssueCode = 'invalid'): FhirResponse =>
  errorResponse(400, code, diagnostics);
export const forbidden = (diagnostics: string): FhirResponse =>
  errorResponse(403, 'forbidden', diagnostics);
export const notFound = (diagnostics: string): FhirResponse =>
  errorResponse(404, 'not-found', diagnostics);
export const methodNotAllowed = (diagnostics: string): FhirResponse =>
  errorResponse(405, 'not-supported', diagnostics);

/** Thrown inside request handling to end it with an OperationOutcome response. */
export class FhirError extends Error {
  constructor(readonly response: FhirResponse) {
    const body = response.body as fhir4.OperationOutcome;
    super(body.issue[0]?.diagnostics ?? `HTTP ${response.status}`);
  }
}
