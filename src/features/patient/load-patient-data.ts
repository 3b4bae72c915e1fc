// Everything the patient view shows, read in ONE parallel wave (issue 8 "Data"): the Patient, the
// Observations the measures and the social-needs rules read (by code, from the panel's query plan
// and the shipped value sets, plus the US Core `sdoh` categories under both systems, sdoh.md §1.3
// and §4 "Queries per launch"), QuestionnaireResponses, Conditions, Encounters, Procedures,
// ServiceRequests, Tasks, Coverage, MedicationRequests and DeviceRequests, and the server's
// CapabilityStatement (what it lets the app write and which types it serves). A 403 or 404 on one
// query marks only that source "not available from this EHR"; an ended session ends the view.
//
// A type the CapabilityStatement does not offer for search (the sandbox has no DeviceRequest) is
// "not offered", not missing data: its search still goes out in the same wave, because reading
// `metadata` first would add a wave to every launch, and the answer (404 "resource type not
// supported", R4 http.html; or 400) is then read against the statement once both are back. A type
// the statement lists keeps its 404 as "not available": that server does serve the type.
//
// Not `_include=Task:focus`: the ServiceRequests come in the same wave (every one of the patient's),
// and strict servers refuse parameters they do not support.
import { panelQueryPlan } from '../../analysis/panel-query-plan';
import type { PanelMeasureId } from '../../analysis/panel-view-model';
import { loadShippedCompiledValueSets } from '../../measures/compiled-value-sets';
import type { FhirSession } from '../../fhir/fhir-session';
import { SessionError, classifySessionError, isAbortError } from '../../fhir/session-failure';
import type { SessionFailure } from '../../fhir/session-failure';
import type { ServerWriteSupport } from '../../fhir/write-support';
import { readSearchableTypes, readServerWriteSupport } from '../../fhir/write-support';
import { codeChunks, escapeValue, searchPath } from '../../fhir/rest/query-urls';
import {
  US_CORE_CATEGORY_SYSTEM,
  US_CORE_SDOH_CODE,
  US_CORE_TAGS_SYSTEM,
} from '../../sdoh/sdoh-codes';

/** The sources the view reads, each one query (Observations: several) that may fail alone. */
export type DataSource =
  | 'observations'
  | 'questionnaire-responses'
  | 'conditions'
  | 'encounters'
  | 'procedures'
  | 'service-requests'
  | 'tasks'
  | 'coverage'
  | 'medication-requests'
  | 'device-requests';

export const DATA_SOURCE_LABELS: Readonly<Record<DataSource, string>> = {
  observations: 'Observations',
  'questionnaire-responses': 'Questionnaire responses',
  conditions: 'Conditions',
  encounters: 'Encounters',
  procedures: 'Procedures',
  'service-requests': 'Service requests (referrals)',
  tasks: 'Tasks (referral status)',
  coverage: 'Coverage',
  'medication-requests': 'Medication requests',
  'device-requests': 'Device requests',
};

/** The resource type each source searches (for the CapabilityStatement check). */
export const DATA_SOURCE_TYPES: Readonly<Record<DataSource, string>> = {
  observations: 'Observation',
  'questionnaire-responses': 'QuestionnaireResponse',
  conditions: 'Condition',
  encounters: 'Encounter',
  procedures: 'Procedure',
  'service-requests': 'ServiceRequest',
  tasks: 'Task',
  coverage: 'Coverage',
  'medication-requests': 'MedicationRequest',
  'device-requests': 'DeviceRequest',
};

export type SourceOutcome =
  | { kind: 'loaded' }
  /**
   * The CapabilityStatement does not offer the type for search, and its search was refused (404 or
   * 400) or came back empty: this EHR does not keep such records, so nothing is missing from it.
   */
  | { kind: 'not-offered' }
  /** 403 or 404: the EHR does not offer it to this app. */
  | { kind: 'not-available'; reason: 'forbidden' | 'not-found' }
  /** Any other failure (network, 5xx): worth a retry. */
  | { kind: 'failed'; failure: SessionFailure };

