import { describe, expect, it } from 'vitest';
import {
  BASE,
  bundleOf,
  coding,
  idsOf,
  LOINC,
  observation,
  outcomeOf,
  patient,
  setup,
} from './fhir-fixtures';

const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
};

describe('date search: prefixes and precision (R4 search §3.1.1.4.2, values are ranges)', () => {
  const h = setup([
    patient('p'),
    observation('o1', 'p', { effectiveDateTime: '2020-03-15T10:00:00Z' }),
    // 2021-01-01T04:30:00Z in UTC: a 2021 value despite its local date.
    observation('o2', 'p', { effectiveDateTime: '2020-12-31T23:30:00-05:00' }),
    observation('o3', 'p', { effectiveDateTime: '2021-01-01' }),
    observation('o4', 'p', { effectivePeriod: { start: '2019-12-20', end: '2020-01-10' } }),
    observation('o5', 'p', { effectiveDateTime: '2019-06' }),
    observation('o6', 'p'),
  ]);

  it.each([
    ['date=2020', ['o1']],
    ['date=eq2020', ['o1']],
    ['date=2021', ['o2', 'o3']],
    ['date=2020-03', ['o1']],
    ['date=2020-03-15', ['o1']],
    ['date=2020-03-15T10:00:00Z', ['o1']],
    ['date=2020-03-15T06:00:00-04:00', ['o1']],
    ['date=2020-03-15T10:00Z', ['o1']],
    ['date=2020-03-15T10:00:01Z', []],
    ['date=2020-12-31', []],
    ['date=2020-01-05', []],
    ['date=ge2021', ['o2', 'o3']],
    ['date=gt2020', ['o2', 'o3']],
    ['date=lt2020', ['o4', 'o5']],
    ['date=le2019-12-31', ['o4', 'o5']],
    ['date=ne2020', ['o2', 'o3', 'o4', 'o5']],
    ['date=sa2020', ['o2', 'o3']],
    ['date=eb2020', ['o5']],
    ['date=ge2020&date=lt2021', ['o1']],
    ['date=2019,2021', ['o2', 'o3', 'o5']],
    ['date=ge2019-12-25&date=le2020-01-05', ['o4']],
    ['date=lt2020-01-01T00:00:00Z&date=gt2019-12-31', ['o4']],
  ])('Observation?%s → %j', (query, expected) => {
    expect(idsOf(h.get(`Observation?${query}`))).toEqual(expected);
  });

  it.each([
    'date=2020-03-15T10:00:00', // a time needs a timezone
    'date=2020-13',
    'date=2020-02-30',
    'date=xx2020',
    'date=ap2020',
    'date=2020/03/15',
    'date=20',
    'date:missing=true',
  ])('Observation?%s → 400 naming the parameter', (query) => {
    expect(outcomeOf(h.get(`Observation?${query}`), 400, 'invalid')).toContain('date');
  });

  it.each([
    [
      'Encounter',
      'date',
      { period: { start: '2020-05-01T08:00:00Z', end: '2020-05-01T09:00:00Z' } },
    ],
    ['Condition', 'onset-date', { onsetDateTime: '2020-05-01' }],
    ['Procedure', 'date', { performedDateTime: '2020-05-01T10:00:00+02:00' }],
    ['ServiceRequest', 'authored', { authoredOn: '2020-05-01' }],
    ['Task', 'authored-on', { authoredOn: '2020-05-01T12:00:00Z' }],
    ['Patient', 'birthdate', { birthDate: '2020-05-01' }],
  ])('%s?%s reads the right element', (type, param, fields) => {
    const subject = type === 'Task' ? { for: { reference: 'Patient/p' } } : {};
    const h2 = setup([
      patient('p'),
      { resourceType: type, id: 'in', subject: { reference: 'Patient/p' }, ...subject, ...fields },
      { resourceType: type, id: 'out', subject: { reference: 'Patient/p' }, ...subject },
    ] as fhir4.FhirResource[]);
    expect(idsOf(h2.get(`${type}?${param}=2020-05-01`))).toEqual(['in']);
    expect(idsOf(h2.get(`${type}?${param}=ge2020-05&${param}=lt2020-06`))).toEqual(['in']);
    expect(idsOf(h2.get(`${type}?${param}=2021`))).toEqual([]);
  });

  it('_lastUpdated is a date parameter on every type', () => {
    const h2 = setup([
      patient('a', { meta: { lastUpdated: '2024-01-01T00:00:00Z' } }),
      patient('b', { meta: { lastUpdated: '2025-01-01T00:00:00Z' } }),
    ]);
    expect(idsOf(h2.get('Patient?_lastUpdated=ge2024-06'))).toEqual(['b']);
  });
});

