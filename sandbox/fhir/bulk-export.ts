// FHIR Bulk Data Access v2.0.0 export (hl7.org/fhir/uv/bulkdata/STU2/export.html) for the
// sandbox: `Group/[id]/$export` and `Patient/$export` kick-off, status polling, deletion and the
// NDJSON output files, following the FHIR Asynchronous Request Pattern. Jobs live in memory. The
// export is computed at kick-off (its transactionTime) and held as references to the stored
// resources; the HTTP layer (server.ts) streams each file line by line. Everything else here is
// request → response, like api.ts, whose search compiler applies `_typeFilter`.
import { randomBytes } from 'node:crypto';
import type { FhirAccess, FhirResponse } from './access';
import type { FhirApi, SelectionScope } from './api';
import { badRequest, errorResponse, forbidden, methodNotAllowed, notFound } from './outcome';
import { idPattern, isCompartmentType } from './search';
import type { FhirStore, StoredResource } from './store';
import { forEachReference, parseDateRange, patientIdOfReference } from './values';

export interface BulkExportOptions {
  /** Absolute FHIR base URL; status and file URLs are built below it. */
  baseUrl: string;
  /**
   * Status requests answered `202 Accepted` before the manifest. Default 1: a client must poll
   * at least twice and honour Retry-After, as with real servers; 0 for tests and benchmarks.
   */
  pollsBeforeReady?: number;
  /** Resources per output file at most (the Bulk Data IG lets a type span several files). */
  maxResourcesPerFile?: number;
  /** Seconds sent in Retry-After while a job runs. */
  retryAfterSeconds?: number;
  /** Jobs kept at once; starting one more forgets the oldest. */
  maxJobs?: number;
  now?: () => Date;
}

export const DEFAULT_RESOURCES_PER_FILE = 10_000;

/** What a path below the FHIR base asks of the export module, if anything. */
export type ExportRoute =
  | { kind: 'kick-off'; level: ExportLevel }
  | { kind: 'status'; jobId: string }
  | { kind: 'file'; jobId: string; fileName: string };

export type ExportLevel = { kind: 'group'; groupId: string } | { kind: 'patient' };

/** The kick-off request as the HTTP layer sees it. */
export interface KickOffRequest {
  method: string;
  query: URLSearchParams;
  /** Request headers (absent ones undefined). */
  accept: string | undefined;
  prefer: string | undefined;
  /** The full kick-off URL, echoed as the manifest's `request`. */
  url: string;
}

/** A file to stream, or why not. */
export type ExportFileResult =
  | { kind: 'ndjson'; type: string; resources: readonly StoredResource[] }
  | { kind: 'error'; response: FhirResponse };

export interface ExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: true;
  output: { type: string; url: string; count: number }[];
  error: { type: 'OperationOutcome'; url: string }[];
}

interface ExportFile {
  readonly type: string;
  readonly name: string;
  readonly resources: readonly StoredResource[];
}

interface ExportJob {
  readonly id: string;
  readonly request: string;
  readonly transactionTime: string;
  readonly files: readonly ExportFile[];
  polls: number;
}

/** Status and file URLs: `$export-status/<job>`, `$export-file/<job>/<Type>-<n>.ndjson`. */
const STATUS = '$export-status';
const FILE = '$export-file';
const jobIdPattern = /^[a-f0-9]{32}$/;
const fileNamePattern = /^([A-Z][A-Za-z]+)-(\d+)\.ndjson$/;

/** `_outputFormat` values meaning NDJSON (Bulk Data v2.0.0: the server SHALL accept all three). */
const ndjsonFormats = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** Kick-off parameters the sandbox implements; others are refused unless handling=lenient. */
const supportedParams = new Set(['_outputFormat', '_since', '_type', '_typeFilter']);

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses a path below the FHIR base (`/Group/g1/$export`, `/$export-status/…`). */
export function exportRoute(path: string): ExportRoute | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  const [first, second, third, ...rest] = segments;
  if (first === 'Patient' && second === '$export' && third === undefined) {
    return { kind: 'kick-off', level: { kind: 'patient' } };
  }
  if (first === 'Group' && second !== undefined && third === '$export' && rest.length === 0) {
    return { kind: 'kick-off', level: { kind: 'group', groupId: second } };
  }
  if (first === STATUS && second !== undefined && third === undefined) {
    return { kind: 'status', jobId: second };
  }
  if (first === FILE && second !== undefined && third !== undefined && rest.length === 0) {
    return { kind: 'file', jobId: second, fileName: third };
  }
  return undefined;
}

