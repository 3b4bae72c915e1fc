import { describe, expect, it } from 'vitest';
import { fullAccess } from '../../../sandbox/fhir/access';
import { createFhirApi } from '../../../sandbox/fhir/api';
import { FhirStore } from '../../../sandbox/fhir/store';
import { paramsFor, tableTypes } from '../../../sandbox/fhir/search';
import {
  BASE,
  bundleOf,
  coding,
  idsOf,
  noAccess,
  NOW,
  observation,
  outcomeOf,
  patient,
  patientAccess,
  setup,
} from './fhir-fixtures';

function world() {
  return setup([
    patient('p1'),
    patient('p2'),
    { resourceType: 'Practitioner', id: 'dr' },
    { resourceType: 'Organization', id: 'org' },
    {
      resourceType: 'Group',
      id: 'panel',
      type: 'person',
      actual: true,
      member: [{ entity: { reference: 'Patient/p1' } }, { entity: { reference: 'Patient/p2' } }],
    },
    observation('o1', 'p1'),
    observation('o2', 'p2'),
    observation('o3', 'p1', { code: coding('2345-7') }),
    {
      resourceType: 'Immunization',
      id: 'imm2',
      status: 'completed',
      patient: { reference: 'Patient/p2' },
    } as fhir4.FhirResource,
    {
      resourceType: 'Coverage',
      id: 'cov2',
      status: 'active',
      beneficiary: { reference: 'Patient/p2' },
    } as fhir4.FhirResource,
  ]);
}

const serviceRequest = (patientId = 'p1'): fhir4.ServiceRequest => ({
  resourceType: 'ServiceRequest',
  status: 'active',
  intent: 'order',
  code: coding('464131000124100', 'http://snomed.info/sct'),
  subject: { reference: `Patient/${patientId}` },
});
const task = (patientId = 'p1'): fhir4.Task => ({
  resourceType: 'Task',
  status: 'requested',
  intent: 'order',
  for: { reference: `Patient/${patientId}` },
});

describe('read', () => {
  it('returns the resource with version headers', () => {
    const res = world().get('Patient/p1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      resourceType: 'Patient',
      id: 'p1',
      meta: { versionId: '1', lastUpdated: NOW },
    });
    expect(res.headers?.ETag).toBe('W/"1"');
  });

  it('reads any type in the store, not only the table types', () => {
    expect(world().get('Immunization/imm2').status).toBe(200);
  });

  it.each([
    ['GET', 'Patient/nope', 404, 'not-found'],
    ['GET', 'Foo/1', 404, 'not-found'],
    ['GET', 'Foo', 404, 'not-found'],
    ['GET', 'patient/p1', 404, 'not-found'],
    ['GET', 'Patient/bad$id', 400, 'invalid'],
    ['GET', 'Patient/p1?foo=1', 400, 'invalid'],
    ['GET', 'Patient/p1?_summary=true', 400, 'not-supported'],
    ['GET', 'Patient/p1/_history/1', 400, 'not-supported'],
    ['GET', 'Patient/p1/$everything', 400, 'not-supported'],
    ['PUT', 'Patient/p1', 405, 'not-supported'],
    ['DELETE', 'Patient/p1', 405, 'not-supported'],
    ['PATCH', 'Observation', 405, 'not-supported'],
    ['GET', '', 405, 'not-supported'],
    ['POST', 'metadata', 405, 'not-supported'],
    ['GET', 'Observation/_search', 405, 'not-supported'],
  ])('%s /%s → %i %s', (method, url, status, code) => {
    const diagnostics = outcomeOf(world().request(method, url), status, code);
    expect(diagnostics.length).toBeGreaterThan(10);
  });

  it('names the unknown type in the 404', () => {
    expect(outcomeOf(world().get('Foo?x=1'), 404)).toContain("'Foo'");
  });
});

