// Banner facts from a FHIR R4 Patient. Pure: "today" is an argument.

/** A calendar date without a time zone (FHIR `date`). Months are 1–12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The local calendar date of a clock reading (the user's "today"). */
export function calendarDateOf(instant: Date): CalendarDate {
  return { year: instant.getFullYear(), month: instant.getMonth() + 1, day: instant.getDate() };
}

export function formatCalendarDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Reads a FHIR `date` or the date part of a `dateTime` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD…`).
 * Partial dates resolve to the *last* day they can mean, so an age computed from them is never
 * overstated.
 */
export function parseFhirDate(text: string | undefined): CalendarDate | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(text ?? '');
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? 12 : Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  const lastDay = daysInMonth(year, month);
  const day = match[3] === undefined ? lastDay : Number(match[3]);
  if (day < 1 || day > lastDay) return undefined;
  return { year, month, day };
}

export type Age = { readonly kind: 'years'; readonly years: number } | { readonly kind: 'unknown' };

/** Completed years between a birth date and `on` (the day they turn N counts as N). */
export function ageInYears(birthDate: string | undefined, on: CalendarDate): Age {
  const born = parseFhirDate(birthDate);
  if (!born) return { kind: 'unknown' };
  const hadBirthday = on.month > born.month || (on.month === born.month && on.day >= born.day);
  const years = on.year - born.year - (hadBirthday ? 0 : 1);
  return years < 0 ? { kind: 'unknown' } : { kind: 'years', years };
}

export function formatAge(age: Age): string {
  switch (age.kind) {
    case 'years':
      return age.years === 1 ? '1 year' : `${age.years} years`;
    case 'unknown':
      return 'Unknown';
  }
}

/** R4 `administrative-gender`: the sex used for administration, not clinical sex or identity. */
export function describeAdministrativeSex(gender: fhir4.Patient['gender']): string {
  switch (gender) {
    case 'male':
      return 'Male';
    case 'female':
      return 'Female';
    case 'other':
      return 'Other';
    case 'unknown':
      return 'Unknown';
    case undefined:
      return 'Not recorded';
  }
}

export type Deceased =
  | { readonly kind: 'living' }
  | { readonly kind: 'deceased'; readonly on: CalendarDate | undefined };

export function readDeceased(patient: fhir4.Patient): Deceased {
  if (patient.deceasedDateTime !== undefined) {
    return { kind: 'deceased', on: parseFhirDate(patient.deceasedDateTime) };
  }
  return patient.deceasedBoolean === true
    ? { kind: 'deceased', on: undefined }
    : { kind: 'living' };
}

const v2IdentifierTypes = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Identifier types never shown on a banner (v2-0203: SSN, driver's licence, passport, tax id). */
const sensitiveTypes = new Set(['SS', 'SB', 'DL', 'PPN', 'TAX', 'CZ']);

export type BannerIdentifier =
  | { readonly kind: 'mrn'; readonly value: string }
  | { readonly kind: 'other'; readonly label: string; readonly value: string }
  | { readonly kind: 'none' };

function typeCodes(identifier: fhir4.Identifier): string[] {
  return (identifier.type?.coding ?? [])
    .filter((coding) => coding.system === undefined || coding.system === v2IdentifierTypes)
    .flatMap((coding) => (coding.code ? [coding.code] : []));
}

function isCurrent(identifier: fhir4.Identifier, today: CalendarDate): boolean {
  const end = parseFhirDate(identifier.period?.end);
  const ended = end !== undefined && formatCalendarDate(end) < formatCalendarDate(today);
  return identifier.use !== 'old' && !ended && Boolean(identifier.value?.trim());
}

/**
 * The identifier for the banner: the medical record number (type `MR`, preferring `usual` and
 * `official`), else a non-sensitive identifier with its label, else none.
 */
export function pickBannerIdentifier(
  identifiers: readonly fhir4.Identifier[] | undefined,
  today: CalendarDate,
): BannerIdentifier {
  const current = (identifiers ?? []).filter((identifier) => isCurrent(identifier, today));
  const preferred = (identifier: fhir4.Identifier) =>
    identifier.use === 'usual' || identifier.use === 'official' ? 0 : 1;
  const mrn = current
    .filter((identifier) => typeCodes(identifier).includes('MR'))
    .sort((a, b) => preferred(a) - preferred(b))[0];
  if (mrn?.value) return { kind: 'mrn', value: mrn.value.trim() };
  const other = current.find(
    (identifier) =>
      identifier.type !== undefined &&
      !typeCodes(identifier).some((code) => sensitiveTypes.has(code)),
  );
  if (other?.value) {
    const label =
      other.type?.text ?? other.type?.coding?.find((coding) => coding.display)?.display ?? 'ID';
    return { kind: 'other', label, value: other.value.trim() };
  }
  return { kind: 'none' };
}