function outcome(
  status: number,
  diagnostics: string,
  headers?: Record<string, string>,
): FhirResponse {
  return {
    status,
    body: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics }],
    },
    ...(headers ? { headers } : {}),
  };
}

class KickOffError extends Error {
  constructor(readonly response: FhirResponse) {
    super(`HTTP ${response.status}`);
  }
}

function refuse(response: FhirResponse): never {
  throw new KickOffError(response);
}

export class BulkExports {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly baseUrl: string;
  private readonly pollsBeforeReady: number;
  private readonly perFile: number;
  private readonly retryAfter: number;
  private readonly maxJobs: number;
  private readonly now: () => Date;

  constructor(
    private readonly store: FhirStore,
    private readonly api: FhirApi,
    options: BulkExportOptions,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pollsBeforeReady = options.pollsBeforeReady ?? 1;
    this.perFile = options.maxResourcesPerFile ?? DEFAULT_RESOURCES_PER_FILE;
    this.retryAfter = options.retryAfterSeconds ?? 1;
    this.maxJobs = options.maxJobs ?? 100;
    this.now = options.now ?? (() => new Date());
    if (!Number.isInteger(this.perFile) || this.perFile < 1) {
      throw new Error(`maxResourcesPerFile must be a positive integer, got ${this.perFile}`);
    }
    if (!Number.isInteger(this.pollsBeforeReady) || this.pollsBeforeReady < 0) {
      throw new Error(`pollsBeforeReady must be a whole number, got ${this.pollsBeforeReady}`);
    }
  }

  /** Jobs currently held (for tests: deletion forgets a job). */
  get jobCount(): number {
    return this.jobs.size;
  }

  // ---- kick-off ------------------------------------------------------------------------------

  kickOff(level: ExportLevel, req: KickOffRequest, access: FhirAccess): FhirResponse {
    try {
      return this.start(level, req, access);
    } catch (error) {
      if (error instanceof KickOffError) return error.response;
      throw error;
    }
  }