export interface PatientResources {
  observations: fhir4.Observation[];
  questionnaireResponses: fhir4.QuestionnaireResponse[];
  conditions: fhir4.Condition[];
  encounters: fhir4.Encounter[];
  procedures: fhir4.Procedure[];
  serviceRequests: fhir4.ServiceRequest[];
  tasks: fhir4.Task[];
  coverages: fhir4.Coverage[];
  medicationRequests: fhir4.MedicationRequest[];
  deviceRequests: fhir4.DeviceRequest[];
  /** Medications the MedicationRequests reference (read after the wave, only when needed). */
  medications: fhir4.Medication[];
}

export interface PatientData {
  patient: fhir4.Patient;
  resources: PatientResources;
  sources: Readonly<Record<DataSource, SourceOutcome>>;
  /** What the server declares it accepts; `unknown` when `metadata` could not be read. */
  writeSupport: { kind: 'known'; support: ServerWriteSupport } | { kind: 'unknown' };
  /** Requests sent, and how many of them went out one after another (waves). */
  requests: number;
  waves: number;
}

export type PatientLoadResult =
  | { kind: 'loaded'; data: PatientData }
  /** The patient id in context does not exist on the server (404 on `Patient/<id>`). */
  | { kind: 'patient-not-found'; patientId: string };

/** The measures whose reads decide the Observation codes (the panel's plan, same value sets). */
const VIEW_MEASURES: readonly PanelMeasureId[] = [
  'CMS122',
  'CMS165',
  'CMS125',
  'CMS130',
  'CMS2',
  'SDOH-1',
  'DEMOGRAPHIC-COMPLETENESS',
];

const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** US Core `sdoh` under both systems (sdoh.md §1.3), and `survey` (§4: categorisation varies). */
const SDOH_CATEGORIES = [
  `${US_CORE_CATEGORY_SYSTEM}|${US_CORE_SDOH_CODE}`,
  `${US_CORE_TAGS_SYSTEM}|${US_CORE_SDOH_CODE}`,
  `${OBSERVATION_CATEGORY_SYSTEM}|survey`,
];

const PAGE_SIZE = 1000;
/** Keeps each search URL well under the 8 kB many servers accept (panel-loading.md §1). */
const MAX_URL_LENGTH = 6000;
/** A runaway `next` chain stops here rather than looping. */
const MAX_PAGES = 20;

type Query = { source: DataSource; path: string };

function patientSearch(type: string, param: string, patientId: string): string {
  return searchPath(type, [
    [param, patientId],
    ['_count', String(PAGE_SIZE)],
  ]);
}

/** The Observation searches by code (the measures' reads), split to keep each URL short. */
function observationCodeQueries(
  patientId: string,
  serverUrl: string,
  observationCodes: readonly string[],
): Query[] {
  return codeChunks(
    { resourceType: 'Observation', codes: observationCodes },
    serverUrl,
    MAX_URL_LENGTH,
    PAGE_SIZE,
  ).flatMap((chunk) =>
    chunk === undefined
      ? []
      : [
          {
            source: 'observations' as const,
            path: searchPath('Observation', [
              ['patient', patientId],
              ['code', chunk.map(escapeValue).join(',')],
              ['_count', String(PAGE_SIZE)],
            ]),
          },
        ],
  );
}

/** The searches that need no value set: the sdoh categories, and every other type. */
function plainQueries(patientId: string): Query[] {
  return [
    {
      source: 'observations',
      path: searchPath('Observation', [
        ['patient', patientId],
        ['category', SDOH_CATEGORIES.join(',')],
        ['_count', String(PAGE_SIZE)],
      ]),
    },
    {
      source: 'questionnaire-responses',
      path: patientSearch('QuestionnaireResponse', 'patient', patientId),
    },
    { source: 'conditions', path: patientSearch('Condition', 'patient', patientId) },
    { source: 'encounters', path: patientSearch('Encounter', 'patient', patientId) },
    { source: 'procedures', path: patientSearch('Procedure', 'patient', patientId) },
    { source: 'service-requests', path: patientSearch('ServiceRequest', 'patient', patientId) },
    { source: 'tasks', path: patientSearch('Task', 'patient', patientId) },
    { source: 'coverage', path: patientSearch('Coverage', 'patient', patientId) },
    {
      source: 'medication-requests',
      path: patientSearch('MedicationRequest', 'patient', patientId),
    },
    { source: 'device-requests', path: patientSearch('DeviceRequest', 'patient', patientId) },
  ];
}

