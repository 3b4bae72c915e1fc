import type { RunningSandbox } from './server';

/** What the sandbox holds, for the terminal: counts per type and any files it skipped. */
export function describeLoad(sandbox: RunningSandbox): string[] {
  const lines: string[] = [];
  for (const report of sandbox.loadReports) {
    lines.push(
      `Loaded ${report.folder}: ${report.filesRead} files, ${report.resourcesLoaded} resources.`,
    );
    for (const problem of report.problems.slice(0, 20)) lines.push(`  skipped ${problem}`);
    if (report.problems.length > 20)
      lines.push(`  … and ${report.problems.length - 20} more problems.`);
  }
  return lines;
}
