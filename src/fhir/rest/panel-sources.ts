// Finding the panel's patients (panel-loading.md §3 "Choosing the panel"). Searches that return
// Patients hand them on as they arrive; sources that name ids only (Encounter subjects, Group
// members, List entries) return the ids, and the Patients are loaded later (or come with a
// Group export).

import { declaresSearchParam } from './capabilities';
import type { HttpFailure } from './fhir-http';
import type { LoadContext } from './load-context';
import { recordFailure, searchPages } from './load-context';
import { isResource } from './ndjson';
import type {
  EmptySource,
  PanelLoadErrorKind,
  PanelSource,
  PanelSourceKind,
} from './panel-load-types';
import { PanelLoadError } from './panel-load-types';
import { searchPath } from './query-urls';
import { referenceId } from './read-by-ids';

export interface FoundPatients {
  /** Distinct patient ids, in the order found. */
  ids: string[];
  /** True when the Patient resources were already handed to the caller. */
  loaded: boolean;
  description: string;
  capped: { cap: number } | undefined;
  /** Set when the source's search was refused or ignored (an empty result then says so). */
  unsupported?: boolean;
}

const SOURCE_ORDER: readonly PanelSourceKind[] = [
  'my-patients',
  'seen-by-me',
  'group',
  'list',
  'all',
];

/** The typed "found nobody" result: why, and which other sources to offer. */
export function emptySource(kind: PanelSourceKind, found: FoundPatients): EmptySource {
  return {
    kind,
    reason: found.unsupported === true ? 'not-supported' : 'no-matches',
    alternatives: SOURCE_ORDER.filter((other) => other !== kind),
  };
}

/** The `since` of "seen in the last 24 months": `today` (YYYY-MM-DD) minus `months`, clamped. */
export function seenSince(today: string, months = 24): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!match) throw new RangeError(`'${today}' is not a YYYY-MM-DD date.`);
  const total = Number(match[1]) * 12 + (Number(match[2]) - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  // 29–31 of a month that is shorter becomes its last day (2026-03-31 − 1 month = 2026-02-28).
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(match[3]), lastDay);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function errorKind(status: number | undefined): PanelLoadErrorKind {
  if (status === undefined) return 'unreachable';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  return 'server';
}

function sourceError(what: string, failure: HttpFailure): PanelLoadError {
  const status = failure.status;
  const reason =
    status === undefined ? 'the server could not be reached' : `the server answered ${status}`;
  return new PanelLoadError(errorKind(status), `${what} could not be loaded: ${reason}.`, {
    ...(status === undefined ? {} : { status }),
  });
}

function pointsTo(reference: fhir4.Reference | undefined, type: string, id: string): boolean {
  return typeof reference?.reference === 'string' && referenceId(reference.reference, type) === id;
}

export function describeSource(source: PanelSource): string {
  switch (source.kind) {
    case 'my-patients':
      return 'Patients whose general practitioner is the signed-in practitioner';
    case 'seen-by-me':
      return `Patients with an encounter with the signed-in practitioner since ${source.since}`;
    case 'group':
      return 'Members of a Group';
    case 'list':
      return 'Patients on a List';
    case 'all':
      return `Every patient the server shows this user, up to ${source.cap}`;
  }
}

export async function findPatients(ctx: LoadContext, source: PanelSource): Promise<FoundPatients> {
  const description = describeSource(source);
  switch (source.kind) {
    case 'my-patients':
      return { ...(await myPatients(ctx, source.practitionerId)), description };
    case 'seen-by-me':
      return { ...(await seenBy(ctx, source.practitionerId, source.since)), description };
    case 'group':
      return { ...(await groupMembers(ctx, source.groupId)), description };
    case 'list':
      return { ...(await listEntries(ctx, source.listId)), description };
    case 'all':
      return { ...(await allPatients(ctx, source.cap)), description };
  }
}

type Found = Omit<FoundPatients, 'description'>;

/**
 * A failure of a source search: a 400 (parameter not supported) finds nobody, so the user can pick
 * another source; other first-page failures end the load; later pages leave a partial panel.
 */
