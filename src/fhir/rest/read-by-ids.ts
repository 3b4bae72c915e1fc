// Loads resources of one type by id: `Type?_id=a,b,c` in chunks (R4 search.html: `_id` is a
// token parameter, so a comma is OR), checking that every id came back, and reads
// (`GET Type/id`) for the ids a chunk did not return or when `_id` lists do not work at all.
// SMART v2 scopes separate read (`.r`) from search (`.s`), so a forbidden search still tries reads.

import type { LoadContext } from './load-context';
import { recordFailure, runPool, searchPages } from './load-context';
import { isResource } from './ndjson';
import { chunkByLength, describeIdSearch, describeRead, searchPath } from './query-urls';

/** `Type/id`, `[base]/Type/id` or `Type/id/_history/n` → id, when it names `type`. */
export function referenceId(reference: string, type: string): string | undefined {
  const match = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
    reference.trim(),
  );
  if (!match || match[1] !== type) return undefined;
  return match[2];
}

/** Statuses that say "this server cannot search `_id` lists", as opposed to "it is down". */
const searchUnsupported = new Set([400, 403, 404, 405, 422, 501]);

export interface ReadByIdsOptions {
  /** Marks the chunks' first pages as planned in `pagesTotal`. */
  planned: boolean;
}

/**
 * Emits each resource of `type` named in `ids` (distinct), recording a failure for those that
 * cannot be loaded. Returns the ids that could not be loaded.
 */
export async function readByIds(
  ctx: LoadContext,
  type: string,
  ids: readonly string[],
  options: ReadByIdsOptions,
): Promise<Set<string>> {
  const distinct = [...new Set(ids)];
  const { tuning } = ctx;
  const fixed = `${ctx.http.baseUrl}/${type}?_id=&_count=${tuning.maxIdsPerQuery}`.length;
  const chunks = chunkByLength(distinct, tuning.maxUrlLength - fixed, tuning.maxIdsPerQuery);
  if (options.planned) ctx.tracker.addPagesTotal(chunks.length);
  const missing = new Set<string>();
  let listsWork = true;

  const readOne = async (id: string): Promise<void> => {
    const response = await ctx.http.getJson(ctx.http.url(`${type}/${encodeURIComponent(id)}`));
    if (response.ok && isResource(response.value) && response.value.resourceType === type) {
      ctx.emit([response.value]);
      return;
    }
    missing.add(id);
    recordFailure(
      ctx,
      response.ok
        ? { ok: false, status: response.status, message: `The response was not a ${type}.` }
        : response,
      describeRead(type),
      type,
    );
  };

  await runPool(chunks, ctx.http, async (chunk) => {
    if (!listsWork) {
      if (options.planned) ctx.tracker.addPagesTotal(-1);
      await runPool(chunk, ctx.http, readOne);
      return;
    }
    const wanted = new Set(chunk);
    const found = new Set<string>();
    const path = searchPath(type, [
      ['_id', chunk.join(',')],
      ['_count', String(Math.min(tuning.pageSize, Math.max(chunk.length, 1)))],
    ]);
    const paging = await searchPages(
      ctx,
      ctx.http.url(path),
      { firstPagePlanned: options.planned },
      (resources) => {
        const mine = resources.filter(
          (resource) =>
            resource.resourceType === type &&
            resource.id !== undefined &&
            wanted.has(resource.id) &&
            !found.has(resource.id),
        );
        for (const resource of mine) if (resource.id !== undefined) found.add(resource.id);
        ctx.emit(mine);
      },
    );
    if (paging.failure !== undefined && !paging.failedFirst) {
      recordFailure(ctx, paging.failure, describeIdSearch(type, chunk.length), type);
    }
    if (paging.failure !== undefined && paging.failedFirst) {
      const status = paging.failure.status;
      if (status === undefined || !searchUnsupported.has(status)) {
        // The server is failing, not refusing lists: reads would fail the same way.
        for (const id of chunk) missing.add(id);
        recordFailure(ctx, paging.failure, describeIdSearch(type, chunk.length), type);
        return;
      }
      listsWork = false;
    } else if (found.size === 0 && chunk.length > 1) {
      // Nothing of a multi-id list came back: the server most likely ignores or misreads lists.
      listsWork = false;
    }
    const left = chunk.filter((id) => !found.has(id));
    await runPool(left, ctx.http, readOne);
  });
  return missing;
}