  private start(level: ExportLevel, req: KickOffRequest, access: FhirAccess): FhirResponse {
    if (req.method.toUpperCase() !== 'GET') {
      refuse(methodNotAllowed(`${req.method} kick-off is not supported; use GET`));
    }
    const prefer = (req.prefer ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase().replace(/\s+/g, ''));
    // Bulk Data v2.0.0 kick-off headers: Prefer respond-async is required (async pattern).
    if (!prefer.includes('respond-async')) {
      refuse(badRequest('The kick-off request needs the header Prefer: respond-async'));
    }
    const lenient = prefer.includes('handling=lenient');
    const accepts = (req.accept ?? '')
      .split(',')
      .map((a) => (a.split(';')[0] ?? '').trim().toLowerCase());
    if (!accepts.includes('application/fhir+json')) {
      refuse(
        badRequest(
          'The kick-off request needs the header Accept: application/fhir+json (the format of its OperationOutcome)',
        ),
      );
    }
    const params = this.parseParams(req.query, lenient);
    this.checkAccess(level, params.types, access);

    const patients = this.patientScope(level);
    const types = params.types ?? this.readableTypes(access);
    const files: ExportFile[] = [];
    const exported: StoredResource[] = [];
    const byType = new Map<string, StoredResource[]>();
    // Patient data first, then the shared resources it references (Practitioner, Medication…),
    // which Bulk Data v2.0.0 lets a group export include "to help interpret the patient data".
    for (const type of types) {
      if (!isCompartmentType(type)) continue; // Patient is a compartment type too
      const selected = this.selectOrRefuse(type, params.filters.get(type), access, patients);
      const since = params.since;
      const changed =
        since === undefined ? selected : selected.filter((r) => updatedAfter(r, since));
      byType.set(type, changed);
      exported.push(...changed);
    }
    const shared = types.filter((t) => !isCompartmentType(t));
    if (shared.length > 0) {
      const referenced = referencedIds(exported, new Set(shared), this.baseUrl);
      for (const type of shared) {
        // Referenced resources come whatever their lastUpdated (v2.0.0 `_since`: the server MAY
        // return resources referenced by the ones returned regardless of when they changed).
        const ids = referenced.get(type) ?? new Set<string>();
        const scope: SelectionScope = { kind: 'ids', ids };
        byType.set(
          type,
          ids.size === 0 ? [] : this.selectOrRefuse(type, params.filters.get(type), access, scope),
        );
      }
    }
    for (const type of types) {
      const resources = byType.get(type) ?? [];
      for (let start = 0, n = 1; start < resources.length; start += this.perFile, n++) {
        files.push({
          type,
          name: `${type}-${n}.ndjson`,
          resources: resources.slice(start, start + this.perFile),
        });
      }
    }

    const id = randomBytes(16).toString('hex');
    this.jobs.set(id, {
      id,
      request: req.url,
      transactionTime: this.now().toISOString(),
      files,
      polls: 0,
    });
    while (this.jobs.size > this.maxJobs) {
      const oldest = this.jobs.keys().next().value;
      if (oldest === undefined) break;
      this.jobs.delete(oldest);
    }
    return outcome(202, 'Export started; poll the Content-Location URL for its manifest.', {
      'Content-Location': this.statusUrl(id),
    });
  }

  private parseParams(
    query: URLSearchParams,
    lenient: boolean,
  ): {
    types: string[] | undefined;
    filters: Map<string, URLSearchParams[]>;
    since: number | undefined;
  } {
    for (const key of new Set(query.keys())) {
      if (supportedParams.has(key)) continue;
      // v2.0.0 kick-off: an unsupported parameter is an error unless the client asked for
      // Prefer: handling=lenient, when the server may ignore it.
      if (!lenient) {
        refuse(
          badRequest(
            `The kick-off parameter '${key}' is not supported by this server (supported: ${[...supportedParams].join(', ')}); send Prefer: handling=lenient to have it ignored`,
            'not-supported',
          ),
        );
      }
    }
    const single = (name: string): string | undefined => {
      const values = query.getAll(name);
      if (values.length > 1) refuse(badRequest(`${name} is given more than once`));
      return values[0];
    };

    // URLSearchParams decodes an unencoded '+' as a space.
    const format = single('_outputFormat')?.replace(/ /g, '+');
    if (format !== undefined && !ndjsonFormats.has(format)) {
      refuse(
        badRequest(
          `_outputFormat '${format}' is not supported (supported: ${[...ndjsonFormats].join(', ')})`,
          'not-supported',
        ),
      );
    }

    const sinceText = single('_since')?.replace(/ /g, '+');
    let since: number | undefined;
    if (sinceText !== undefined) {
      const range = instantPattern.test(sinceText) ? parseDateRange(sinceText, true) : undefined;
      if (!range) {
        refuse(
          badRequest(
            `_since '${sinceText}' is not a FHIR instant (YYYY-MM-DDThh:mm:ss[.sss] with Z or ±hh:mm)`,
          ),
        );
      }
      since = range.lo;
    }

    // Repeated _type (and _typeFilter) parameters add up (v2.0.0 "repeated parameters").
    const typeValues = query.getAll('_type');
    let types: string[] | undefined;
    if (typeValues.length > 0) {
      types = [];
      for (const type of typeValues.flatMap((v) => v.split(',')).map((t) => t.trim())) {
        if (!/^[A-Z][A-Za-z]+$/.test(type)) {
          refuse(badRequest(`_type: '${type}' is not a resource type`));
        }
        if (!types.includes(type)) types.push(type);
      }
    }

    const filters = new Map<string, URLSearchParams[]>();
    for (const value of query.getAll('_typeFilter')) {
      for (const text of splitTypeFilter(value)) {
        const match = /^([A-Z][A-Za-z]+)\?(.+)$/.exec(text);
        if (!match?.[1] || match[2] === undefined) {
          refuse(badRequest(`_typeFilter '${text}' is not a search query ([type]?[parameters])`));
        }
        const type = match[1];
        if (types !== undefined && !types.includes(type)) {
          refuse(badRequest(`_typeFilter for ${type}, which _type does not list`));
        }
        filters.set(type, [...(filters.get(type) ?? []), new URLSearchParams(match[2])]);
      }
    }
    return { types, filters, since };
  }