describe('token search', () => {
  const category = {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
        code: 'laboratory',
      },
    ],
  };
  const h = setup([
    patient('p'),
    observation('t1', 'p'),
    observation('t2', 'p', { code: coding('4548-4', 'http://example.org/local') }),
    observation('t3', 'p', { code: coding('4548-4', null) }),
    observation('t4', 'p', { code: coding('2345-7'), category: [category], status: 'amended' }),
  ]);

  it.each([
    ['code=4548-4', ['t1', 't2', 't3']],
    ['code=http://loinc.org|4548-4', ['t1']],
    ['code=|4548-4', ['t3']],
    ['code=http://loinc.org|', ['t1', 't4']],
    ['code=http://loinc.org|4548-4,http://loinc.org|2345-7', ['t1', 't4']],
    ['code=2345-7,|4548-4', ['t3', 't4']],
    ['code=9999-9', []],
    ['code:not=4548-4', ['t4']],
    ['code=4548-4&code=http://loinc.org|', ['t1']],
    ['status=amended', ['t4']],
    ['status=http://hl7.org/fhir/observation-status|final', ['t1', 't2', 't3']],
    ['status=http://example.org|final', []],
    ['category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory', ['t4']],
    ['category=laboratory&code=2345-7', ['t4']],
    ['_id=t2,t4', ['t2', 't4']],
    ['_id=t2&code=2345-7', []],
    ['_id=nope', []],
  ])('Observation?%s → %j', (query, expected) => {
    expect(idsOf(h.get(`Observation?${query}`))).toEqual(expected);
  });

  it.each([
    'code=a|b|c',
    'code=|',
    'code=a,',
    'code:text=glucose',
    'code:exact=4548-4',
    '_id=bad id',
    '_id=sys|id',
  ])('Observation?%s → 400', (query) => {
    expect(outcomeOf(h.get(`Observation?${query}`), 400, 'invalid')).toMatch(/code|_id/);
  });

  it('escaped commas and pipes are part of the value (R4 search, escaping)', () => {
    const h2 = setup([
      patient('p'),
      observation('x', 'p', { code: coding('a,b', 'http://s') }),
      observation('y', 'p', { code: coding('a', 'http://s') }),
    ]);
    expect(idsOf(h2.get(`Observation?code=${encodeURIComponent('http://s|a\\,b')}`))).toEqual([
      'x',
    ]);
  });

  it('an empty parameter is ignored (R4 search)', () => {
    expect(idsOf(h.get('Observation?code=&status=amended'))).toEqual(['t4']);
  });
});