describe('access (FhirAccess): scopes and the patient compartment', () => {
  const h = world();
  const asP1 = patientAccess('p1');

  it('403 when the scope grants no read of the type', () => {
    expect(outcomeOf(h.get('Observation/o1', noAccess), 403, 'forbidden')).toBe(
      'scope does not grant read of Observation',
    );
    outcomeOf(h.get('Observation?patient=p1', noAccess), 403, 'forbidden');
    outcomeOf(h.get('Patient/p1', noAccess), 403, 'forbidden');
  });

  it.each([
    ['Observation/o1', 200],
    ['Observation/o2', 403],
    ['Patient/p1', 200],
    ['Patient/p2', 403],
    ['Immunization/imm2', 403],
    ['Coverage/cov2', 403],
    ['Practitioner/dr', 200],
    ['Organization/org', 200],
    ['Group/panel', 200],
    ['Observation/none', 404],
  ])('a Patient/p1 token reading %s → %i', (url, status) => {
    expect(h.get(url, asP1).status).toBe(status);
  });

  it.each([
    ['Observation', ['o1', 'o3']],
    ['Observation?patient=p1', ['o1', 'o3']],
    ['Observation?code=4548-4', ['o1']],
    ['Observation?subject=Patient/p1&code=2345-7', ['o3']],
    ['Patient', ['p1']],
    ['Patient?_id=p1', ['p1']],
    ['Immunization', []],
    ['Coverage', []],
    ['Group', ['panel']],
    ['Practitioner', ['dr']],
  ])('a Patient/p1 search %s is confined to the compartment', (url, expected) => {
    expect(idsOf(h.get(url, asP1))).toEqual(expected);
  });

  it.each([
    'Observation?patient=p2',
    'Observation?patient=Patient/p2',
    'Observation?subject=Patient/p2',
    'Observation?patient=p1,p2',
    'Patient?_id=p2',
    'Coverage?beneficiary=p2',
    'Immunization?patient=p2',
  ])('a Patient/p1 search for another patient (%s) → 403', (url) => {
    expect(outcomeOf(h.get(url, asP1), 403, 'forbidden')).toContain('p2');
  });

  it('the full grant sees everything', () => {
    expect(idsOf(h.get('Observation', fullAccess))).toEqual(['o1', 'o2', 'o3']);
  });

  it('a patient grant may create only for its patient', () => {
    const h2 = world();
    expect(h2.post('ServiceRequest', serviceRequest('p1'), asP1).status).toBe(201);
    outcomeOf(h2.post('ServiceRequest', serviceRequest('p2'), asP1), 403, 'forbidden');
    outcomeOf(h2.post('Task', { ...task(), for: undefined }, asP1), 403, 'forbidden');
    outcomeOf(h2.post('Task', task(), noAccess), 403, 'forbidden');
    expect(h2.store.count('Task')).toBe(0);
  });
});

describe('create', () => {
  it('stores a ServiceRequest: 201, Location, assigned id and meta', () => {
    const h = world();
    const res = h.post('ServiceRequest', { ...serviceRequest(), id: 'client-id' });
    expect(res.status).toBe(201);
    const body = res.body as fhir4.ServiceRequest;
    expect(body.id).toBe('1');
    expect(body.meta).toMatchObject({ versionId: '1', lastUpdated: NOW });
    expect(res.headers?.Location).toBe(`${BASE}/ServiceRequest/1/_history/1`);
    expect(h.get('ServiceRequest/1').body).toEqual(body);
    expect(idsOf(h.get('ServiceRequest?patient=p1'))).toEqual(['1']);
    expect(h.store.get('ServiceRequest', 'client-id')).toBeUndefined();
  });

  it('stores a Task that points at the ServiceRequest, found by its search params', () => {
    const h = world();
    h.post('ServiceRequest', serviceRequest());
    const res = h.post('Task', { ...task(), focus: { reference: 'ServiceRequest/1' } });
    expect(res.status).toBe(201);
    expect(res.headers?.Location).toBe(`${BASE}/Task/1/_history/1`);
    expect(idsOf(h.get('Task?focus=ServiceRequest/1&patient=p1'))).toEqual(['1']);
  });

  it('copies the body: later changes by the caller do not reach the store', () => {
    const h = world();
    const body = serviceRequest();
    h.post('ServiceRequest', body);
    body.status = 'revoked';
    expect(h.store.get('ServiceRequest', '1')).toMatchObject({ status: 'active' });
  });

  it.each(['Patient', 'Practitioner', 'Immunization'])('POST /%s → 405', (type) => {
    outcomeOf(world().post(type, { resourceType: type }), 405, 'not-supported');
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'text', 'body'],
    ['null', null, 'body'],
    ['an array', [serviceRequest()], 'body'],
    ['the wrong type', { ...serviceRequest(), resourceType: 'Task' }, 'resourceType'],
    ['no status', { ...serviceRequest(), status: undefined }, 'status is required'],
    ['a bad status', { ...serviceRequest(), status: 'done' }, 'status'],
    ['a bad intent', { ...serviceRequest(), intent: 'wish' }, 'intent'],
    ['no subject', { ...serviceRequest(), subject: undefined }, 'subject'],
    ['a missing patient', serviceRequest('ghost'), 'Patient/ghost does not exist'],
    ['a urn:uuid reference', { ...serviceRequest(), subject: { reference: 'urn:uuid:1' } }, 'urn'],
    ['a malformed reference', { ...serviceRequest(), requester: { reference: 'a/b/c' } }, 'a/b/c'],
    ['a bad meta', { ...serviceRequest(), meta: 'x' }, 'meta'],
  ])('ServiceRequest with %s → 400', (_label, body, text) => {
    const h = world();
    expect(outcomeOf(h.post('ServiceRequest', body), 400, 'invalid')).toContain(text);
    expect(h.store.count('ServiceRequest')).toBe(0);
  });

  it.each<[string, unknown]>([
    ['no intent', { ...task(), intent: undefined }],
    ['a bad status', { ...task(), status: 'active' }],
    ['a missing focus', { ...task(), focus: { reference: 'ServiceRequest/none' } }],
  ])('Task with %s → 400', (_label, body) => {
    outcomeOf(world().post('Task', body), 400, 'invalid');
  });

  it('accepts absolute references to this server', () => {
    const h = world();
    const res = h.post('ServiceRequest', {
      ...serviceRequest(),
      subject: { reference: `${BASE}/Patient/p1` },
    });
    expect(res.status).toBe(201);
  });
});