function sourceSearchFailure(
  ctx: LoadContext,
  what: string,
  query: string,
  failure: HttpFailure,
  failedFirst: boolean,
): 'empty' | 'partial' {
  if (!failedFirst) {
    recordFailure(ctx, failure, query, what.startsWith('Encounter') ? 'Encounter' : 'Patient');
    return 'partial';
  }
  if (failure.status === 400 || failure.status === 422 || failure.status === 501) {
    ctx.notes.push(`${what}: the server does not support this search (${failure.status}).`);
    return 'empty';
  }
  throw sourceError(what, failure);
}

/** `Patient?general-practitioner=Practitioner/[id]` (US Core Patient search parameter). */
async function myPatients(ctx: LoadContext, practitionerId: string): Promise<Found> {
  const ids = new Set<string>();
  const query = 'Patient?general-practitioner=Practitioner/<id>';
  if (declaresSearchParam(ctx.capabilities, 'Patient', 'general-practitioner') === false) {
    ctx.notes.push('The CapabilityStatement does not list Patient general-practitioner search.');
  }
  let ignored = false;
  const paging = await searchPages(
    ctx,
    ctx.http.url(
      searchPath('Patient', [
        ['general-practitioner', `Practitioner/${practitionerId}`],
        ['_count', String(ctx.tuning.pageSize)],
      ]),
    ),
    { firstPagePlanned: false },
    (resources) => {
      const patients = resources.filter(
        (resource): resource is fhir4.Patient => resource.resourceType === 'Patient',
      );
      // A server that ignores an unknown parameter returns everyone: keep only true matches,
      // and stop at the first page that shows the filter was not applied.
      const fresh = patients.filter((patient) => patient.id !== undefined && !ids.has(patient.id));
      const mine = fresh.filter((patient) =>
        (patient.generalPractitioner ?? []).some((ref) =>
          pointsTo(ref, 'Practitioner', practitionerId),
        ),
      );
      for (const patient of mine) if (patient.id !== undefined) ids.add(patient.id);
      ctx.emit(mine);
      if (mine.length < fresh.length) ignored = true;
      return !ignored;
    },
  );
  if (ignored) {
    ctx.notes.push(
      'The server seems to ignore general-practitioner search (it returned patients of other ' +
        'practitioners): paging stopped, and only the matching patients were kept.',
    );
  }
  let unsupported = ignored && ids.size === 0;
  if (paging.failure !== undefined) {
    const outcome = sourceSearchFailure(
      ctx,
      'Patient search',
      query,
      paging.failure,
      paging.failedFirst,
    );
    if (outcome === 'empty') unsupported = true;
  }
  return { ids: [...ids], loaded: true, capped: undefined, unsupported };
}

/**
 * Distinct subjects of `Encounter?participant=Practitioner/[id]&date=ge[since]` (R4 Encounter
 * search parameters `participant`, `practitioner`; `_elements` trims the pages when supported).
 */
async function seenBy(ctx: LoadContext, practitionerId: string, since: string): Promise<Found> {
  const declaresParticipant = declaresSearchParam(ctx.capabilities, 'Encounter', 'participant');
  const declaresPractitioner = declaresSearchParam(ctx.capabilities, 'Encounter', 'practitioner');
  const param =
    declaresParticipant === false && declaresPractitioner === true ? 'practitioner' : 'participant';
  const query = `Encounter?${param}=Practitioner/<id>&date=ge${since}`;
  const ids = new Set<string>();
  const run = (withElements: boolean) =>
    searchPages(
      ctx,
      ctx.http.url(
        searchPath('Encounter', [
          [param, `Practitioner/${practitionerId}`],
          ['date', `ge${since}`],
          ['_count', String(ctx.tuning.pageSize)],
          ...(withElements ? [['_elements', 'subject,participant'] as const] : []),
        ]),
      ),
      { firstPagePlanned: false },
      (resources) => {
        for (const resource of resources) {
          if (resource.resourceType !== 'Encounter') continue;
          // Participants, when the server sent them, must include the practitioner.
          const participants = resource.participant ?? [];
          if (
            participants.length > 0 &&
            !participants.some((p) => pointsTo(p.individual, 'Practitioner', practitionerId))
          ) {
            continue;
          }
          const subject = resource.subject?.reference;
          const id = subject === undefined ? undefined : referenceId(subject, 'Patient');
          if (id !== undefined) ids.add(id);
        }
      },
    );
  let paging = await run(true);
  if (paging.failure?.status === 400 && paging.failedFirst) {
    ctx.notes.push('The server refused _elements on Encounter search; searched without it.');
    paging = await run(false);
  }
  let unsupported = false;
  if (paging.failure !== undefined) {
    const outcome = sourceSearchFailure(
      ctx,
      'Encounter search',
      query,
      paging.failure,
      paging.failedFirst,
    );
    if (outcome === 'empty') unsupported = true;
  }
  return { ids: [...ids], loaded: false, capped: undefined, unsupported };
}

