// Writes the referral workflow needs (issue 8, sdoh.md §1.2): transaction Bundles with urn:uuid
// references, conditional create on identifier, Task update by PUT, `_include`, community
// resources searchable by domain, and what the CapabilityStatement says about each.
import { describe, expect, it } from 'vitest';
import type { FhirAccess } from '../../../sandbox/fhir/access';
import { createFhirApi } from '../../../sandbox/fhir/api';
import { FhirStore } from '../../../sandbox/fhir/store';
import {
  BASE,
  bundleOf,
  clock,
  idsOf,
  outcomeOf,
  patient,
  patientAccess,
  setup,
} from './fhir-fixtures';

const KEY = 'urn:uuid:6a1c2b1e-58f1-4d3e-9a5e-1f7e3c9b0d42';
const identifier = [{ system: 'urn:ietf:rfc:3986', value: KEY }];

const serviceRequest = (more: Partial<fhir4.ServiceRequest> = {}): fhir4.ServiceRequest => ({
  resourceType: 'ServiceRequest',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '713109004' }] },
  identifier,
  ...more,
});

const task = (focus: string, more: Partial<fhir4.Task> = {}): fhir4.Task => ({
  resourceType: 'Task',
  status: 'requested',
  intent: 'order',
  focus: { reference: focus },
  for: { reference: 'Patient/p1' },
  owner: { reference: 'Organization/cbo' },
  identifier,
  ...more,
});

const organization: fhir4.Organization = {
  resourceType: 'Organization',
  id: 'cbo',
  name: 'Food bank',
};

function referralTransaction(): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      // The Task first: its focus must still resolve to the ServiceRequest created below.
      {
        fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000002',
        resource: task('urn:uuid:00000000-0000-4000-8000-000000000001'),
        request: {
          method: 'POST',
          url: 'Task',
          ifNoneExist: `identifier=urn:ietf:rfc:3986|${KEY}`,
        },
      },
      {
        fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001',
        resource: serviceRequest(),
        request: {
          method: 'POST',
          url: 'ServiceRequest',
          ifNoneExist: `identifier=urn:ietf:rfc:3986|${KEY}`,
        },
      },
    ],
  };
}

describe('transaction Bundles', () => {
  it('creates a ServiceRequest and its Task with the urn:uuid reference resolved', () => {
    const h = setup([patient('p1'), organization]);
    const response = h.post('/', referralTransaction());
    const bundle = bundleOf(response);
    expect(bundle.type).toBe('transaction-response');
    expect(bundle.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const created = bundle.entry?.map((e) => e.resource) ?? [];
    const [t, sr] = created as [fhir4.Task, fhir4.ServiceRequest];
    expect(t.focus?.reference).toBe(`ServiceRequest/${sr.id ?? ''}`);
    expect(h.store.get('Task', t.id ?? '')).toBeDefined();
    expect(idsOf(h.get('Task?focus=ServiceRequest/' + (sr.id ?? '')))).toEqual([t.id]);
  });

  it('is idempotent: the same transaction again matches both resources and creates nothing', () => {
    const h = setup([patient('p1'), organization]);
    h.post('/', referralTransaction());
    const again = bundleOf(h.post('/', referralTransaction()));
    expect(again.entry?.map((e) => e.response?.status)).toEqual(['200 OK', '200 OK']);
    expect(h.store.count('ServiceRequest')).toBe(1);
    expect(h.store.count('Task')).toBe(1);
  });

  it('is all-or-nothing: a failing entry leaves the store unchanged', () => {
    const h = setup([patient('p1'), organization]);
    const bad = referralTransaction();
    const entries = bad.entry ?? [];
    entries.push({
      resource: {
        resourceType: 'Task',
        status: 'nonsense',
        intent: 'order',
      } as unknown as fhir4.Task,
      request: { method: 'POST', url: 'Task' },
    });
    const diagnostics = outcomeOf(h.post('/', bad), 400);
    expect(diagnostics).toContain('nothing was changed');
    expect(h.store.count('ServiceRequest')).toBe(0);
    expect(h.store.count('Task')).toBe(0);
  });

  it('rolls back an update made earlier in the same transaction', () => {
    const h = setup([patient('p1'), organization]);
    const first = bundleOf(h.post('/', referralTransaction()));
    const t = first.entry?.[0]?.resource as fhir4.Task;
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { ...t, status: 'cancelled' },
          request: { method: 'PUT', url: `Task/${t.id ?? ''}` },
        },
        { request: { method: 'GET', url: 'Patient/nobody' } },
      ],
    };
    outcomeOf(h.post('/', bundle), 404);
    expect((h.store.get('Task', t.id ?? '') as fhir4.Task).status).toBe('requested');
  });

  it('refuses a urn:uuid that no entry defines', () => {
    const h = setup([patient('p1')]);
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: task('urn:uuid:missing'), request: { method: 'POST', url: 'Task' } }],
    };
    expect(outcomeOf(h.post('/', bundle), 400)).toContain('only resolves inside a transaction');
    expect(h.store.count('Task')).toBe(0);
  });
});

