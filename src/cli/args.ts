// Command-line arguments of `equity-lens`, parsed into a closed union: options or an error that
// the caller prints with the usage text.

import type { ReportPeriod } from '../measures/measure-report';
import type { ClinicalMeasureId } from '../measures/measure-result';
import { isClinicalMeasureId } from '../worker/protocol';
import {
  DEMOGRAPHIC_STRATIFIER_IDS,
  isDemographicStratifierId,
} from '../analysis/demographic-strata';
import type { DemographicStratifierId } from '../analysis/demographic-strata';

export type ReportKind = 'individual' | 'summary';
export type StratifierId = 'gender' | 'age' | DemographicStratifierId;

export const STRATIFIER_IDS: readonly StratifierId[] = [
  'gender',
  'age',
  ...DEMOGRAPHIC_STRATIFIER_IDS,
];

const isStratifierId = (text: string): text is StratifierId =>
  text === 'gender' || text === 'age' || isDemographicStratifierId(text);

export interface EvaluateOptions {
  command: 'evaluate';
  input: string;
  period: ReportPeriod;
  measures: ClinicalMeasureId[];
  report: ReportKind;
  stratify: StratifierId[];
  /** Output file; stdout when absent. */
  out?: string;
  /** Folder (searched recursively for valuesets.json) or file of value-set expansions. */
  valueSets?: string;
  /** Summary reports withhold small cells (CMS cell-size policy) unless this is false. */
  suppression: boolean;
}

export type ParsedArgs =
  | { kind: 'evaluate'; options: EvaluateOptions }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: equity-lens evaluate --input <folder> --period <start>..<end> --measures <ids>
                          --report individual|summary [--stratify <list>] [--out <file>]
                          [--valuesets <path>] [--no-suppression]

Evaluates clinical quality measures over a folder of FHIR R4 data and writes MeasureReports.

  --input <folder>     read recursively: FHIR Bundles or single resources (*.json, *.json.gz)
                       and Bulk FHIR NDJSON (*.ndjson, *.ndjson.gz); a patient's resources may
                       be spread over several files; other files and unused resource types
                       are ignored
  --period <a>..<b>    measurement period, dates YYYY-MM-DD, e.g. 2026-01-01..2026-12-31
  --measures <ids>     comma-separated: CMS122, CMS165, CMS125, CMS130, CMS2 (or "all")
  --report individual  NDJSON: one MeasureReport (type individual) per patient per measure
  --report summary     JSON: a Bundle (type collection) with one summary MeasureReport per measure
  --stratify <list>    summary only, comma-separated, one stratifier each:
                         gender              Patient.gender (administrative gender)
                         age                 age band at the period end
                         race                OMB race alone; "Two or more races" together
                         ethnicity           OMB ethnicity (Hispanic or Latino or not)
                         spd15               2024 SPD 15 combined race/ethnicity categories
                         language            preferred language (Patient.communication)
                         interpreter         interpreter needed
                         sex                 us-core-individual-sex, else us-core-sex
                         sexual-orientation  latest Observation LOINC 76690-7
                         gender-identity     latest Observation LOINC 76691-5, else extension
                         payer               primary payer (Source of Payment Typology) of
                                             active Coverage overlapping the period; no such
                                             Coverage is "Not collected", never "uninsured"
                       Demographic strata include "Asked but declined", "Unknown" and "Not
                       collected" for patients without a usable value; no patient is dropped.
                       Summary counts are suppressed (CMS cell-size policy): counts of 1-10
                       are withheld, and more counts (complementary suppression) so that none
                       can be worked out from the totals, the other strata or the other
                       populations; a table with a grand total under 30 is withheld whole. A
                       withheld count has no "count" but "_count" with data-absent-reason
                       "masked" and the project extension
                       https://equity-lens.example/fhir/StructureDefinition/suppression-reason
                       (small-cell, complementary or table-too-small); a score computed from
                       one is omitted and its group or stratum carries the project extension
                       .../StructureDefinition/measure-score-suppressed with the reason.
                       Individual reports are patient-level data and are never suppressed.
  --no-suppression     summary: write raw counts, small cells included (internal QA only;
                       not for publication or sharing)
  --out <file>         write there instead of standard output
  --valuesets <path>   official value-set expansions instead of the compiled ones shipped with
                       the app (src/measures/value-set-expansions, from the 2026 eCQM package):
                       a valuesets.json file, or a folder searched recursively for them
  --help               show this text