describe('batch', () => {
  it('runs each GET entry and reports its status', () => {
    const h = world();
    const res = h.post('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: 'Observation?patient=p1&code=4548-4' } },
        { request: { method: 'GET', url: '/Patient/p2' } },
        { request: { method: 'GET', url: 'Patient/ghost' } },
        { request: { method: 'GET', url: 'Observation?bogus=1' } },
        { request: { method: 'GET', url: `${BASE}/Observation/o2` } },
        { request: { method: 'POST', url: 'Task' }, resource: task() },
        { request: { method: 'GET', url: 'http://elsewhere.example/Patient/p1' } },
        { request: { method: 'POST', url: '' }, resource: { resourceType: 'Bundle' } },
        { fullUrl: 'x' },
      ],
    });
    const bundle = bundleOf(res);
    expect(bundle.type).toBe('batch-response');
    const statuses = (bundle.entry ?? []).map((e) => e.response?.status);
    expect(statuses).toEqual([
      '200 OK',
      '200 OK',
      '404 Not Found',
      '400 Bad Request',
      '200 OK',
      '201 Created',
      '400 Bad Request',
      '400 Bad Request',
      '400 Bad Request',
    ]);
    const [search, read, missing, bad, , created] = bundle.entry ?? [];
    expect((search?.resource as fhir4.Bundle).entry?.map((e) => e.resource?.id)).toEqual(['o1']);
    expect(read?.resource?.id).toBe('p2');
    expect(missing?.resource).toBeUndefined();
    expect(missing?.response?.outcome?.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(bad?.response?.outcome)).toContain('bogus');
    expect(created?.response?.location).toBe(`${BASE}/Task/1/_history/1`);
  });

  it('applies the access of the caller to every entry', () => {
    const h = world();
    const bundle = bundleOf(
      h.post(
        '',
        {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [
            { request: { method: 'GET', url: 'Observation/o1' } },
            { request: { method: 'GET', url: 'Observation/o2' } },
            { request: { method: 'GET', url: 'Observation?patient=p2' } },
          ],
        },
        patientAccess('p1'),
      ),
    );
    expect(bundle.entry?.map((e) => e.response?.status)).toEqual([
      '200 OK',
      '403 Forbidden',
      '403 Forbidden',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['a collection', { resourceType: 'Bundle', type: 'collection', entry: [] }, 'invalid'],
    ['not a Bundle', { resourceType: 'Patient' }, 'invalid'],
    ['no body', undefined, 'invalid'],
    ['entry not an array', { resourceType: 'Bundle', type: 'batch', entry: {} }, 'invalid'],
  ])('POST / with %s → 400', (_label, body, code) => {
    outcomeOf(world().post('', body), 400, code);
  });

  it('an empty batch gives an empty batch-response', () => {
    const bundle = bundleOf(world().post('', { resourceType: 'Bundle', type: 'batch' }));
    expect(bundle.entry).toEqual([]);
  });
});