/** Every search of the wave for a patient, given the Observation codes. */
export function patientQueries(
  patientId: string,
  serverUrl: string,
  observationCodes: readonly string[],
): Query[] {
  const [sdoh, ...rest] = plainQueries(patientId);
  return [
    ...(sdoh === undefined ? [] : [sdoh]),
    ...observationCodeQueries(patientId, serverUrl, observationCodes),
    ...rest,
  ];
}

let observationCodes: Promise<readonly string[]> | undefined;

/**
 * The Observation codes the view's measures read (the panel's plan over the shipped value sets).
 * Planned once: the shipped file does not change while the app runs.
 */
export function viewObservationCodes(): Promise<readonly string[]> {
  observationCodes ??= loadShippedCompiledValueSets().then(
    (compiled) => {
      const plan = panelQueryPlan(compiled.valueSets, VIEW_MEASURES);
      return [...(plan.queries.find((q) => q.resourceType === 'Observation')?.codes ?? [])];
    },
    (error: unknown) => {
      // A chunk that failed to load may load on the next try.
      observationCodes = undefined;
      throw error;
    },
  );
  return observationCodes;
}

function outcomeOf(error: unknown): SourceOutcome {
  const failure = classifySessionError(error);
  if (failure.kind === 'forbidden') return { kind: 'not-available', reason: 'forbidden' };
  if (failure.kind === 'server' && failure.status === 404) {
    return { kind: 'not-available', reason: 'not-found' };
  }
  return { kind: 'failed', failure };
}

/** Whether a search's outcome, read against the CapabilityStatement, means "type not offered". */
export function offeredOutcome(
  outcome: SourceOutcome,
  found: number,
  type: string,
  searchable: ReadonlySet<string> | undefined,
): SourceOutcome {
  // An unreadable statement, or one that lists the type, proves nothing about absence.
  if (searchable === undefined || searchable.has(type)) return outcome;
  const refused =
    (outcome.kind === 'not-available' && outcome.reason === 'not-found') ||
    (outcome.kind === 'failed' &&
      outcome.failure.kind === 'server' &&
      (outcome.failure.status === 400 || outcome.failure.status === 404));
  // Records the server returned anyway are data, whatever its statement says.
  if (refused || (outcome.kind === 'loaded' && found === 0)) return { kind: 'not-offered' };
  return outcome;
}

/** Errors that end the view rather than one source: an aborted load, an ended session. */
function isFatal(error: unknown): boolean {
  return isAbortError(error) || classifySessionError(error).kind === 'expired';
}

/** What `metadata` told: write support, and the types offered for search (when it says). */
interface ServerCapability {
  writeSupport: PatientData['writeSupport'];
  searchable: ReadonlySet<string> | undefined;
}

interface Counter {
  requests: number;
  /** The deepest chain of requests that had to wait for an earlier one. */
  depth: number;
}

/** All pages of a search (`next` links, R4 http.html#paging). */
async function searchAll(
  session: FhirSession,
  path: string,
  signal: AbortSignal,
  counter: Counter,
): Promise<fhir4.Resource[]> {
  const resources: fhir4.Resource[] = [];
  let url: string | undefined = path;
  let page = 0;
  while (url !== undefined && page < MAX_PAGES) {
    counter.requests += 1;
    page += 1;
    counter.depth = Math.max(counter.depth, page);
    const bundle: unknown = await session.request<unknown>(url, { signal });
    if (!isBundle(bundle)) throw new SessionError({ kind: 'server', status: undefined });
    for (const entry of bundle.entry ?? []) {
      // Search results only (an OperationOutcome may ride along with mode `outcome`).
      if (entry.resource && entry.search?.mode !== 'outcome') resources.push(entry.resource);
    }
    url = bundle.link?.find((link) => link.relation === 'next')?.url;
  }
  return resources;
}

