import { describe, expect, it } from 'vitest';
import { sdohSearches, screeningLoincCodes } from '../../../src/sdoh/sdoh-queries';

describe('sdohSearches', () => {
  const searches = sdohSearches('p1');
  const param = (i: number, name: string): string | undefined =>
    searches[i]?.params.find(([n]) => n === name)?.[1];

  it('asks every search for the one patient and covers every section', () => {
    expect(searches.every((s) => s.params.some(([n, v]) => n === 'patient' && v === 'p1'))).toBe(
      true,
    );
    expect(new Set(searches.map((s) => s.section))).toEqual(
      new Set([
        'observations',
        'questionnaireResponses',
        'conditions',
        'serviceRequests',
        'tasks',
        'procedures',
      ]),
    );
  });

  it('searches Observations by the sdoh category in both US Core systems, and by code', () => {
    expect(param(0, 'category')).toBe(
      'http://hl7.org/fhir/us/core/CodeSystem/us-core-category|sdoh,' +
        'http://hl7.org/fhir/us/core/CodeSystem/us-core-tags|sdoh',
    );
    const codes = param(1, 'code')?.split(',') ?? [];
    for (const loinc of ['88122-7', '71802-3', '93026-3', '96777-8', '93025-5', '93038-8']) {
      expect(codes).toContain(`http://loinc.org|${loinc}`);
    }
    expect(codes).toHaveLength(screeningLoincCodes().length);
  });

  it('asks for fulfil Tasks with their focus', () => {
    const task = searches.find((s) => s.resourceType === 'Task');
    expect(task?.params).toContainEqual([
      'code',
      'http://hl7.org/fhir/CodeSystem/task-code|fulfill',
    ]);
    expect(task?.params).toContainEqual(['_include', 'Task:focus']);
  });
});
