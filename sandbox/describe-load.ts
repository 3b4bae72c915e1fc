import type { LoadProblem } from './fhir/load';
import type { RunningSandbox } from './server';

const MAX_LISTED = 20;

function where(problem: LoadProblem): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}`;
  if (problem.entry !== undefined) return `${problem.file} entry ${problem.entry}`;
  return problem.file;
}

/** What the sandbox loaded from data folders, for the terminal: counts and what it skipped. */
export function describeLoad(sandbox: RunningSandbox): string[] {
  const lines: string[] = [];
  for (const { folder, report } of sandbox.loadReports) {
    const total = Object.values(report.resources).reduce((a, b) => a + b, 0);
    const patients = report.resources.Patient ?? 0;
    lines.push(
      `Loaded ${folder}: ${report.files} files, ${total} resources (${patients} patients).`,
    );
    for (const problem of report.problems.slice(0, MAX_LISTED)) {
      lines.push(`  skipped ${where(problem)}: ${problem.reason}`);
    }
    if (report.problems.length > MAX_LISTED) {
      lines.push(`  … and ${report.problems.length - MAX_LISTED} more problems.`);
    }
    if (report.unresolvedCount > 0) {
      lines.push(`  ${report.unresolvedCount} references point at nothing loaded.`);
    }
  }
  return lines;
}