  /** Group: its member patients; Patient: every patient (the token's user level sees all). */
  private patientScope(level: ExportLevel): SelectionScope {
    if (level.kind === 'patient') return { kind: 'all-patients' };
    const group = this.store.get('Group', level.groupId);
    const ids = new Set<string>();
    for (const member of (group as fhir4.Group | undefined)?.member ?? []) {
      // R4 Group.member.inactive: the entity is no longer in the group.
      if (member.inactive === true) continue;
      const id = patientIdOfReference(member.entity.reference ?? '');
      if (id !== undefined) ids.add(id);
    }
    return { kind: 'patients', ids };
  }

  private checkAccess(level: ExportLevel, types: string[] | undefined, access: FhirAccess): void {
    // A patient-level token (patient/ scopes, or a Patient user) sees one record: no population
    // export. SMART scopes: bulk export is for user/ or system/ level access.
    if (access.read('Patient').kind === 'patient') {
      refuse(
        forbidden('Bulk export needs user-level access; this token is limited to one patient'),
      );
    }
    if (level.kind === 'group') {
      if (!idPattern.test(level.groupId)) {
        refuse(badRequest(`'${level.groupId}' is not a valid resource id`));
      }
      if (access.read('Group').kind !== 'all') {
        refuse(forbidden('scope does not grant read of Group'));
      }
      if (!this.store.get('Group', level.groupId)) {
        refuse(notFound(`Group/${level.groupId} is not known`));
      }
    }
    for (const type of types ?? []) {
      const grant = access.read(type);
      if (grant.kind === 'none') refuse(forbidden(`scope does not grant read of ${type}`));
      if (grant.kind === 'patient') {
        refuse(forbidden(`Bulk export needs user-level access to ${type}`));
      }
    }
  }

  /** Without `_type`: every type held that the token may read (v2.0.0: "within the scope of the client authorization"). */
  private readableTypes(access: FhirAccess): string[] {
    const held = this.store.resourceTypes().filter((t) => access.read(t).kind === 'all');
    // Patient first, then compartment data, then shared resources, each alphabetically.
    const rank = (t: string): number => (t === 'Patient' ? 0 : isCompartmentType(t) ? 1 : 2);
    return held.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  }

  private selectOrRefuse(
    type: string,
    filters: URLSearchParams[] | undefined,
    access: FhirAccess,
    scope: SelectionScope,
  ): StoredResource[] {
    const selection = this.api.select(type, filters ?? [], access.read(type), scope);
    if (!selection.ok) {
      const body = selection.response.body as fhir4.OperationOutcome;
      const diagnostics = body.issue[0]?.diagnostics ?? '';
      refuse(
        errorResponse(
          selection.response.status,
          body.issue[0]?.code === 'not-supported' ? 'not-supported' : 'invalid',
          `_typeFilter: ${diagnostics}`,
        ),
      );
    }
    return selection.resources;
  }

  // ---- status, deletion, files ---------------------------------------------------------------