function isBundle(value: unknown): value is fhir4.Bundle {
  return (
    typeof value === 'object' &&
    value !== null &&
    'resourceType' in value &&
    value.resourceType === 'Bundle'
  );
}

function ofType<K extends fhir4.FhirResource['resourceType']>(
  resources: readonly fhir4.Resource[],
  type: K,
): Extract<fhir4.FhirResource, { resourceType: K }>[] {
  return resources.filter(
    (r): r is Extract<fhir4.FhirResource, { resourceType: K }> => r.resourceType === type,
  );
}

function dedupe<T extends fhir4.Resource>(resources: readonly T[]): T[] {
  const seen = new Map<string, T>();
  const anonymous: T[] = [];
  for (const r of resources) {
    if (r.id === undefined) anonymous.push(r);
    else seen.set(`${r.resourceType}/${r.id}`, r);
  }
  return [...seen.values(), ...anonymous];
}

/** `Medication/<id>` references no loaded Medication answers. */
function unresolvedMedications(requests: readonly fhir4.MedicationRequest[]): string[] {
  const refs = new Set<string>();
  for (const request of requests) {
    const match = /(?:^|\/)Medication\/([A-Za-z0-9\-.]{1,64})$/.exec(
      request.medicationReference?.reference ?? '',
    );
    if (match?.[1]) refs.add(`Medication/${match[1]}`);
  }
  return [...refs];
}

/**
 * Reads the patient in context and everything the view needs, in one parallel wave (a second one
 * only for `next` pages and referenced Medications). `sharedPatientRead` is a read of
 * `Patient/<id>` already started, to use instead of a new one. Rejects with a `SessionError` for an ended
 * session or a Patient read that failed other than with 404.
 */
export async function loadPatientData(
  session: FhirSession,
  patientId: string,
  signal: AbortSignal,
  observationCodes: readonly string[] | Promise<readonly string[]>,
  sharedPatientRead?: Promise<unknown>,
): Promise<PatientLoadResult> {
  const counter: Counter = { requests: 0, depth: 0 };
  // A read of the Patient already under way (the launch's) is not repeated.
  counter.requests += sharedPatientRead === undefined ? 2 : 1;
  counter.depth = 1;
  const patientRead = (
    sharedPatientRead ??
    session.request<unknown>(`Patient/${encodeURIComponent(patientId)}`, { signal })
  ).then(
    (body) => ({ kind: 'ok' as const, body }),
    (error: unknown) => ({ kind: 'error' as const, error }),
  );
  const metadata = session.request<unknown>('metadata', { signal }).then(
    (body): ServerCapability => ({
      writeSupport: { kind: 'known', support: readServerWriteSupport(body) },
      searchable: readSearchableTypes(body),
    }),
    (error: unknown): ServerCapability => {
      if (isAbortError(error)) throw error;
      return { writeSupport: { kind: 'unknown' }, searchable: undefined };
    },
  );
  const search = (query: Query) =>
    searchAll(session, query.path, signal, counter).then(
      (resources) => ({ query, resources, outcome: { kind: 'loaded' } as SourceOutcome }),
      (error: unknown) => {
        if (isFatal(error)) throw error;
        return { query, resources: [] as fhir4.Resource[], outcome: outcomeOf(error) };
      },
    );
  // Given as a promise, the codes hold back only the searches by code.
  const byCode = Promise.resolve(observationCodes).then((codes) =>
    Promise.all(observationCodeQueries(patientId, session.serverUrl, codes).map(search)),
  );
  const [patientAnswer, capability, codeResults, ...plainResults] = await Promise.all([
    patientRead,
    metadata,
    byCode,
    ...plainQueries(patientId).map(search),
  ]);
  const results = [...codeResults, ...plainResults];

  if (patientAnswer.kind === 'error') {
    const failure = classifySessionError(patientAnswer.error);
    if (failure.kind === 'server' && failure.status === 404) {
      return { kind: 'patient-not-found', patientId };
    }
    throw patientAnswer.error;
  }
  const patient = patientAnswer.body;
  if (!isResourceOfType(patient, 'Patient')) {
    throw new SessionError({ kind: 'server', status: undefined });
  }

  const merged = new Map<DataSource, { outcome: SourceOutcome; found: number }>();
  const all: fhir4.Resource[] = [];
  for (const { query, resources, outcome } of results) {
    const previous = merged.get(query.source);
    // Several Observation searches make one source: any failure marks it.
    merged.set(query.source, {
      outcome:
        previous === undefined || previous.outcome.kind === 'loaded' ? outcome : previous.outcome,
      found: (previous?.found ?? 0) + resources.length,
    });
    all.push(...resources);
  }
  const sources = {} as Record<DataSource, SourceOutcome>;
  for (const [source, { outcome, found }] of merged) {
    sources[source] = offeredOutcome(
      outcome,
      found,
      DATA_SOURCE_TYPES[source],
      capability.searchable,
    );
  }

  const medicationRequests = dedupe(ofType(all, 'MedicationRequest'));
  const wanted = unresolvedMedications(medicationRequests).filter(
    (ref) => !ofType(all, 'Medication').some((m) => `Medication/${m.id ?? ''}` === ref),
  );
  const medications = dedupe([
    ...ofType(all, 'Medication'),
    ...(await Promise.all(
      wanted.map((ref) => {
        counter.requests += 1;
        return session.request<unknown>(ref, { signal }).then(
          (body) => (isResourceOfType(body, 'Medication') ? [body] : []),
          (error: unknown) => {
            if (isFatal(error)) throw error;
            return [];
          },
        );
      }),
    ).then((lists) => lists.flat())),
  ]);

  return {
    kind: 'loaded',
    data: {
      patient,
      resources: {
        observations: dedupe(ofType(all, 'Observation')),
        questionnaireResponses: dedupe(ofType(all, 'QuestionnaireResponse')),
        conditions: dedupe(ofType(all, 'Condition')),
        encounters: dedupe(ofType(all, 'Encounter')),
        procedures: dedupe(ofType(all, 'Procedure')),
        serviceRequests: dedupe(ofType(all, 'ServiceRequest')),
        tasks: dedupe(ofType(all, 'Task')),
        coverages: dedupe(ofType(all, 'Coverage')),
        medicationRequests,
        deviceRequests: dedupe(ofType(all, 'DeviceRequest')),
        medications,
      },
      sources,
      writeSupport: capability.writeSupport,
      requests: counter.requests,
      waves: counter.depth + (wanted.length > 0 ? 1 : 0),
    },
  };
}