describe('CapabilityStatement', () => {
  const h = world();
  const cs = h.api.capabilityStatement();
  const rest = cs.rest?.[0];

  it('is served at /metadata', () => {
    const res = h.get('metadata?_format=json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(cs);
    expect(outcomeOf(h.get('metadata?foo=1'), 400)).toContain('foo');
  });

  it('describes an R4 JSON server secured by SMART', () => {
    expect(cs).toMatchObject({ fhirVersion: '4.0.1', kind: 'instance', status: 'active' });
    expect(cs.format).toContain('json');
    expect(rest?.mode).toBe('server');
    expect(rest?.security?.service?.[0]?.coding?.[0]).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
      code: 'SMART-on-FHIR',
    });
    const oauth = rest?.security?.extension?.find(
      (e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    );
    expect(oauth?.extension).toEqual([
      { url: 'authorize', valueUri: `${BASE}/../auth/authorize` },
      { url: 'token', valueUri: `${BASE}/../auth/token` },
    ]);
  });

  it('lists every table type and every type in the store', () => {
    const types = rest?.resource?.map((r) => r.type) ?? [];
    for (const type of [...tableTypes, ...h.store.resourceTypes()]) expect(types).toContain(type);
    expect(types).toContain('Immunization');
  });

  it('lists create for the referral and decline types, update for ServiceRequest and Task', () => {
    for (const resource of rest?.resource ?? []) {
      const codes = resource.interaction?.map((i) => i.code);
      const create = ['ServiceRequest', 'Task', 'Procedure', 'Observation'].includes(resource.type);
      const update = ['ServiceRequest', 'Task'].includes(resource.type);
      expect(codes).toEqual([
        'read',
        'search-type',
        ...(create ? ['create'] : []),
        ...(update ? ['update'] : []),
      ]);
    }
  });

  it('lists exactly the search table, with name, type and definition', () => {
    for (const resource of rest?.resource ?? []) {
      const listed = (resource.searchParam ?? []).map((p) => `${p.name}:${p.type}`).sort();
      const table = [...paramsFor(resource.type).values()].map((d) => `${d.name}:${d.kind}`);
      expect(listed, resource.type).toEqual(table.sort());
      for (const p of resource.searchParam ?? []) {
        expect(p.definition).toMatch(/^http:\/\/hl7\.org\/fhir\/SearchParameter\/[A-Za-z-]+$/);
      }
    }
  });

  it('has patient or subject for every compartment type (fhirclient patient.request)', () => {
    for (const type of ['Observation', 'Condition', 'Encounter', 'Procedure', 'ServiceRequest']) {
      const names = rest?.resource?.find((r) => r.type === type)?.searchParam?.map((p) => p.name);
      expect(names).toContain('patient');
      expect(names).toContain('subject');
    }
    for (const type of ['Task', 'Coverage', 'MedicationRequest', 'List', 'Immunization']) {
      const names = rest?.resource?.find((r) => r.type === type)?.searchParam?.map((p) => p.name);
      expect(names, type).toContain('patient');
    }
  });

  it('every listed parameter is accepted by the search API', () => {
    const sample = { token: 'x', date: '2020', string: 'a' } as const;
    for (const resource of rest?.resource ?? []) {
      for (const p of resource.searchParam ?? []) {
        const def = paramsFor(resource.type).get(p.name);
        const value =
          p.type === 'reference'
            ? `${def?.targets?.[0] ?? 'Patient'}/p1`
            : sample[p.type as 'token'];
        const res = h.get(`${resource.type}?${p.name}=${encodeURIComponent(value)}`);
        expect(res.status, `${resource.type}?${p.name}=${value}`).toBe(200);
      }
    }
  });

  it('adds the register endpoint when there is one', () => {
    const api = createFhirApi(new FhirStore(), {
      baseUrl: `${BASE}/`,
      oauth: {
        authorize: 'https://a/authorize',
        token: 'https://a/token',
        register: 'https://a/r',
      },
    });
    const statement = api.capabilityStatement();
    expect(statement.rest?.[0]?.security?.extension?.[0]?.extension?.[2]).toEqual({
      url: 'register',
      valueUri: 'https://a/r',
    });
    // A trailing slash on the base URL does not double up in links.
    expect(statement.implementation?.url).toBe(BASE);
  });
});