describe('conditional create (If-None-Exist)', () => {
  const post = (h: ReturnType<typeof setup>, body: unknown, ifNoneExist?: string) =>
    h.api.handle(
      {
        method: 'POST',
        path: '/ServiceRequest',
        query: new URLSearchParams(),
        body,
        ...(ifNoneExist ? { headers: { 'if-none-exist': ifNoneExist } } : {}),
      },
      {
        read: () => ({ kind: 'all' }),
        create: () => ({ kind: 'all' }),
        update: () => ({ kind: 'all' }),
      },
    );

  it('creates when nothing matches, returns the match (200) when one does', () => {
    const h = setup([patient('p1')]);
    const query = `identifier=urn:ietf:rfc:3986|${KEY}`;
    const first = post(h, serviceRequest(), query);
    expect(first.status).toBe(201);
    const second = post(h, serviceRequest(), query);
    expect(second.status).toBe(200);
    expect((second.body as fhir4.ServiceRequest).id).toBe((first.body as fhir4.ServiceRequest).id);
    expect(h.store.count('ServiceRequest')).toBe(1);
  });

  it('answers 412 when several resources match', () => {
    const h = setup([patient('p1')]);
    post(h, serviceRequest());
    post(h, serviceRequest());
    outcomeOf(post(h, serviceRequest(), `identifier=urn:ietf:rfc:3986|${KEY}`), 412);
    expect(h.store.count('ServiceRequest')).toBe(2);
  });
});

describe('Task update (PUT)', () => {
  function withTask() {
    const h = setup([patient('p1'), patient('p2'), organization]);
    const created = bundleOf(h.post('/', referralTransaction())).entry?.[0]?.resource as fhir4.Task;
    return { h, created };
  }

  it('stores a new version and keeps the Task searchable by its new status', () => {
    const { h, created } = withTask();
    const response = h.request('PUT', `Task/${created.id ?? ''}`, {
      ...created,
      status: 'rejected',
      statusReason: { text: 'Program at capacity' },
    });
    expect(response.status).toBe(200);
    expect(response.headers?.ETag).toBe('W/"2"');
    expect(idsOf(h.get('Task?status=rejected'))).toEqual([created.id]);
    expect(idsOf(h.get('Task?status=requested'))).toEqual([]);
  });

  it('refuses a stale If-Match, a mismatched id, an unknown Task and a token without update', () => {
    const { h, created } = withTask();
    const id = created.id ?? '';
    const put = (body: unknown, headers?: Record<string, string>, access?: FhirAccess) =>
      h.api.handle(
        {
          method: 'PUT',
          path: `/Task/${id}`,
          query: new URLSearchParams(),
          body,
          ...(headers ? { headers } : {}),
        },
        access ?? {
          read: () => ({ kind: 'all' }),
          create: () => ({ kind: 'all' }),
          update: () => ({ kind: 'all' }),
        },
      );
    outcomeOf(put({ ...created, status: 'accepted' }, { 'if-match': 'W/"7"' }), 412);
    outcomeOf(put({ ...created, id: 'other' }), 400);
    outcomeOf(h.request('PUT', 'Task/nope', { ...created, id: 'nope' }), 404);
    const readOnly: FhirAccess = {
      read: () => ({ kind: 'all' }),
      create: () => ({ kind: 'none' }),
      update: () => ({ kind: 'none' }),
    };
    outcomeOf(put({ ...created, status: 'accepted' }, undefined, readOnly), 403, 'forbidden');
    outcomeOf(
      h.request('PUT', `Task/${id}`, { ...created, status: 'accepted' }, patientAccess('p2')),
      403,
      'forbidden',
    );
    expect((h.store.get('Task', id) as fhir4.Task).status).toBe('requested');
  });

  it('is not offered for other types', () => {
    const h = setup([patient('p1')]);
    outcomeOf(h.request('PUT', 'Patient/p1', patient('p1')), 405);
  });
});

