// Resolving FHIR references within the resources one patient's queries returned: relative
// (`Observation/1`), absolute (`https://ehr/fhir/Observation/1`), versioned (`…/_history/2`) and
// bundle-local (`urn:uuid:…`) forms all resolve to one key. Contained (`#id`) references are the
// caller's business: they only resolve inside their container.

const TYPE_AND_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/** `Type/id` of a resource, or undefined when it has no id (it cannot be referenced). */
export function resourceKey(resource: { resourceType: string; id?: string }): string | undefined {
  return resource.id === undefined ? undefined : `${resource.resourceType}/${resource.id}`;
}

/** The `Type/id` (or `urn:uuid:…`) key a reference string points at, or undefined. */
export function referenceKey(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) return reference;
  const path = reference.replace(/\/_history\/[^/]+$/, '');
  const m = TYPE_AND_ID.exec(path);
  return m === null ? undefined : `${m[1] ?? ''}/${m[2] ?? ''}`;
}

/** The resource type a reference key names (`Observation/1` → `Observation`). */
export function referenceType(key: string): string | undefined {
  const slash = key.indexOf('/');
  return key.startsWith('urn:') || slash < 0 ? undefined : key.slice(0, slash);
}

/** A reference's display, else its reference string, else a stand-in. */
export function referenceLabel(ref: fhir4.Reference | undefined, fallback: string): string {
  return ref?.display ?? ref?.reference ?? fallback;
}
