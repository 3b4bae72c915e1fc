// `npm run bench [-- --only engine,panel,patient] [-- --sizes 10000,100000] [-- --chunk 5000]
// [-- --panel-sizes 1000,10000]`. Sections: "engine" (below), "panel" and "patient" (Chromium
// against the sandbox, browser-bench.ts).
//
// Engine: how fast the measure engine runs
// over synthetic panels, against the cost of merely parsing the same FHIR JSON. Prints figures,
// never pass/fail (architecture.md: benchmarks are not timing tests).
//
// Per size: the sandbox generator's patients are serialised to one JSON string per resource (as
// NDJSON lines would be), then, chunk by chunk so 100,000 patients stay in memory bounds:
//   (a) JSON.parse over the strings,
//   (b) record building (the engine's streaming builder over the parsed resources),
//   (c) evaluating every registered clinical measure for every record.
// Generation and serialisation are not timed. "engine / parse" = (b + c) / a; the target is < 0.5.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatePatients } from '../../sandbox/generate/population';
import { clinicalEngineFor } from '../../src/worker/clinical-engine';
import type { MeasureEngine } from '../../src/worker/measure-engine';
import { runBrowserBench } from './browser-bench';

const ECQM = join(import.meta.dirname, '../../../shared/data/ecqm-2026');
const PERIOD = { start: '2026-01-01', end: '2026-12-31' };
const TODAY = '2026-12-31';
const SEED = 1;