describe('_include and community resources', () => {
  const services: fhir4.HealthcareService[] = [
    {
      resourceType: 'HealthcareService',
      id: 'hs-food',
      providedBy: { reference: 'Organization/cbo' },
      category: [
        {
          coding: [
            {
              system:
                'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
              code: 'food-insecurity',
            },
          ],
        },
      ],
      type: [{ coding: [{ system: 'http://snomed.info/sct', code: '713109004' }] }],
    },
    {
      resourceType: 'HealthcareService',
      id: 'hs-ride',
      category: [
        {
          coding: [
            {
              system:
                'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
              code: 'transportation-insecurity',
            },
          ],
        },
      ],
    },
  ];

  it('finds HealthcareService by SDOHCC domain and service code, with its Organization', () => {
    const h = setup([organization, ...services]);
    expect(idsOf(h.get('HealthcareService?service-category=food-insecurity'))).toEqual(['hs-food']);
    expect(idsOf(h.get('HealthcareService?service-type=http://snomed.info/sct|713109004'))).toEqual(
      ['hs-food'],
    );
    const bundle = bundleOf(
      h.get(
        'HealthcareService?service-category=food-insecurity&_include=HealthcareService:organization',
      ),
    );
    expect(bundle.entry?.map((e) => [e.resource?.id, e.search?.mode])).toEqual([
      ['hs-food', 'match'],
      ['cbo', 'include'],
    ]);
  });

  it('includes a Task focus, and refuses an _include that is not a reference parameter', () => {
    const h = setup([patient('p1'), organization]);
    h.post('/', referralTransaction());
    const bundle = bundleOf(h.get('Task?patient=p1&_include=Task:focus'));
    expect(bundle.entry?.map((e) => e.resource?.resourceType)).toEqual(['Task', 'ServiceRequest']);
    expect(outcomeOf(h.get('Task?_include=Task:status'), 400)).toContain('_include');
  });
});

describe('CapabilityStatement and switched-off features', () => {
  it('advertises transaction, batch, conditional create, Task update and $export', () => {
    const h = setup([patient('p1')]);
    const cs = h.api.capabilityStatement();
    const rest = cs.rest?.[0];
    expect(rest?.interaction?.map((i) => i.code)).toEqual(['batch', 'transaction']);
    const byType = new Map(rest?.resource?.map((r) => [r.type, r]));
    expect(byType.get('Task')?.interaction?.map((i) => i.code)).toEqual([
      'read',
      'search-type',
      'create',
      'update',
    ]);
    expect(byType.get('ServiceRequest')?.conditionalCreate).toBe(true);
    expect(byType.get('Group')?.operation?.[0]?.name).toBe('export');
    expect(byType.get('HealthcareService')?.searchParam?.map((p) => p.name)).toContain(
      'service-category',
    );
  });

  it('without transaction, batch or reference lists, says so and refuses them', () => {
    const store = new FhirStore({ now: clock });
    store.add(patient('p1'));
    store.add(patient('p2'));
    const api = createFhirApi(store, {
      baseUrl: BASE,
      oauth: { authorize: 'a', token: 't' },
      now: clock,
      features: { transaction: false, batch: false, referenceLists: false, bulkExport: false },
    });
    const rest = api.capabilityStatement().rest?.[0];
    expect(rest?.interaction).toBeUndefined();
    expect(rest?.resource?.find((r) => r.type === 'Group')?.operation).toBeUndefined();
    const full: FhirAccess = {
      read: () => ({ kind: 'all' }),
      create: () => ({ kind: 'all' }),
      update: () => ({ kind: 'all' }),
    };
    const post = (body: unknown) =>
      api.handle({ method: 'POST', path: '/', query: new URLSearchParams(), body }, full);
    expect(post(referralTransaction()).status).toBe(405);
    const list = api.handle(
      {
        method: 'GET',
        path: '/Observation',
        query: new URLSearchParams('patient=p1,p2'),
        body: undefined,
      },
      full,
    );
    outcomeOf(list, 400, 'not-supported');
    const one = api.handle(
      {
        method: 'GET',
        path: '/Observation',
        query: new URLSearchParams('patient=p1'),
        body: undefined,
      },
      full,
    );
    expect(one.status).toBe(200);
  });
});
