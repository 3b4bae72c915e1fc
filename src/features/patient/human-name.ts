// Display names from FHIR HumanName (R4 datatypes §2.24.0.12). Pure: takes "today" where the
// period of a name matters.

/** Order of preference for the name to display (R4 `name-use`). */
const usePreference: readonly (fhir4.HumanName['use'] | undefined)[] = [
  'official',
  'usual',
  undefined,
  'temp',
  'nickname',
  'anonymous',
  'maiden',
];

function rank(name: fhir4.HumanName): number {
  const index = usePreference.indexOf(name.use);
  return index === -1 ? usePreference.length : index;
}

function hasEnded(name: fhir4.HumanName, today: string): boolean {
  const end = name.period?.end;
  return end !== undefined && end.slice(0, 10) < today;
}

/** The name to show for a person: the official or usual one still in use, skipping `old`. */
export function pickDisplayName(
  names: readonly fhir4.HumanName[] | undefined,
  today: string,
): fhir4.HumanName | undefined {
  const candidates = (names ?? []).filter(
    (name) =>
      name.use !== 'old' && !hasEnded(name, today) && (name.text || name.family || name.given),
  );
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}

export interface NameFormat {
  /** Include prefixes such as "Dr." or "Mrs.", as the record has them. */
  readonly withPrefix: boolean;
}

/**
 * The name's `text` (the full name as the source system renders it), else "Given Middle
 * Family" (with "Prefix" when asked). Undefined when the resource has no usable name: the
 * caller decides what absence looks like.
 */
export function formatHumanName(
  names: readonly fhir4.HumanName[] | undefined,
  today: string,
  format: NameFormat = { withPrefix: false },
): string | undefined {
  const name = pickDisplayName(names, today);
  if (!name) return undefined;
  const text = name.text?.trim();
  if (text) return text;
  const parts = [
    ...(format.withPrefix ? (name.prefix ?? []) : []),
    ...(name.given ?? []),
    ...(name.family ? [name.family] : []),
    ...(name.suffix ?? []),
  ]
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}