/**
 * Re-reads the referral trail (Tasks and ServiceRequests, one wave) for the closed loop: on
 * window focus and on a manual refresh. Rejects like `loadPatientData`.
 */
export async function reloadReferrals(
  session: FhirSession,
  patientId: string,
  signal: AbortSignal,
): Promise<{
  tasks: fhir4.Task[];
  serviceRequests: fhir4.ServiceRequest[];
  procedures: fhir4.Procedure[];
  sources: Pick<Record<DataSource, SourceOutcome>, 'tasks' | 'service-requests' | 'procedures'>;
}> {
  const counter: Counter = { requests: 0, depth: 0 };
  const read = (type: string) =>
    searchAll(session, patientSearch(type, 'patient', patientId), signal, counter).then(
      (resources) => ({ resources, outcome: { kind: 'loaded' } as SourceOutcome }),
      (error: unknown) => {
        if (isFatal(error)) throw error;
        return { resources: [] as fhir4.Resource[], outcome: outcomeOf(error) };
      },
    );
  const [tasks, requests, procedures] = await Promise.all([
    read('Task'),
    read('ServiceRequest'),
    read('Procedure'),
  ]);
  return {
    tasks: dedupe(ofType(tasks.resources, 'Task')),
    serviceRequests: dedupe(ofType(requests.resources, 'ServiceRequest')),
    procedures: dedupe(ofType(procedures.resources, 'Procedure')),
    sources: {
      tasks: tasks.outcome,
      'service-requests': requests.outcome,
      procedures: procedures.outcome,
    },
  };
}

function isResourceOfType<K extends fhir4.FhirResource['resourceType']>(
  value: unknown,
  resourceType: K,
): value is Extract<fhir4.FhirResource, { resourceType: K }> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'resourceType' in value &&
    value.resourceType === resourceType
  );
}
