// The community organization's side of a referral (sdoh.md §1.1 "light" workflow: a CBO without
// a FHIR server of its own works the referrer's Tasks through an app). The sandbox launcher links
// to a page where a tester picks an organization, sees the Tasks it owns, and accepts one, rejects
// it with a reason (Task.statusReason) or completes it with an outcome (a Procedure based on the
// ServiceRequest, referenced from Task.output "resulting-activity"). Every change goes through
// the FHIR API (PUT Task, POST Procedure), so versions, validation and search stay consistent.
import { fullAccess, type FhirResponse } from '../fhir/access';
import type { FhirApi } from '../fhir/api';

const SDOHCC =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';

export interface CommunityOrganization {
  id: string;
  name: string;
}

export interface OwnedTask {
  id: string;
  status: string;
  patient: string;
  patientName: string;
  service: string;
  authoredOn: string | undefined;
  lastModified: string | undefined;
  statusReason: string | undefined;
  outcome: string | undefined;
  /** Which actions the page offers for this status. */
  actions: TaskAction['kind'][];
}

export type TaskAction =
  { kind: 'accept' } | { kind: 'reject'; reason: string } | { kind: 'complete'; outcome: string };

export type TaskActionResult =
  { ok: true; task: fhir4.Task } | { ok: false; status: number; error: string };

/** Task statuses a community organization can still act on (SDOHCC Task statuses, sdoh.md §1.2). */
const OPEN = new Set(['requested', 'received', 'ready', 'accepted', 'in-progress', 'on-hold']);

function get(api: FhirApi, path: string, query: Record<string, string> = {}): FhirResponse {
  return api.handle(
    { method: 'GET', path, query: new URLSearchParams(query), body: undefined },
    fullAccess,
  );
}

function entries<T extends fhir4.Resource>(response: FhirResponse, type: string): T[] {
  if (response.status !== 200) return [];
  const bundle = response.body as fhir4.Bundle;
  return (bundle.entry ?? [])
    .map((e) => e.resource as fhir4.Resource | undefined)
    .filter((r): r is T => r?.resourceType === type);
}

/** Organizations that own at least one Task, or are community groups (organization-type cg). */
export function communityOrganizations(api: FhirApi): CommunityOrganization[] {
  const organizations = entries<fhir4.Organization>(
    get(api, '/Organization', { _count: '1000' }),
    'Organization',
  );
  const owners = new Set(
    entries<fhir4.Task>(get(api, '/Task', { _count: '1000', _elements: 'owner' }), 'Task').map(
      (t) => t.owner?.reference ?? '',
    ),
  );
  return organizations
    .filter(
      (o) =>
        owners.has(`Organization/${o.id ?? ''}`) ||
        (o.type ?? []).some((t) => t.coding?.some((c) => c.code === 'cg')),
    )
    .map((o) => ({ id: o.id ?? '', name: o.name ?? o.id ?? '' }));
}

function humanName(patient: fhir4.Patient | undefined): string {
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  if (!name) return '(unknown patient)';
  return name.text ?? [...(name.given ?? []), name.family ?? ''].filter(Boolean).join(' ');
}

function conceptText(concept: fhir4.CodeableConcept | undefined): string {
  return concept?.text ?? concept?.coding?.[0]?.display ?? concept?.coding?.[0]?.code ?? '';
}