describe('reference, string and type-specific parameters', () => {
  const npi = 'http://hl7.org/fhir/sid/us-npi';
  const h = setup([
    { resourceType: 'Practitioner', id: 'dr', identifier: [{ system: npi, value: '123' }] },
    patient('p1', {
      name: [{ family: 'Núñez', given: ['José', 'María'] }],
      gender: 'male',
      birthDate: '1960-02-03',
      identifier: [{ system: 'urn:mrn', value: 'MRN-1' }],
      generalPractitioner: [{ reference: 'Practitioner/dr' }],
    }),
    patient('p2', { name: [{ family: 'Nunn', given: ['Ann'] }], gender: 'female' }),
    patient('p3', { name: [{ family: 'Smith', given: ['Jose'] }], gender: 'male' }),
    observation('o1', 'p1'),
    observation('o2', 'p2'),
    {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [coding('185349003', 'http://snomed.info/sct')],
      subject: { reference: 'Patient/p1' },
    },
    {
      resourceType: 'Encounter',
      id: 'e2',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: 'Patient/p2' },
    },
    {
      resourceType: 'ServiceRequest',
      id: 'sr1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
    },
    {
      resourceType: 'Task',
      id: 'task1',
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/p1' },
      focus: { reference: 'ServiceRequest/sr1' },
      owner: { reference: 'Practitioner/dr' },
      code: coding('fulfill', 'http://hl7.org/fhir/CodeSystem/task-code'),
    },
    {
      resourceType: 'Coverage',
      id: 'cov1',
      status: 'active',
      beneficiary: { reference: 'Patient/p2' },
      payor: [{ reference: 'Patient/p2' }],
    },
    {
      resourceType: 'Group',
      id: 'g1',
      type: 'person',
      actual: true,
      member: [{ entity: { reference: 'Patient/p1' } }, { entity: { reference: 'Patient/p3' } }],
    },
  ]);

  it.each([
    ['Observation?patient=Patient/p1', ['o1']],
    ['Observation?patient=p1', ['o1']],
    [`Observation?patient=${BASE}/Patient/p2`, ['o2']],
    ['Observation?patient=p1,p2', ['o1', 'o2']],
    ['Observation?subject=Patient/p2', ['o2']],
    ['Observation?subject=p2', ['o2']],
    ['Observation?subject:Patient=p1', ['o1']],
    ['Observation?patient=nobody', []],
    ['Patient?name=nun', ['p1', 'p2']],
    ['Patient?name=NÚÑ', ['p1', 'p2']],
    ['Patient?family=nunez', ['p1']],
    ['Patient?family:exact=Núñez', ['p1']],
    ['Patient?family:exact=nunez', []],
    ['Patient?given=jose', ['p1', 'p3']],
    ['Patient?given:contains=ari', ['p1']],
    ['Patient?name=maria&gender=male', ['p1']],
    ['Patient?gender=female', ['p2']],
    ['Patient?gender=http://hl7.org/fhir/administrative-gender|male', ['p1', 'p3']],
    ['Patient?identifier=urn:mrn|MRN-1', ['p1']],
    ['Patient?identifier=MRN-1', ['p1']],
    ['Patient?general-practitioner=Practitioner/dr', ['p1']],
    ['Patient?general-practitioner=dr', ['p1']],
    ['Patient?birthdate=1960', ['p1']],
    ['Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|123', ['dr']],
    ['Encounter?class=AMB', ['e1']],
    ['Encounter?class=http://terminology.hl7.org/CodeSystem/v3-ActCode|IMP', ['e2']],
    ['Encounter?type=http://snomed.info/sct|185349003', ['e1']],
    ['Encounter?patient=p2&status=finished', ['e2']],
    ['Task?for=Patient/p1', ['task1']],
    ['Task?patient=p1', ['task1']],
    ['Task?focus=ServiceRequest/sr1', ['task1']],
    ['Task?owner=Practitioner/dr', ['task1']],
    ['Task?code=fulfill', ['task1']],
    ['Task?status=requested', ['task1']],
    ['ServiceRequest?patient=p1&status=active&intent=order', ['sr1']],
    ['Coverage?beneficiary=Patient/p2', ['cov1']],
    ['Coverage?patient=p2', ['cov1']],
    ['Group?member=Patient/p3', ['g1']],
    ['Group?member=p1', ['g1']],
    ['Group?member=p2', []],
  ])('%s → %j', (url, expected) => {
    expect(idsOf(h.get(url))).toEqual(expected);
  });

  it.each([
    ['Observation?patient=Group/g1', 'patient'],
    ['Observation?patient=a/b/c', 'patient'],
    ['Observation?subject:foo=1', 'subject'],
    ['Observation?patient:missing=true', 'patient'],
    ['Patient?name:phonetic=jon', 'name'],
    ['Observation?subject.name=jose', 'subject.name'],
    ['Observation?foo=bar', 'foo'],
    ['Observation?_revinclude=Observation:patient', '_revinclude'],
    ['Patient?code=x', 'code'],
    ['Observation?_count=5&_count=6', '_count'],
  ])('%s → 400 naming %s', (url, param) => {
    expect(outcomeOf(h.get(url), 400)).toContain(param);
  });
});