async function readSource(
  ctx: LoadContext,
  type: 'Group' | 'List',
  id: string,
): Promise<Record<string, unknown>> {
  const response = await ctx.http.getJson(ctx.http.url(`${type}/${encodeURIComponent(id)}`));
  if (!response.ok) throw sourceError(`The ${type}`, response);
  const body = response.value;
  if (!isResource(body) || body.resourceType !== type) {
    throw new PanelLoadError('server', `The ${type} read did not return a ${type}.`, {
      status: response.status,
    });
  }
  return body as unknown as Record<string, unknown>;
}

/** Active `Group.member.entity` Patients (R4 Group: `inactive` members are left out). */
async function groupMembers(ctx: LoadContext, groupId: string): Promise<Found> {
  const group = (await readSource(ctx, 'Group', groupId)) as unknown as fhir4.Group;
  const ids = new Set<string>();
  let others = 0;
  for (const member of group.member ?? []) {
    if (member.inactive === true) continue;
    const reference = member.entity.reference;
    const id = reference === undefined ? undefined : referenceId(reference, 'Patient');
    if (id === undefined) others++;
    else ids.add(id);
  }
  if (others > 0) ctx.notes.push(`${others} Group members are not Patients and were left out.`);
  return { ids: [...ids], loaded: false, capped: undefined };
}

/** `List.entry.item` Patients (R4 List: `deleted` entries are left out). */
async function listEntries(ctx: LoadContext, listId: string): Promise<Found> {
  const list = (await readSource(ctx, 'List', listId)) as unknown as fhir4.List;
  const ids = new Set<string>();
  let others = 0;
  for (const entry of list.entry ?? []) {
    if (entry.deleted === true) continue;
    const reference = entry.item.reference;
    const id = reference === undefined ? undefined : referenceId(reference, 'Patient');
    if (id === undefined) others++;
    else ids.add(id);
  }
  if (others > 0) ctx.notes.push(`${others} List entries are not Patients and were left out.`);
  return { ids: [...ids], loaded: false, capped: undefined };
}

/** `Patient?_count=…` paged up to `cap` patients (panel-loading.md §3: with a cap and a warning). */
async function allPatients(ctx: LoadContext, cap: number): Promise<Found> {
  const limit = Math.max(0, Math.floor(cap));
  const ids = new Set<string>();
  let truncated = false;
  const paging = await searchPages(
    ctx,
    ctx.http.url(
      searchPath('Patient', [
        ['_count', String(Math.max(1, Math.min(ctx.tuning.pageSize, limit)))],
      ]),
    ),
    { firstPagePlanned: false },
    (resources) => {
      const fresh: fhir4.FhirResource[] = [];
      for (const resource of resources) {
        if (resource.resourceType !== 'Patient' || resource.id === undefined) continue;
        if (ids.has(resource.id)) continue;
        if (ids.size >= limit) {
          truncated = true;
          break;
        }
        ids.add(resource.id);
        fresh.push(resource);
      }
      ctx.emit(fresh);
      return ids.size < limit;
    },
  );
  let unsupported = false;
  if (paging.failure !== undefined) {
    const outcome = sourceSearchFailure(
      ctx,
      'Patient search',
      'Patient?_count=<n>',
      paging.failure,
      paging.failedFirst,
    );
    if (outcome === 'empty') unsupported = true;
  }
  const capped = truncated || paging.stoppedEarly ? { cap: limit } : undefined;
  if (capped) {
    ctx.notes.push(`Stopped at ${limit} patients; the server has more.`);
  }
  return { ids: [...ids], loaded: true, capped, unsupported };
}