  status(jobId: string): FhirResponse {
    const job = this.job(jobId);
    if (!job) return notFound('No export job at this URL (finished and deleted, or never started)');
    if (job.polls < this.pollsBeforeReady) {
      job.polls += 1;
      return {
        status: 202,
        body: undefined,
        headers: {
          'X-Progress': `preparing ${job.files.length} files (status check ${job.polls} of ${this.pollsBeforeReady + 1})`,
          'Retry-After': String(this.retryAfter),
        },
      };
    }
    const manifest: ExportManifest = {
      transactionTime: job.transactionTime,
      request: job.request,
      requiresAccessToken: true,
      output: job.files.map((f) => ({
        type: f.type,
        url: `${this.baseUrl}/${FILE}/${job.id}/${f.name}`,
        count: f.resources.length,
      })),
      error: [],
    };
    // The manifest is plain JSON, not a FHIR resource (v2.0.0 "Response - Complete Status").
    return { status: 200, body: manifest, headers: { 'Content-Type': 'application/json' } };
  }

  /** DELETE on the status URL: the job and its files are gone (v2.0.0 "Delete a Bulk Data Request"). */
  cancel(jobId: string): FhirResponse {
    const job = this.job(jobId);
    if (!job) return notFound('No export job at this URL');
    this.jobs.delete(job.id);
    return outcome(202, 'Export job deleted');
  }

  file(jobId: string, fileName: string, access: FhirAccess): ExportFileResult {
    const job = this.job(jobId);
    const file = job?.files.find((f) => f.name === fileName);
    if (!job || !file || !fileNamePattern.test(fileName)) {
      return { kind: 'error', response: notFound('No export file at this URL') };
    }
    if (access.read(file.type).kind !== 'all') {
      return {
        kind: 'error',
        response: forbidden(`this token may not read ${file.type} at user level`),
      };
    }
    return { kind: 'ndjson', type: file.type, resources: file.resources };
  }

  /** The status route's methods: GET polls, DELETE cancels. */
  statusRequest(method: string, jobId: string): FhirResponse {
    switch (method.toUpperCase()) {
      case 'GET':
        return this.status(jobId);
      case 'DELETE':
        return this.cancel(jobId);
      default:
        return methodNotAllowed(`${method} is not supported on an export status URL (GET, DELETE)`);
    }
  }

  private statusUrl(id: string): string {
    return `${this.baseUrl}/${STATUS}/${id}`;
  }

  private job(jobId: string): ExportJob | undefined {
    return jobIdPattern.test(jobId) ? this.jobs.get(jobId) : undefined;
  }
}

function updatedAfter(resource: StoredResource, since: number): boolean {
  const text = resource.meta.lastUpdated;
  const range = text === undefined ? undefined : parseDateRange(text);
  // No lastUpdated: the server cannot tell, so the resource is included (v2.0.0 `_since`).
  return range === undefined || range.lo > since;
}

/**
 * The queries of one `_typeFilter` value. v2.0.0 separates queries by commas and has clients
 * URL-encode each query, so a comma inside one (an OR list, `code=a,b`) arrives as %2C; clients
 * that encode the whole value once send it as a plain comma instead, so a piece that does not
 * start a query (`Type?` or `Type%3F`) continues the previous one.
 */
export function splitTypeFilter(value: string): string[] {
  const queries: string[] = [];
  for (const piece of value.split(',')) {
    if (/^[A-Z][A-Za-z]+%3F/i.test(piece)) {
      let decoded = piece;
      try {
        decoded = decodeURIComponent(piece);
      } catch {
        // Left as is: the query check reports it.
      }
      queries.push(decoded);
    } else if (/^[A-Z][A-Za-z]+\?/.test(piece) || queries.length === 0) {
      queries.push(piece);
    } else {
      queries[queries.length - 1] += `,${piece}`;
    }
  }
  return queries;
}

/** Ids of the resources of `types` that `resources` reference (relative or under `baseUrl`). */
function referencedIds(
  resources: readonly StoredResource[],
  types: ReadonlySet<string>,
  baseUrl: string,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const resource of resources) {
    forEachReference(resource, (holder) => {
      let ref = holder.reference;
      if (ref.startsWith(`${baseUrl}/`)) ref = ref.slice(baseUrl.length + 1);
      const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
      const [, type, id] = match ?? [];
      if (type === undefined || id === undefined || !types.has(type)) return;
      let ids = out.get(type);
      if (!ids) out.set(type, (ids = new Set()));
      ids.add(id);
    });
  }
  return out;
}