Progress, skipped input (file and line), a summary of what was read and the peak memory go to
standard error; unreadable files and lines are skipped, not fatal. Exit code 0 on success,
2 on bad arguments (with this text), 1 when the output cannot be written.`;

const ALL_MEASURES: ClinicalMeasureId[] = ['CMS122', 'CMS165', 'CMS125', 'CMS130', 'CMS2'];
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

export function parsePeriod(text: string): ReportPeriod | string {
  const [start, end, ...rest] = text.split('..');
  if (start === undefined || end === undefined || rest.length > 0)
    return `--period must be <start>..<end>, got "${text}"`;
  if (!isRealDate(start) || !isRealDate(end))
    return `--period dates must be YYYY-MM-DD, got "${text}"`;
  if (start > end) return `--period starts after it ends: "${text}"`;
  return { start, end };
}

const FLAGS = new Set([
  '--input',
  '--period',
  '--measures',
  '--report',
  '--stratify',
  '--out',
  '--valuesets',
]);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const [command, ...args] = argv;
  const rest = args.filter((a) => a !== '--no-suppression');
  const suppressionFlags = args.length - rest.length;
  if (suppressionFlags > 1) return { kind: 'error', message: '--no-suppression given twice' };
  if (command === undefined) return { kind: 'error', message: 'missing command "evaluate"' };
  if (command !== 'evaluate') return { kind: 'error', message: `unknown command "${command}"` };

  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (!FLAGS.has(flag)) return { kind: 'error', message: `unknown argument "${arg}"` };
    const value = inline ?? rest[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--')))
      return { kind: 'error', message: `${flag} needs a value` };
    if (values.has(flag)) return { kind: 'error', message: `${flag} given twice` };
    values.set(flag, value);
  }

  const input = values.get('--input');
  if (input === undefined) return { kind: 'error', message: 'missing --input <folder>' };
  const periodText = values.get('--period');
  if (periodText === undefined)
    return { kind: 'error', message: 'missing --period <start>..<end>' };
  const period = parsePeriod(periodText);
  if (typeof period === 'string') return { kind: 'error', message: period };

  const measuresText = values.get('--measures');
  if (measuresText === undefined) return { kind: 'error', message: 'missing --measures <ids>' };
  const measureTexts = measuresText.split(',').map((m) => m.trim().toUpperCase());
  let measures: ClinicalMeasureId[];
  if (measureTexts.length === 1 && measureTexts[0] === 'ALL') measures = [...ALL_MEASURES];
  else {
    const bad = measureTexts.filter((m) => !isClinicalMeasureId(m));
    if (bad.length > 0)
      return {
        kind: 'error',
        message: `unknown measure ${bad.map((b) => `"${b}"`).join(', ')} (known: ${ALL_MEASURES.join(', ')})`,
      };
    measures = [...new Set(measureTexts.filter(isClinicalMeasureId))];
  }

  const report = values.get('--report');
  if (report === undefined)
    return { kind: 'error', message: 'missing --report individual|summary' };
  if (report !== 'individual' && report !== 'summary')
    return { kind: 'error', message: `--report must be individual or summary, got "${report}"` };

  const stratify: StratifierId[] = [];
  const stratifyText = values.get('--stratify');
  if (stratifyText !== undefined) {
    if (report !== 'summary')
      return { kind: 'error', message: '--stratify applies to --report summary only' };
    for (const s of stratifyText.split(',').map((t) => t.trim().toLowerCase())) {
      if (!isStratifierId(s))
        return {
          kind: 'error',
          message: `unknown stratifier "${s}" (known: ${STRATIFIER_IDS.join(', ')})`,
        };
      if (!stratify.includes(s)) stratify.push(s);
    }
  }

  if (suppressionFlags > 0 && report !== 'summary')
    return { kind: 'error', message: '--no-suppression applies to --report summary only' };

  const out = values.get('--out');
  const valueSets = values.get('--valuesets');
  return {
    kind: 'evaluate',
    options: {
      command: 'evaluate',
      input,
      period,
      measures,
      report,
      stratify,
      suppression: suppressionFlags === 0,
      ...(out === undefined ? {} : { out }),
      ...(valueSets === undefined ? {} : { valueSets }),
    },
  };
}
