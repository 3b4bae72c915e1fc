// Payer from Coverage, as the eCQM supplemental data element reads it: Coverage.type coded in the
// Source of Payment Typology (PHDSC SOPT, urn:oid:2.16.840.1.113883.3.221.5; the Payer Type
// value set 2.16.840.1.114222.4.11.3591 expands it under https://nahdo.org/sopt), for active
// coverage overlapping the period. The typology's first digit is its top level.

import { parseDateTime } from '../cql-time';
import { absent, recorded, type DataQualityNote, type Reading } from './reading';

export const SOPT_SYSTEMS: readonly string[] = [
  'urn:oid:2.16.840.1.113883.3.221.5',
  'https://nahdo.org/sopt',
];

export type PayerCategory =
  'medicare' | 'medicaid' | 'commercial' | 'other-government' | 'uninsured-self-pay' | 'other';

/** Also the precedence for the primary payer when Coverage.order does not decide. */
export const PAYER_CATEGORIES: readonly PayerCategory[] = [
  'medicare',
  'medicaid',
  'commercial',
  'other-government',
  'other',
  'uninsured-self-pay',
];

export const PAYER_LABELS: Readonly<Record<PayerCategory, string>> = {
  medicare: 'Medicare',
  medicaid: 'Medicaid',
  commercial: 'Commercial',
  'other-government': 'Other government',
  'uninsured-self-pay': 'Uninsured / self-pay',
  other: 'Other',
};

/**
 * SOPT top level → category: 1 Medicare; 2 Medicaid; 3 other government (TRICARE, VA, IHS, state
 * and local); 4 Department of Corrections; 5 private; 6 BCBS; 7 managed care, public or private
 * unspecified; 8 no payment (81 self-pay, 82 no charge …); 9 miscellaneous (99 = no typology code
 * available, read as unknown).
 */
export function payerCategoryOfSopt(code: string): PayerCategory | 'unknown' | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  if (code === '99') return 'unknown';
  switch (code[0]) {
    case '1':
      return 'medicare';
    case '2':
      return 'medicaid';
    case '3':
    case '4':
      return 'other-government';
    case '5':
    case '6':
      return 'commercial';
    case '8':
      return 'uninsured-self-pay';
    case '7':
    case '9':
      return 'other';
    default:
      return undefined;
  }
}

export interface RecordedPayer {
  /** The payer for strata: lowest Coverage.order, else PAYER_CATEGORIES precedence. */
  primary: PayerCategory;
  /** Every payer of the period, in precedence order (the eCQM SDE reports them all). */
  all: PayerCategory[];
  /** Medicare and Medicaid in the same period. */
  dualEligible: boolean;
}

export interface PayerPeriod {
  /** 'YYYY-MM-DD' or a dateTime, inclusive. */
  start: string;
  end: string;
}

export interface ReadPayerOptions {
  /**
   * What no active Coverage in the period means. Default `not-collected`: an EHR without payer
   * data looks the same as an uninsured patient, so calling it uninsured would be a guess. Pass
   * `uninsured-self-pay` where the source is known to record every coverage (a payer's claims).
   */
  noCoverage?: 'not-collected' | 'uninsured-self-pay';
}

const endOfDay = (text: string): number | null => {
  const ms = parseDateTime(text);
  return ms === null ? null : text.length <= 10 ? ms + 86_400_000 - 1 : ms;
};

function overlaps(coverage: fhir4.Coverage, from: number, to: number): boolean {
  const start = coverage.period?.start === undefined ? null : parseDateTime(coverage.period.start);
  const end = coverage.period?.end === undefined ? null : endOfDay(coverage.period.end);
  return (start === null || start <= to) && (end === null || end >= from);
}

/** The patient's payer in the period, from their Coverage resources. */
export function readPayer(
  coverages: readonly fhir4.Coverage[],
  period: PayerPeriod,
  options: ReadPayerOptions = {},
): Reading<RecordedPayer> {
  const from = parseDateTime(period.start);
  const to = endOfDay(period.end);
  if (from === null || to === null) throw new RangeError('readPayer: period needs start and end');
  const notes: DataQualityNote[] = [];
  const found: { category: PayerCategory; order: number }[] = [];
  let unknown = 0;
  const inPeriod = coverages.filter((c) => c.status === 'active' && overlaps(c, from, to));
  for (const coverage of inPeriod) {
    const codes = (coverage.type?.coding ?? []).filter(
      (c) => c.code !== undefined && SOPT_SYSTEMS.includes(c.system ?? ''),
    );
    const category = codes
      .map((c) => payerCategoryOfSopt(c.code ?? ''))
      .find((x) => x !== undefined);
    if (category === undefined || category === 'unknown') {
      unknown += 1;
      notes.push({
        issue: 'no-payer-typology',
        detail: `Coverage/${coverage.id ?? '?'} type ${
          (coverage.type?.coding ?? [])
            .map((c) => `${c.system ?? ''}|${c.code ?? ''}`)
            .join(', ') ||
          (coverage.type?.text ?? '(none)')
        }`,
      });
      continue;
    }
    found.push({ category, order: coverage.order ?? Number.POSITIVE_INFINITY });
  }
  if (found.length === 0) {
    if (inPeriod.length > 0 || unknown > 0) return absent('unknown', notes);
    return options.noCoverage === 'uninsured-self-pay'
      ? recorded({
          primary: 'uninsured-self-pay',
          all: ['uninsured-self-pay'],
          dualEligible: false,
        })
      : absent('not-collected', notes);
  }
  const rank = (c: PayerCategory): number => PAYER_CATEGORIES.indexOf(c);
  found.sort((a, b) => a.order - b.order || rank(a.category) - rank(b.category));
  const all = PAYER_CATEGORIES.filter((c) => found.some((f) => f.category === c));
  const insured = found.filter((f) => f.category !== 'uninsured-self-pay');
  const primary = (insured[0] ?? found[0])?.category ?? 'other';
  if (insured.length > 0 && insured.length < found.length) {
    notes.push({
      issue: 'conflicting-values',
      detail: 'self-pay and insurance in the same period; the insurance is read',
    });
  }
  return recorded(
    { primary, all, dualEligible: all.includes('medicare') && all.includes('medicaid') },
    notes,
  );
}