interface Options {
  sizes: number[];
  chunk: number;
  /** Panel dashboard sizes in Chromium (browser-bench.ts). */
  panelSizes: number[];
  patientView: boolean;
  sections: Set<'engine' | 'panel' | 'patient'>;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const numbers = (text: string | undefined, fallback: number[]) =>
    text === undefined
      ? fallback
      : text.split(',').map((t) => {
          const n = Number(t.replace(/_/g, ''));
          if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive integer: ${t}`);
          return n;
        });
  return {
    sizes: numbers(value('--sizes'), [10_000, 100_000]),
    chunk: numbers(value('--chunk'), [5_000])[0] ?? 5_000,
    panelSizes: numbers(value('--panel-sizes'), [1_000, 10_000]),
    patientView: true,
    sections: sectionsOf(value('--only')),
  };
}

function sectionsOf(text: string | undefined): Options['sections'] {
  const all = ['engine', 'panel', 'patient'] as const;
  if (text === undefined) return new Set(all);
  const chosen = text.split(',').map((word) => {
    const section = all.find((name) => name === word);
    if (!section) throw new Error(`--only takes ${all.join(', ')}; got ${word}`);
    return section;
  });
  return new Set(chosen);
}

function loadEngine(): MeasureEngine {
  const sources = readdirSync(ECQM)
    .filter((f) => f.startsWith('CMS'))
    .map((f) => JSON.parse(readFileSync(join(ECQM, f, 'valuesets.json'), 'utf8')) as unknown);
  return clinicalEngineFor(sources);
}

class Peak {
  rss = 0;
  heap = 0;
  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }
}

interface Totals {
  patients: number;
  resources: number;
  jsonBytes: number;
  parseMs: number;
  buildMs: number;
  evaluateMs: Map<string, number>;
  inNumerator: Map<string, number>;
  inDenominator: Map<string, number>;
}

function runSize(engine: MeasureEngine, size: number, chunk: number, peak: Peak): Totals {
  const totals: Totals = {
    patients: 0,
    resources: 0,
    jsonBytes: 0,
    parseMs: 0,
    buildMs: 0,
    evaluateMs: new Map(engine.measures.map((m) => [m.id, 0])),
    inNumerator: new Map(engine.measures.map((m) => [m.id, 0])),
    inDenominator: new Map(engine.measures.map((m) => [m.id, 0])),
  };
  let lines: string[] = [];

  const flush = () => {
    if (lines.length === 0) return;
    let t = performance.now();
    const parsed = lines.map((line) => JSON.parse(line) as fhir4.FhirResource);
    totals.parseMs += performance.now() - t;
    lines = [];

    t = performance.now();
    const builder = engine.createRecordBuilder();
    for (const resource of parsed) builder.add(resource);
    const records = builder.build();
    totals.buildMs += performance.now() - t;
    peak.sample();

    for (const measure of engine.measures) {
      t = performance.now();
      let numerator = 0;
      let denominator = 0;
      for (const record of records) {
        const p = engine.evaluate(measure.id, record, PERIOD).populations;
        if (p.numerator) numerator += 1;
        if (p.denominator && !p.denominatorExclusion && !p.denominatorException) denominator += 1;
      }
      totals.evaluateMs.set(
        measure.id,
        (totals.evaluateMs.get(measure.id) ?? 0) + performance.now() - t,
      );
      totals.inNumerator.set(measure.id, (totals.inNumerator.get(measure.id) ?? 0) + numerator);
      totals.inDenominator.set(
        measure.id,
        (totals.inDenominator.get(measure.id) ?? 0) + denominator,
      );
    }
    peak.sample();
  };

  let inChunk = 0;
  for (const resources of generatePatients({ seed: SEED, patients: size, today: TODAY })) {
    for (const resource of resources) {
      const line = JSON.stringify(resource);
      totals.jsonBytes += line.length;
      lines.push(line);
    }
    totals.resources += resources.length;
    totals.patients += 1;
    if (++inChunk === chunk) {
      flush();
      inChunk = 0;
    }
  }
  flush();
  return totals;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (n: number, ms: number) =>
  ms > 0 ? `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s` : 'n/a';
const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-US')} MB`;

function report(size: number, totals: Totals, peak: Peak, engine: MeasureEngine): string {
  const evaluateMs = [...totals.evaluateMs.values()].reduce((a, b) => a + b, 0);
  const engineMs = totals.buildMs + evaluateMs;
  const lines = [
    `\n== ${size.toLocaleString('en-US')} patients (seed ${SEED}, today ${TODAY}, period ${PERIOD.start}..${PERIOD.end})`,
    `   ${totals.resources.toLocaleString('en-US')} resources, ${mb(totals.jsonBytes)} of JSON`,
    `   (a) JSON.parse        ${seconds(totals.parseMs).padStart(10)}  ${perSecond(totals.patients, totals.parseMs)} patients, ${perSecond(totals.resources, totals.parseMs)} resources`,
    `   (b) build records     ${seconds(totals.buildMs).padStart(10)}  ${perSecond(totals.patients, totals.buildMs)} patients`,
    `   (c) evaluate ${String(engine.measures.length).padEnd(2)} meas. ${seconds(evaluateMs).padStart(10)}  ${perSecond(totals.patients, evaluateMs)} patients`,
    ...engine.measures.map((m) => {
      const ms = totals.evaluateMs.get(m.id) ?? 0;
      const num = totals.inNumerator.get(m.id) ?? 0;
      const den = totals.inDenominator.get(m.id) ?? 0;
      return `       ${m.id.padEnd(7)}          ${seconds(ms).padStart(10)}  ${perSecond(totals.patients, ms)} patients; numerator ${num} / performance denominator ${den}`;
    }),
    `   engine (b + c)        ${seconds(engineMs).padStart(10)}  ${perSecond(totals.patients, engineMs)} patients`,
    `   engine / parse ratio  ${(engineMs / totals.parseMs).toFixed(2).padStart(10)}  (target < 0.5; build / parse ${(totals.buildMs / totals.parseMs).toFixed(2)}, evaluate / parse ${(evaluateMs / totals.parseMs).toFixed(2)})`,
    `   peak memory           RSS ${mb(Math.max(peak.rss, process.resourceUsage().maxRSS * 1024))}, heap used ${mb(peak.heap)}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.sections.has('engine')) runEngineSection(options);
  if (options.sections.has('panel') || options.sections.has('patient')) {
    await runBrowserBench({
      panelSizes: options.sections.has('panel') ? options.panelSizes : [],
      patientView: options.sections.has('patient'),
    });
  }
}

function runEngineSection(options: Options): void {
  const engine = loadEngine();
  console.log(
    `Equity Lens bench: measures ${engine.measures.map((m) => m.id).join(', ')}; chunks of ${options.chunk.toLocaleString('en-US')} patients; Node ${process.version}`,
  );
  for (const size of options.sizes) {
    const peak = new Peak();
    const started = performance.now();
    const totals = runSize(engine, size, options.chunk, peak);
    console.log(report(size, totals, peak, engine));
    console.log(`   wall time (incl. generation) ${seconds(performance.now() - started)}`);
  }
}

await main();