describe('paging', () => {
  const observations = Array.from({ length: 23 }, (_, i) =>
    observation(`o${String(i).padStart(2, '0')}`, 'p', {
      effectiveDateTime: `2020-01-${String(i + 1).padStart(2, '0')}`,
    }),
  );
  const h = setup([patient('p'), patient('q'), observation('other', 'q'), ...observations]);

  it.each([1, 5, 7, 22, 23, 50])('_count=%i: following next visits every match once', (count) => {
    const seen: string[] = [];
    let url: string | undefined = `Observation?patient=p&code=${LOINC}|4548-4&_count=${count}`;
    let pages = 0;
    while (url !== undefined) {
      const bundle = bundleOf(h.get(url));
      pages++;
      expect(bundle.type).toBe('searchset');
      expect(bundle.total).toBe(23);
      for (const entry of bundle.entry ?? []) {
        expect(entry.search?.mode).toBe('match');
        expect(entry.fullUrl).toBe(`${BASE}/Observation/${entry.resource?.id}`);
        seen.push(entry.resource?.id ?? '?');
      }
      expect((bundle.entry ?? []).length).toBeLessThanOrEqual(count);
      const links = Object.fromEntries((bundle.link ?? []).map((l) => [l.relation, l.url]));
      expect(links.self?.startsWith(`${BASE}/Observation?`)).toBe(true);
      expect(links.previous !== undefined).toBe(pages > 1);
      url = links.next;
      if (url !== undefined) {
        expect(url.startsWith(`${BASE}/Observation?`)).toBe(true);
        expect(new URL(url).searchParams.get('patient')).toBe('p');
      }
      expect(pages).toBeLessThan(30);
    }
    expect(pages).toBe(Math.ceil(23 / count));
    expect(seen).toEqual(observations.map((o) => o.id));
  });

  it('previous goes back one page', () => {
    const bundle = bundleOf(h.get('Observation?patient=p&_count=5&_offset=10'));
    const previous = bundle.link?.find((l) => l.relation === 'previous')?.url ?? '';
    expect(new URL(previous).searchParams.get('_offset')).toBe('5');
    expect(idsOf(h.get(previous))).toEqual(['o05', 'o06', 'o07', 'o08', 'o09']);
  });

  it('the default page is 50 and _count is capped at 1000', () => {
    expect(idsOf(h.get('Observation'))).toHaveLength(24);
    const bundle = bundleOf(h.get('Observation?_count=5000'));
    const self = bundle.link?.find((l) => l.relation === 'self')?.url ?? '';
    expect(new URL(self).searchParams.get('_count')).toBe('1000');
  });

  it.each(['_count=0', '_summary=count', '_summary=count&_count=3'])(
    '%s gives the total and no entries',
    (query) => {
      const bundle = bundleOf(h.get(`Observation?patient=p&${query}`));
      expect(bundle.total).toBe(23);
      expect(bundle.entry).toBeUndefined();
    },
  );

  it('_total=none leaves the total out; accurate keeps it', () => {
    expect(bundleOf(h.get('Observation?_total=none')).total).toBeUndefined();
    expect(bundleOf(h.get('Observation?_total=accurate')).total).toBe(24);
  });

  it('an offset past the end gives an empty page without next', () => {
    const bundle = bundleOf(h.get('Observation?patient=p&_offset=100'));
    expect(bundle.entry).toEqual([]);
    expect(bundle.link?.some((l) => l.relation === 'next')).toBe(false);
  });

  it.each([
    '_count=-1',
    '_count=abc',
    '_count=1.5',
    '_offset=x',
    '_summary=true',
    '_total=maybe',
    '_format=xml',
  ])('Observation?%s → 400', (query) => {
    expect(outcomeOf(h.get(`Observation?${query}`), 400)).toContain(query.split('=')[0]);
  });

  it('accepts _format=json and application/fhir+json', () => {
    expect(h.get('Observation?_format=json&_count=1').status).toBe(200);
    expect(h.get('Observation?_format=application%2Ffhir%2Bjson').status).toBe(200);
    expect(h.get('Observation?_format=application/fhir+json').status).toBe(200);
  });

  it('POST /{type}/_search takes the same parameters', () => {
    const res = h.request('POST', 'Observation/_search?patient=q');
    expect(idsOf(res)).toEqual(['other']);
  });
});

