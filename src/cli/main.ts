// `equity-lens evaluate`: measures over a folder of FHIR data, written as MeasureReports.
// Reads every file once, streaming each resource into the engine's record builder (which groups
// by patient across files and keeps compact records, not raw JSON), then evaluates each record
// and streams the reports out. Demographic stratifiers keep only the few resources their readers
// need, per patient, and turn them into stratum labels once the read is done.

import { createWriteStream, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import {
  addToSummaryTally,
  ageBandStratifier,
  createSummaryTally,
  genderStratifier,
  individualMeasureReport,
  summaryReportFromTally,
  type ReportStratifier,
  type StratificationFacts,
  type SummaryTally,
} from '../measures/measure-report';
import { clinicalEngineFor, shippedClinicalEngine } from '../worker/clinical-engine';
import type { EngineMeasure, MeasureEngine } from '../worker/measure-engine';
import { stratificationFactsOfRecord } from '../analysis/panel-strata';
import { USAGE, parseArgs, type EvaluateOptions } from './args';
import { DemographicStrata, isDemographicStratifierId } from '../analysis/demographic-strata';
import { addMember, suppressSummaryReport, type SummaryMembers } from './suppress-summary';
import { emptyReadStats, listInputFiles, readResources, type ReadStats } from './read-input';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
}

export interface CliSettings {
  engine?: MeasureEngine;
  /** Report `date`; defaults to the clock (the CLI is the edge, the builders stay pure). */
  now?: () => Date;
}

const PROGRESS_EVERY = 10_000;

function valueSetFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      if (statSync(child).isDirectory()) return valueSetFiles(child);
      return name === 'valuesets.json' ? [child] : [];
    });
}

/**
 * The engine over the official value sets at `path` (--valuesets), else over the compiled ones
 * shipped with the app (src/measures/compiled-value-sets.ts); or a message saying why there is none.
 */
async function loadEngine(path: string | undefined): Promise<MeasureEngine | string> {
  if (path === undefined) {
    try {
      return await shippedClinicalEngine();
    } catch (error) {
      return `the shipped value sets: ${errorText(error)}`;
    }
  }
  try {
    const files = valueSetFiles(path);
    if (files.length === 0) return `--valuesets ${path}: no valuesets.json found`;
    return clinicalEngineFor(files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown));
  } catch (error) {
    return `--valuesets ${path}: ${errorText(error)}`;
  }
}

class MemoryPeak {
  rss = 0;
  heapUsed = 0;
  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heapUsed) this.heapUsed = m.heapUsed;
  }
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function formatCounts(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
  settings: CliSettings = {},
): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      await write(io.stdout, `${USAGE}\n`);
      return 0;
    case 'error':
      await write(io.stderr, `equity-lens: ${parsed.message}\n\n${USAGE}\n`);
      return 2;
    case 'evaluate':
      return evaluate(parsed.options, io, settings);
  }
}

interface RunCounts {
  ignoredType: Map<string, number>;
  ignoredNoPatient: Map<string, number>;
  unreadable: Map<string, number>;
  patients: number;
  evaluationFailures: number;
  reports: number;
}

