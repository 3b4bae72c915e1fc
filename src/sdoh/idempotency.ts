// Idempotent writes (issue 8: "a retry after a timeout or a failed write never creates a second
// referral"). The app generates one random UUID per draft (crypto.randomUUID(), kept with the draft
// across retries) and every resource of that draft carries it as a business identifier. A server
// that supports conditional create (R4 http.html#ccreate) honours `If-None-Exist`; one that does
// not can be asked `GET [type]?identifier=system|value` before a second attempt.

/** RFC 3986 URI identifiers: the value is `urn:uuid:<key>` (R4 datatypes Identifier.system). */
export const IDEMPOTENCY_IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';

const KEY = /^[A-Za-z0-9-]{8,64}$/;

/** The identifier for an idempotency key (a UUID the caller generated). Throws on a malformed key. */
export function idempotencyIdentifier(key: string): fhir4.Identifier {
  if (!KEY.test(key))
    throw new RangeError('idempotency key must be a UUID (8–64 letters, digits, -)');
  return { system: IDEMPOTENCY_IDENTIFIER_SYSTEM, value: `urn:uuid:${key}` };
}

/** The search that finds what a key already created: `identifier=system|value` (no URL escaping needed). */
export function identifierSearch(key: string): string {
  const id = idempotencyIdentifier(key);
  return `identifier=${id.system ?? ''}|${id.value ?? ''}`;
}

/** A create the server should skip when a resource with the same identifier exists. */
export interface ConditionalCreate<R extends fhir4.Resource> {
  resource: R;
  /** The `If-None-Exist` header (or Bundle `request.ifNoneExist`) value. */
  ifNoneExist: string;
}

/** Does the resource carry the key's identifier? (Find a draft's earlier write in search results.) */
export function hasIdempotencyKey(
  resource: { identifier?: fhir4.Identifier[] },
  key: string,
): boolean {
  const id = idempotencyIdentifier(key);
  return (resource.identifier ?? []).some((i) => i.system === id.system && i.value === id.value);
}
