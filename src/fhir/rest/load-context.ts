// What every part of one load shares: the HTTP client (one concurrency limit), the tally, the
// server's capabilities and the caller's resource sink; plus the bounded task pool and the
// search pager (panel-loading.md §4: follow `next` as given, stop on a link already seen).

import type { ServerCapabilities } from './capabilities';
import type { FhirHttp, HttpFailure, Tuning } from './fhir-http';
import { ConsumerError } from './fhir-http';
import type { LoadTracker } from './load-tracker';
import { isResource } from './ndjson';
import type { LoadFailure } from './panel-load-types';

export interface LoadContext {
  http: FhirHttp;
  tracker: LoadTracker;
  tuning: Tuning;
  capabilities: ServerCapabilities;
  /** Plain-words notes on how the load went (the report's `strategyNotes`). */
  notes: string[];
  /** Hands resources to the caller and counts them. */
  emit: (resources: fhir4.FhirResource[]) => void;
}

/** Wraps the caller's `onResources` so its own errors are never taken for network errors. */
export function resourceSink(
  tracker: LoadTracker,
  onResources: (resources: fhir4.FhirResource[]) => void,
): (resources: fhir4.FhirResource[]) => void {
  return (resources) => {
    if (resources.length === 0) return;
    tracker.countResources(resources.length);
    try {
      onResources(resources);
    } catch (error) {
      throw new ConsumerError(error);
    }
  };
}

export function recordFailure(
  ctx: Pick<LoadContext, 'tracker'>,
  failure: HttpFailure,
  query: string,
  resourceType: string,
): void {
  const entry: LoadFailure = {
    query,
    status: failure.status,
    message: failure.message,
    resourceType,
  };
  ctx.tracker.fail(entry);
}

/**
 * Runs `work` over `items` with as many workers as the load's concurrency (the shared limiter
 * bounds requests in flight across nested pools). Items are pulled lazily, so a per-patient
 * plan of 100 000 searches never exists as 100 000 promises. The first thrown error stops the
 * pool.
 */
export async function runPool<T>(
  items: Iterable<T>,
  http: FhirHttp,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let stopped = false;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stopped) return;
      http.throwIfStopped();
      const next = iterator.next();
      if (next.done === true) return;
      try {
        await work(next.value);
      } catch (error) {
        stopped = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: http.concurrency }, worker));
}

export interface PagingResult {
  pages: number;
  /** The request that failed (the pages before it were delivered), if any. */
  failure: HttpFailure | undefined;
  /** Whether the failure was on the first page (nothing was delivered). */
  failedFirst: boolean;
  /** The page callback stopped while a next link remained. */
  stoppedEarly: boolean;
  /** A next link pointed at a page already fetched: paging stopped there. */
  looped: boolean;
}

export interface PagingOptions {
  /** True when the caller already counted this search's first page in `pagesTotal`. */
  firstPagePlanned: boolean;
}

function isBundle(value: unknown): value is fhir4.Bundle {
  return isResource(value) && value.resourceType === 'Bundle';
}

/** The resources of a searchset page (matches and includes; not the `outcome` entry). */
export function bundleResources(bundle: fhir4.Bundle): fhir4.FhirResource[] {
  const resources: fhir4.FhirResource[] = [];
  for (const entry of bundle.entry ?? []) {
    if (entry.search?.mode === 'outcome') continue;
    const resource: unknown = entry.resource;
    if (!isResource(resource) || resource.resourceType === 'OperationOutcome') continue;
    resources.push(resource);
  }
  return resources;
}

function nextLink(bundle: fhir4.Bundle, relativeTo: string): string | undefined {
  const next = bundle.link?.find((link) => link.relation === 'next')?.url;
  if (!next) return undefined;
  try {
    return new URL(next, relativeTo).href;
  } catch {
    return undefined;
  }
}

/**
 * Fetches a search and every page after it by following `link[next]` exactly as given (opaque
 * cursors; `_count` may have been lowered silently, so no arithmetic). Each page's resources go to
 * `onPage` and are then dropped; `onPage` returns false to stop. `first` is a URL, or a first page
 * already in hand (a batch entry).
 */
export async function searchPages(
  ctx: LoadContext,
  first: string | fhir4.Bundle,
  options: PagingOptions,
  onPage: (resources: fhir4.FhirResource[], bundle: fhir4.Bundle) => boolean | void,
): Promise<PagingResult> {
  const result: PagingResult = {
    pages: 0,
    failure: undefined,
    failedFirst: false,
    stoppedEarly: false,
    looped: false,
  };
  const seen = new Set<string>();
  let expected = 1;
  if (!options.firstPagePlanned) ctx.tracker.addPagesTotal(1);
  let url: string | undefined = typeof first === 'string' ? first : undefined;
  let inHand: fhir4.Bundle | undefined = typeof first === 'string' ? undefined : first;
  let base = url ?? `${ctx.http.baseUrl}/`;
  while (inHand !== undefined || url !== undefined) {
    let bundle: fhir4.Bundle;
    if (inHand !== undefined) {
      bundle = inHand;
      inHand = undefined;
    } else if (url !== undefined) {
      seen.add(url);
      base = url;
      const response = await ctx.http.getJson(url);
      if (!response.ok || !isBundle(response.value)) {
        result.failure = response.ok
          ? { ok: false, status: response.status, message: 'The response was not a Bundle.' }
          : response;
        result.failedFirst = result.pages === 0;
        ctx.tracker.addPagesTotal(-Math.max(0, expected - result.pages));
        return result;
      }
      bundle = response.value;
    } else {
      break;
    }
    result.pages++;
    ctx.tracker.page();
    const resources = bundleResources(bundle);
    const next = nextLink(bundle, base);
    if (result.pages === 1 && next !== undefined && typeof bundle.total === 'number') {
      const perPage = (bundle.entry ?? []).length;
      if (perPage > 0) {
        const estimate = Math.max(2, Math.ceil(bundle.total / perPage));
        ctx.tracker.addPagesTotal(estimate - expected);
        expected = estimate;
      }
    }
    if (next !== undefined && result.pages >= expected) {
      expected++;
      ctx.tracker.addPagesTotal(1);
    }
    const goOn = onPage(resources, bundle);
    if (next === undefined) break;
    if (goOn === false) {
      result.stoppedEarly = true;
      break;
    }
    if (seen.has(next)) {
      result.looped = true;
      break;
    }
    url = next;
  }
  // Pages promised by an estimate that the server did not deliver.
  if (expected > result.pages) ctx.tracker.addPagesTotal(result.pages - expected);
  return result;
}