async function evaluate(
  options: EvaluateOptions,
  io: CliIo,
  settings: CliSettings,
): Promise<number> {
  const loaded = settings.engine ?? (await loadEngine(options.valueSets));
  if (typeof loaded === 'string') {
    await write(io.stderr, `equity-lens: ${loaded}\n\n${USAGE}\n`);
    return 2;
  }
  const engine = loaded;
  const warn = (message: string) => io.stderr.write(`equity-lens: ${message}\n`);
  const root = resolve(options.input);
  try {
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    await write(
      io.stderr,
      `equity-lens: --input ${options.input}: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`,
    );
    return 2;
  }
  const measures = options.measures.map((id) => engine.measures.find((m) => m.id === id));
  const missing = options.measures.filter((_, i) => measures[i] === undefined);
  if (missing.length > 0) {
    await write(io.stderr, `equity-lens: the engine has no measure ${missing.join(', ')}\n`);
    return 2;
  }
  const selected = measures.filter((m): m is EngineMeasure => m !== undefined);

  let out: Writable = io.stdout;
  if (options.out !== undefined) {
    try {
      // Open eagerly so a bad path fails before any work, with its own message.
      const fd = openSync(options.out, 'w');
      out = createWriteStream(options.out, { fd });
    } catch (error) {
      await write(
        io.stderr,
        `equity-lens: cannot write --out ${options.out}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
  }

  const peak = new MemoryPeak();
  const files = listInputFiles(root);
  if (files.length === 0) warn(`no .json, .json.gz, .ndjson or .ndjson.gz files in ${root}`);

  const stats: ReadStats = emptyReadStats();
  const counts: RunCounts = {
    ignoredType: new Map(),
    ignoredNoPatient: new Map(),
    unreadable: new Map(),
    patients: 0,
    evaluationFailures: 0,
    reports: 0,
  };
  const date = (settings.now?.() ?? new Date()).toISOString();
  const facts = new Map<string, StratificationFacts>();
  const factsOf = (id: string) => facts.get(id);
  // Demographic stratifiers read raw resources: the few they need are kept while reading.
  const demographics = new DemographicStrata(options.stratify.filter(isDemographicStratifierId), {
    period: options.period,
  });
  const demographicStratifiers = demographics.stratifiers();
  const stratifiers: ReportStratifier[] = options.stratify.map((s) => {
    if (s === 'gender') return genderStratifier(factsOf);
    if (s === 'age') return ageBandStratifier(factsOf, options.period.end);
    const stratifier = demographicStratifiers[demographics.ids.indexOf(s)];
    if (stratifier === undefined) throw new Error(`no stratifier ${s}`);
    return stratifier;
  });
  const tallies = new Map<string, SummaryTally>(
    selected.map((m) => [m.id, createSummaryTally(m, stratifiers)]),
  );
  // Who is in which population, per measure: the suppression engine works on patient sets.
  const suppress = options.report === 'summary' && options.suppression;
  const members = new Map<string, SummaryMembers>(
    suppress ? selected.map((m) => [m.id, new Map()]) : [],
  );

  try {
    const builder = engine.createRecordBuilder();
    let read = 0;
    for await (const item of readResources(root, files, stats, warn)) {
      if (++read % 5000 === 0) peak.sample();
      demographics.collect(item.resource, item.patientId);
      const type = item.resource.resourceType;
      if (!engine.resourceTypes.has(type)) bump(counts.ignoredType, type);
      // Medications belong to no patient: MedicationRequest.medicationReference points at them.
      else if (item.patientId === undefined && type !== 'Medication')
        bump(counts.ignoredNoPatient, type);
      else {
        try {
          builder.add(item.resource);
        } catch (error) {
          // A resource the builder cannot read (e.g. a Coverage without its required beneficiary).
          bump(counts.unreadable, type);
          const where = item.location.line === undefined ? '' : `:${item.location.line}`;
          warn(`${item.location.file}${where}: skipped ${type}: ${errorText(error)}`);
        }
      }
    }
    peak.sample();
    demographics.finish();
    const missingMedications = builder.unresolvedMedicationReferences().length;
    if (missingMedications > 0)
      warn(
        `${missingMedications} Medication${missingMedications === 1 ? '' : 's'} referenced by MedicationRequests ${missingMedications === 1 ? 'is' : 'are'} not in the input: those requests have no drug code`,
      );
    const records = builder.build();
    peak.sample();

    for (const record of records) {
      counts.patients += 1;
      if (counts.patients % 1000 === 0) peak.sample();
      if (counts.patients % PROGRESS_EVERY === 0) warn(`${counts.patients} patients evaluated`);
      if (options.report === 'summary') facts.set(record.id, stratificationFactsOfRecord(record));
      for (const measure of selected) {
        let result;
        try {
          result = engine.evaluate(measure.id, record, options.period);
        } catch (error) {
          counts.evaluationFailures += 1;
          warn(`Patient/${record.id} ${measure.id}: not evaluated: ${errorText(error)}`);
          continue;
        }
        if (options.report === 'individual') {
          const report = individualMeasureReport({ measure, result, period: options.period, date });
          await write(out, `${JSON.stringify(report)}\n`);
          counts.reports += 1;
        } else {
          const tally = tallies.get(measure.id);
          if (tally) addToSummaryTally(tally, result);
          const memberSet = members.get(measure.id);
          if (memberSet) addMember(memberSet, result);
        }
      }
    }
    peak.sample();

    if (options.report === 'summary') {
      const bundle: fhir4.Bundle = {
        resourceType: 'Bundle',
        type: 'collection',
        timestamp: date,
        entry: [...tallies.values()].map((tally) => {
          const report = summaryReportFromTally(tally, { period: options.period, date });
          const memberSet = members.get(tally.measure.id);
          return {
            resource: memberSet ? suppressSummaryReport(report, tally, memberSet) : report,
          };
        }),
      };
      counts.reports = bundle.entry?.length ?? 0;
      await write(out, `${JSON.stringify(bundle, null, 2)}\n`);
    }
  } finally {
    if (out !== io.stdout) {
      out.end();
      await once(out, 'finish');
    }
  }

  peak.sample();
  await write(io.stderr, summaryText(options, stats, counts, peak, demographics));
  return 0;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function summaryText(
  options: EvaluateOptions,
  stats: ReadStats,
  counts: RunCounts,
  peak: MemoryPeak,
  demographics: DemographicStrata,
): string {
  const used = new Map(stats.resourcesByType);
  for (const type of counts.ignoredType.keys()) used.delete(type);
  for (const skipped of [counts.ignoredNoPatient, counts.unreadable])
    for (const [type, n] of skipped) used.set(type, (used.get(type) ?? 0) - n);
  for (const [type, n] of used) if (n <= 0) used.delete(type);
  const lines = [
    `equity-lens: summary`,
    `  files: ${stats.filesRead} read, ${stats.filesSkipped} skipped; NDJSON lines skipped: ${stats.linesSkipped}`,
    `  resources used by type: ${formatCounts(used) || 'none'}`,
    `  resources ignored by type (not read by the measures): ${formatCounts(counts.ignoredType) || 'none'}`,
    `  resources ignored by type (no patient reference): ${formatCounts(counts.ignoredNoPatient) || 'none'}`,
    `  resources skipped as unreadable: ${formatCounts(counts.unreadable) || 'none'}`,
    `  patients: ${counts.patients} evaluated for ${options.measures.join(', ')}` +
      (counts.evaluationFailures > 0 ? `; ${counts.evaluationFailures} evaluations failed` : ''),
    ...(demographics.ids.length === 0
      ? []
      : [
          `  demographic strata (${demographics.ids.join(', ')}): ${demographics.kept} resources kept for ${demographics.patients} patients, read once and dropped`,
        ]),
    `  wrote ${counts.reports} ${options.report} MeasureReport${counts.reports === 1 ? '' : 's'} to ${options.out ?? 'standard output'}`,
    `  peak memory: RSS ${mb(Math.max(peak.rss, process.resourceUsage().maxRSS * 1024))}, heap used ${mb(peak.heapUsed)}`,
  ];
  return `${lines.join('\n')}\n`;
}
