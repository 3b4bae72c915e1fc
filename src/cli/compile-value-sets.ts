// `compile-value-sets <package folder> [--out <file>] [--as-of <dateTime>] [--check]`: compiles
// the codes of every value set in the official eCQM package (each `valuesets.json` beside its
// `measure.json`) into the file the app ships,
// src/measures/value-set-expansions/ecqm-2026.json. The compile itself is pure
// (src/measures/compiled-value-sets.ts); this file reads and writes. Reruns give the same bytes.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  compileValueSets,
  serializeCompiledValueSets,
  type CompileOptions,
  type CompileSource,
} from '../measures/compiled-value-sets';

/** The compiled file the app imports. */
export const SHIPPED_FILE = fileURLToPath(
  new URL('../measures/value-set-expansions/ecqm-2026.json', import.meta.url),
);

// The package folder is an argument, never a default: the CLI reads nothing outside the project
// unless told to. `npm run compile:valuesets` (a maintainer's script) passes the team's copy.
const USAGE = `Usage: tsx src/cli/compile-value-sets.ts <package folder> [--out <file>] [--as-of <dateTime>] [--check]
   or: npm run compile:valuesets [-- --check]   (the official package in ../shared/data/ecqm-2026)

  <package folder>   an official eCQM package: every folder under it holding a valuesets.json
                     and its measure.json is compiled
  --out <file>       where to write (default: src/measures/value-set-expansions/ecqm-2026.json)
  --as-of <dateTime> the date the compile stands for (default: the newest valuesets.json
                     Bundle.timestamp, so reruns give the same bytes)
  --check            write nothing; exit 1 when the file differs from a fresh compile`;

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Every folder under `root` (itself included) with a valuesets.json, with its measure.json. */
export function readCompileSources(root: string): CompileSource[] {
  const sources: CompileSource[] = [];
  const visit = (folder: string): void => {
    const names = readdirSync(folder).sort();
    if (names.includes('valuesets.json')) {
      const name = relative(root, folder).split(sep).join('/') || '.';
      if (!names.includes('measure.json'))
        throw new Error(`${name}: valuesets.json without measure.json (provenance unknown)`);
      sources.push({
        folder: name,
        measure: readJson(join(folder, 'measure.json')),
        valueSets: readJson(join(folder, 'valuesets.json')),
      });
    }
    for (const child of names) {
      const path = join(folder, child);
      if (statSync(path).isDirectory()) visit(path);
    }
  };
  visit(root);
  if (sources.length === 0) throw new Error(`no valuesets.json under ${root}`);
  return sources;
}

/** The bytes of the compiled file for the package at `root`, and the compiler's warnings. */
export function compilePackage(
  root: string,
  options: CompileOptions = {},
): { text: string; warnings: string[] } {
  const { compiled, warnings } = compileValueSets(readCompileSources(root), options);
  return { text: serializeCompiledValueSets(compiled), warnings };
}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function compileValueSetsCommand(
  argv: readonly string[],
  io: Io = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
): number {
  let root: string | undefined;
  let out = SHIPPED_FILE;
  let check = false;
  const options: CompileOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (arg === '--check') check = true;
    else if ((arg === '--out' || arg === '--as-of') && value !== undefined) {
      if (arg === '--out') out = resolve(value);
      else if (Number.isNaN(Date.parse(value))) {
        io.stderr(`compile-value-sets: --as-of ${value} is not a date\n\n${USAGE}\n`);
        return 2;
      } else options.asOf = value;
      i += 1;
    } else if (arg !== undefined && !arg.startsWith('--')) root = resolve(arg);
    else {
      io.stderr(`compile-value-sets: unexpected ${arg ?? ''}\n\n${USAGE}\n`);
      return 2;
    }
  }
  if (root === undefined) {
    io.stderr(`compile-value-sets: name the official package folder\n\n${USAGE}\n`);
    return 2;
  }
  let result: { text: string; warnings: string[] };
  try {
    result = compilePackage(root, options);
  } catch (error) {
    io.stderr(`compile-value-sets: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  for (const warning of result.warnings) io.stderr(`compile-value-sets: ${warning}\n`);
  const bytes = Buffer.from(result.text, 'utf8');
  const sizes = `${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`;
  if (check) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      // A missing file is out of date like any other.
    }
    if (current !== result.text) {
      io.stderr(`compile-value-sets: ${out} is out of date: run npm run compile:valuesets\n`);
      return 1;
    }
    io.stderr(`compile-value-sets: ${out} is up to date (${sizes})\n`);
    return 0;
  }
  writeFileSync(out, result.text);
  io.stderr(`compile-value-sets: wrote ${out} (${sizes})\n`);
  return 0;
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(resolve(invoked)).href)
  process.exitCode = compileValueSetsCommand(process.argv.slice(2));
