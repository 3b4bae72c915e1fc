import { describe, expect, it } from 'vitest';
import {
  loadRuntimeRegistrations,
  parseRuntimeRegistrations,
  runtimeRegistrationsUrl,
} from '../../../launch/runtime-registrations';

const valid = {
  label: 'Hospital EHR',
  issMatch: 'https://ehr\\.hospital\\.example/fhir/r4',
  clientId: 'hospital-123',
  scopeVersion: 'v1',
};

describe('parseRuntimeRegistrations', () => {
  it('turns a valid entry into a registration whose issMatch must match the whole iss', () => {
    const { registrations, problems } = parseRuntimeRegistrations([valid]);
    expect(problems).toEqual([]);
    const [registration] = registrations;
    expect(registration).toMatchObject({
      label: 'Hospital EHR',
      clientId: 'hospital-123',
      scopeVersion: 'v1',
    });
    expect(registration?.issMatch.test('https://ehr.hospital.example/fhir/r4')).toBe(true);
    expect(registration?.issMatch.test('https://ehr.hospital.example/fhir/r4/extra')).toBe(false);
    expect(
      registration?.issMatch.test('https://x.example/?https://ehr.hospital.example/fhir/r4'),
    ).toBe(false);
  });

  it('accepts a pattern that anchors itself', () => {
    const { registrations } = parseRuntimeRegistrations([
      { ...valid, issMatch: '^https://ehr\\.hospital\\.example/.*$' },
    ]);
    expect(registrations[0]?.issMatch.test('https://ehr.hospital.example/fhir')).toBe(true);
  });

  it.each([
    ['a missing label', { ...valid, label: undefined }, /Entry 1 was ignored: "label"/],
    [
      'a blank client id',
      { ...valid, clientId: '  ' },
      /\("Hospital EHR"\) was ignored: "clientId"/,
    ],
    ['scope version v3', { ...valid, scopeVersion: 'v3' }, /"scopeVersion" must be "v1" or "v2"/],
    ['an issMatch that is not a string', { ...valid, issMatch: 42 }, /"issMatch" must be/],
    [
      'an invalid regular expression',
      { ...valid, issMatch: 'https://(ehr' },
      /not a valid regular expression/,
    ],
    ['an entry that is not an object', 'https://ehr.example/fhir', /Entry 1 is not an object/],
  ])('rejects %s and says why', (_name, entry, message) => {
    const { registrations, problems } = parseRuntimeRegistrations([entry]);
    expect(registrations).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^equity-lens\.clients\.json: /);
    expect(problems[0]).toMatch(message);
  });

  it('names every problem of an entry at once', () => {
    const { problems } = parseRuntimeRegistrations([{ label: 'X' }]);
    expect(problems[0]).toMatch(/"clientId".*"scopeVersion".*"issMatch"/);
  });

  it('keeps the valid entries when others are rejected, in file order', () => {
    const second = { ...valid, label: 'Second', clientId: 'second' };
    const { registrations, problems } = parseRuntimeRegistrations([
      valid,
      { label: 'Bad' },
      second,
    ]);
    expect(registrations.map((registration) => registration.label)).toEqual([
      'Hospital EHR',
      'Second',
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Entry 2 \("Bad"\)/);
  });

  it.each([{}, 'text', null, { registrations: [valid] }])(
    'rejects a file that is not an array (%j)',
    (json) => {
      expect(parseRuntimeRegistrations(json)).toEqual({
        registrations: [],
        problems: ['equity-lens.clients.json must hold a JSON array of registrations.'],
      });
    },
  );
});

describe('runtimeRegistrationsUrl', () => {
  it.each([
    [
      'https://apps.example/equity/launch/?iss=x&launch=y',
      'https://apps.example/equity/equity-lens.clients.json',
    ],
    ['http://127.0.0.1:5173/launch/', 'http://127.0.0.1:5173/equity-lens.clients.json'],
    [
      'http://127.0.0.1:5173/launch/index.html?iss=x',
      'http://127.0.0.1:5173/equity-lens.clients.json',
    ],
  ])('serves the file for %s from the app root: %s', (launchUrl, fileUrl) => {
    expect(runtimeRegistrationsUrl(launchUrl)).toBe(fileUrl);
  });
});

describe('loadRuntimeRegistrations', () => {
  const launchUrl = 'https://apps.example/launch/?iss=x';
  const answering =
    (response: () => Response): typeof fetch =>
    () =>
      Promise.resolve(response());

  it('asks for the file without caching, as JSON only', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const fetchFile: typeof fetch = (input, init) => {
      seen.push({ url: input instanceof Request ? input.url : String(input), init });
      return Promise.resolve(new Response(null, { status: 404 }));
    };
    await loadRuntimeRegistrations(launchUrl, fetchFile);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://apps.example/equity-lens.clients.json');
    expect(seen[0]?.init?.cache).toBe('no-store');
    expect(new Headers(seen[0]?.init?.headers).get('accept')).toBe('application/json');
  });

  it('treats a missing file as no registrations and no problem', async () => {
    expect(
      await loadRuntimeRegistrations(
        launchUrl,
        answering(() => new Response('', { status: 404 })),
      ),
    ).toEqual({ registrations: [], problems: [] });
  });

  it("treats a host's HTML fallback page as no file", async () => {
    const html = () =>
      new Response('<!doctype html><title>app</title>', {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    expect(await loadRuntimeRegistrations(launchUrl, answering(html))).toEqual({
      registrations: [],
      problems: [],
    });
  });

  it('reads and validates a served file', async () => {
    const result = await loadRuntimeRegistrations(
      launchUrl,
      answering(() => Response.json([valid, { label: 'Broken' }])),
    );
    expect(result.registrations.map((registration) => registration.clientId)).toEqual([
      'hospital-123',
    ]);
    expect(result.problems).toHaveLength(1);
  });

  it.each([
    ['a server error', () => new Response('oops', { status: 500 }), /HTTP 500/],
    [
      'a file that is not JSON',
      () => new Response('[{', { headers: { 'content-type': 'application/json' } }),
      /not valid JSON/,
    ],
  ])('reports %s and ignores the file', async (_name, response, message) => {
    const result = await loadRuntimeRegistrations(launchUrl, answering(response));
    expect(result.registrations).toEqual([]);
    expect(result.problems[0]).toMatch(message);
  });

  it('reports a network failure and ignores the file', async () => {
    const result = await loadRuntimeRegistrations(launchUrl, () =>
      Promise.reject(new TypeError('Failed to fetch')),
    );
    expect(result).toEqual({
      registrations: [],
      problems: ['equity-lens.clients.json could not be fetched (Failed to fetch).'],
    });
  });
});
