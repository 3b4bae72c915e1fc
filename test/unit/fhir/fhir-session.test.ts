import { describe, expect, it } from 'vitest';
import type { FhirUserRef } from '../../../src/fhir/fhir-session';
import { parseFhirUser, splitScopes } from '../../../src/fhir/fhir-session';
import { readFhirUserClaim } from '../../../src/fhir/id-token';

describe('parseFhirUser', () => {
  it.each<[string | undefined, FhirUserRef | undefined]>([
    ['Practitioner/dr-1', { resourceType: 'Practitioner', id: 'dr-1' }],
    ['Patient/p1', { resourceType: 'Patient', id: 'p1' }],
    ['http://127.0.0.1:4010/fhir/Practitioner/123', { resourceType: 'Practitioner', id: '123' }],
    [
      'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4/Practitioner/eM5CWtq15N0WJeuCet5bJlQ3',
      { resourceType: 'Practitioner', id: 'eM5CWtq15N0WJeuCet5bJlQ3' },
    ],
    ['RelatedPerson/rp.1', { resourceType: 'RelatedPerson', id: 'rp.1' }],
    ['Person/x/_history/2', { resourceType: 'Person', id: 'x' }],
    ['Organization/1', undefined],
    ['Practitioner/', undefined],
    ['Practitioner/has space', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %s', (claim, expected) => {
    expect(parseFhirUser(claim)).toEqual(expected);
  });
});

describe('splitScopes', () => {
  it.each<[string | undefined, string[]]>([
    [
      'launch openid  fhirUser\tpatient/Patient.rs',
      ['launch', 'openid', 'fhirUser', 'patient/Patient.rs'],
    ],
    ['', []],
    [undefined, []],
  ])('splits %j', (scope, expected) => {
    expect(splitScopes(scope)).toEqual(expected);
  });
});

function jwt(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

describe('readFhirUserClaim', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['a fhirUser claim', jwt({ fhirUser: 'Practitioner/1' }), 'Practitioner/1'],
    ['a profile claim (SMART v1)', jwt({ profile: 'Patient/2' }), 'Patient/2'],
    // "~~~" and "???" encode to base64url "_" and "-", which plain atob rejects.
    [
      'base64url characters in the payload',
      jwt({ fhirUser: 'Practitioner/3', name: '~~~???>>>' }),
      'Practitioner/3',
    ],
    ['a token without the claim', jwt({ sub: 'x' }), undefined],
    ['a malformed token', 'not-a-jwt', undefined],
    ['a garbled payload', 'a.%%%.c', undefined],
    ['no token', undefined, undefined],
  ])('reads %s', (_case, token, expected) => {
    expect(readFhirUserClaim(token)).toBe(expected);
  });
});