/** The Tasks an organization owns, newest first, with what the page shows of each. */
export function ownedTasks(api: FhirApi, organizationId: string): OwnedTask[] {
  const response = get(api, '/Task', {
    owner: `Organization/${organizationId}`,
    _include: 'Task:focus',
    _sort: '-authored-on',
    _count: '1000',
  });
  const tasks = entries<fhir4.Task>(response, 'Task');
  const requests = new Map(
    entries<fhir4.ServiceRequest>(response, 'ServiceRequest').map((r) => [
      `ServiceRequest/${r.id ?? ''}`,
      r,
    ]),
  );
  return tasks.map((task) => {
    const patientRef = task.for?.reference ?? '';
    const patientId = patientRef.replace(/^Patient\//, '');
    const patient =
      patientId === '' ? undefined : (get(api, `/Patient/${patientId}`).body as fhir4.Patient);
    const request = requests.get(task.focus?.reference ?? '');
    const output = task.output?.[0];
    const actions: TaskAction['kind'][] = [];
    if (OPEN.has(task.status)) {
      if (task.status !== 'accepted' && task.status !== 'in-progress') actions.push('accept');
      actions.push('reject', 'complete');
    }
    return {
      id: task.id ?? '',
      status: task.status,
      patient: patientRef,
      patientName: humanName(patient?.resourceType === 'Patient' ? patient : undefined),
      service: conceptText(request?.code) || conceptText(task.code),
      authoredOn: task.authoredOn,
      lastModified: task.lastModified,
      statusReason: task.statusReason?.text,
      outcome:
        output?.valueString ??
        (output?.valueReference
          ? (output.valueReference.display ?? output.valueReference.reference)
          : undefined),
      actions,
    };
  });
}

/**
 * Applies a community organization's decision to a Task it owns: accept (status accepted), reject
 * with a reason (status rejected, statusReason.text), or complete with an outcome (a completed
 * Procedure based on the ServiceRequest, referenced from Task.output "resulting-activity").
 */
export function actOnTask(
  api: FhirApi,
  organizationId: string,
  taskId: string,
  action: TaskAction,
  now: Date,
): TaskActionResult {
  const read = get(api, `/Task/${taskId}`);
  if (read.status !== 200) return { ok: false, status: read.status, error: 'No such Task.' };
  const task = structuredClone(read.body as fhir4.Task);
  if (task.owner?.reference !== `Organization/${organizationId}`) {
    return { ok: false, status: 403, error: 'This organization does not own the Task.' };
  }
  if (!OPEN.has(task.status)) {
    return { ok: false, status: 409, error: `The Task is already ${task.status}.` };
  }
  const stamp = now.toISOString();
  if (action.kind === 'accept') {
    task.status = 'accepted';
    delete task.statusReason;
  } else if (action.kind === 'reject') {
    if (action.reason.trim() === '') {
      return { ok: false, status: 400, error: 'Give a reason for rejecting the referral.' };
    }
    task.status = 'rejected';
    // SDOHCC: statusReason.text should be present for rejected Tasks (sdoh.md §1.2).
    task.statusReason = { text: action.reason.trim() };
  } else {
    if (action.outcome.trim() === '') {
      return { ok: false, status: 400, error: 'Describe the outcome of the referral.' };
    }
    const focus = task.focus?.reference ?? '';
    const request = focus ? (get(api, `/${focus}`).body as fhir4.ServiceRequest) : undefined;
    const procedure: fhir4.Procedure = {
      resourceType: 'Procedure',
      status: 'completed',
      ...(focus ? { basedOn: [{ reference: focus }] } : {}),
      ...(request?.resourceType === 'ServiceRequest' && request.category?.[0]
        ? { category: request.category[0] }
        : {}),
      code:
        request?.resourceType === 'ServiceRequest' && request.code
          ? request.code
          : { text: 'Social service procedure' },
      subject: task.for ?? { reference: '' },
      performedDateTime: stamp,
      performer: [{ actor: { reference: `Organization/${organizationId}` } }],
      note: [{ text: action.outcome.trim() }],
    };
    const created = api.handle(
      { method: 'POST', path: '/Procedure', query: new URLSearchParams(), body: procedure },
      fullAccess,
    );
    if (created.status !== 201) return failure(created);
    const procedureId = (created.body as fhir4.Procedure).id ?? '';
    task.status = 'completed';
    delete task.statusReason;
    task.output = [
      {
        type: {
          coding: [{ system: SDOHCC, code: 'resulting-activity', display: 'Resulting Activity' }],
        },
        valueReference: { reference: `Procedure/${procedureId}`, display: action.outcome.trim() },
      },
    ];
  }
  task.lastModified = stamp;
  const updated = api.handle(
    {
      method: 'PUT',
      path: `/Task/${taskId}`,
      query: new URLSearchParams(),
      body: task,
      headers: { 'if-match': `W/"${(read.body as fhir4.Task).meta?.versionId ?? '1'}"` },
    },
    fullAccess,
  );
  if (updated.status !== 200) return failure(updated);
  return { ok: true, task: updated.body as fhir4.Task };
}

function failure(response: FhirResponse): TaskActionResult {
  const outcome = response.body as fhir4.OperationOutcome | undefined;
  return {
    ok: false,
    status: response.status,
    error: outcome?.issue?.[0]?.diagnostics ?? `HTTP ${response.status}`,
  };
}
