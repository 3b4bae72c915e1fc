// Counts what one load did (requests, pages, resources, failures) and reports progress to the
// caller at most every 100 ms, plus at each phase change and at the end.

import type { LoadFailure, LoadPhase, LoadProgress, LoadStrategy } from './panel-load-types';

const progressIntervalMs = 100;

export class LoadTracker {
  phase: LoadPhase = 'capabilities';
  strategy: LoadStrategy | undefined;
  patientsFound = 0;
  resources = 0;
  requests = 0;
  pagesDone = 0;
  /** Pages (and NDJSON files) of the current phase, where known. */
  pagesTotal: number | undefined;
  /** Pages of the whole load, for the report. */
  pages = 0;
  readonly failures: LoadFailure[] = [];
  private readonly onProgress: ((progress: LoadProgress) => void) | undefined;
  private lastEmitted = Number.NEGATIVE_INFINITY;

  constructor(onProgress: ((progress: LoadProgress) => void) | undefined) {
    this.onProgress = onProgress;
  }

  setPhase(phase: LoadPhase, pagesTotal: number | undefined): void {
    this.phase = phase;
    this.pagesDone = 0;
    this.pagesTotal = pagesTotal;
    this.emit(true);
  }

  /** Adds pages now known to be needed (a first page per query, a next link, a total). */
  addPagesTotal(pages: number): void {
    this.pagesTotal = (this.pagesTotal ?? 0) + pages;
  }

  request(): void {
    this.requests++;
    this.emit(false);
  }

  page(): void {
    this.pagesDone++;
    this.pages++;
    this.emit(false);
  }

  countResources(count: number): void {
    this.resources += count;
  }

  fail(failure: LoadFailure): void {
    this.failures.push(failure);
  }

  emit(force: boolean): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.lastEmitted < progressIntervalMs) return;
    this.lastEmitted = now;
    this.onProgress({
      phase: this.phase,
      strategy: this.strategy,
      patientsFound: this.patientsFound,
      resources: this.resources,
      requests: this.requests,
      pagesDone: this.pagesDone,
      pagesTotal:
        this.pagesTotal === undefined ? undefined : Math.max(this.pagesTotal, this.pagesDone),
    });
  }
}