describe('_sort', () => {
  const h = setup([
    patient('a', {
      birthDate: '1980-05-01',
      name: [{ family: 'Zeta' }],
      meta: { lastUpdated: '2024-03-01T00:00:00Z' },
    }),
    patient('b', {
      birthDate: '1970-01-01',
      name: [{ family: 'alpha' }],
      meta: { lastUpdated: '2024-01-01T00:00:00Z' },
    }),
    patient('c', { name: [{ family: 'Éclair' }], meta: { lastUpdated: '2024-02-01T00:00:00Z' } }),
    observation('x1', 'a', { effectiveDateTime: '2021-01-01' }),
    observation('x2', 'a', { effectiveDateTime: '2023-06-01T00:00:00Z' }),
    observation('x3', 'a'),
    observation('x4', 'a', { effectivePeriod: { start: '2022-01-01', end: '2022-02-01' } }),
  ]);

  it.each([
    ['Observation?_sort=-date', ['x2', 'x4', 'x1', 'x3']],
    ['Observation?_sort=date', ['x1', 'x4', 'x2', 'x3']],
    ['Patient?_sort=birthdate', ['b', 'a', 'c']],
    ['Patient?_sort=-birthdate', ['a', 'b', 'c']],
    ['Patient?_sort=family', ['b', 'c', 'a']],
    ['Patient?_sort=-family', ['a', 'c', 'b']],
    ['Patient?_sort=_lastUpdated', ['b', 'c', 'a']],
    ['Patient?_sort=-_lastUpdated', ['a', 'c', 'b']],
    ['Patient?_sort=_id', ['a', 'b', 'c']],
    ['Patient?_sort=-_id', ['c', 'b', 'a']],
    ['Observation?_sort=-date&_count=2&_offset=2', ['x1', 'x3']],
  ])('%s → %j', (url, expected) => {
    expect(idsOf(h.get(url))).toEqual(expected);
  });

  it.each(['Observation?_sort=foo', 'Observation?_sort=code', 'Patient?_sort=date'])(
    '%s → 400',
    (url) => {
      expect(outcomeOf(h.get(url), 400, 'invalid')).toContain('sort');
    },
  );

  it('results without _sort come in a stable insertion order', () => {
    expect(idsOf(h.get('Observation?patient=a'))).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(idsOf(h.get('Observation?code=4548-4'))).toEqual(['x1', 'x2', 'x3', 'x4']);
  });
});

describe('_elements', () => {
  const h = setup([
    patient('p', { gender: 'female', birthDate: '1990-01-01', _birthDate: { id: 'bd' } }),
    observation('o', 'p', { effectiveDateTime: '2020-01-01', valueString: 'x' }),
  ]);

  it('keeps the listed elements plus id/meta and tags SUBSETTED', () => {
    const [entry] = bundleOf(h.get('Patient?_elements=birthDate')).entry ?? [];
    expect(entry?.resource).toEqual({
      resourceType: 'Patient',
      id: 'p',
      birthDate: '1990-01-01',
      _birthDate: { id: 'bd' },
      meta: expect.objectContaining({ tag: [expect.objectContaining(SUBSETTED)] }) as unknown,
    });
  });

  it('names choice elements without [x] and works on read; the store copy is untouched', () => {
    const [entry] = bundleOf(h.get('Observation?_elements=effective,status')).entry ?? [];
    expect(Object.keys(entry?.resource ?? {}).sort()).toEqual(
      ['effectiveDateTime', 'id', 'meta', 'resourceType', 'status'].sort(),
    );
    const read = h.get('Observation/o?_elements=value');
    expect(read.body).toMatchObject({ valueString: 'x', meta: { tag: [SUBSETTED] } });
    expect(read.body).not.toHaveProperty('code');
    expect(h.store.get('Observation', 'o')?.meta.tag).toBeUndefined();
  });

  it.each(['_elements=1bad', '_elements=subject.reference'])('Patient?%s → 400', (query) => {
    expect(outcomeOf(h.get(`Patient?${query}`), 400)).toContain('_elements');
  });
});
