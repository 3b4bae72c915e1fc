import { describe, expect, it } from 'vitest';
import { SYS } from '../../../sandbox/generate/codes';
import { parseDay } from '../../../sandbox/generate/dates';
import { generatePopulation } from '../../../sandbox/generate/population';
import {
  observationPositiveDomain,
  positiveDomain,
  questionDomain,
} from '../../../sandbox/generate/sdoh';

describe('positiveDomain: the (question, answer) rules of sdoh.md §2', () => {
  it.each([
    // Hunger Vital Sign: Often/Sometimes true on either item; result At risk.
    ['88122-7', 'LA28397-0', 'food'],
    ['88123-5', 'LA6729-3', 'food'],
    ['88122-7', 'LA28398-8', null],
    ['88122-7', 'LA15775-2', null],
    ['88124-3', 'LA19952-3', 'food'],
    ['88124-3', 'LA19983-8', null],
    // Yes is positive for transportation…
    ['93030-5', 'LA33-6', 'transportation'],
    ['93030-5', 'LA32-8', null],
    ['93030-5', 'LA30134-3', 'transportation'],
    // …but for PRAPARE "Do you feel safe?" the positive answer is No.
    ['93026-3', 'LA33-6', null],
    ['93026-3', 'LA32-8', 'safety'],
    // Housing: both answer lists of 71802-3.
    ['71802-3', 'LA31993-1', null],
    ['71802-3', 'LA31994-9', 'housing'],
    ['71802-3', 'LA31995-6', 'housing'],
    ['71802-3', 'LA30189-7', null],
    ['71802-3', 'LA30190-5', 'housing'],
    ['93033-9', 'LA33-6', 'housing'],
    ['96779-4', 'LA32002-0', 'utilities'],
    ['96779-4', 'LA32-8', null],
    // 93031-3 is multi-domain: the answer decides.
    ['93031-3', 'LA30125-1', 'food'],
    ['93031-3', 'LA30124-4', 'utilities'],
    // An answer code is meaningless on the wrong question.
    ['88122-7', 'LA33-6', null],
    // AHC safety items alone are never positive; only the total > 10 is.
    ['95618-5', 'LA6482-9', null],
  ] as const)('%s = %s → %s', (question, answer, expected) => {
    expect(positiveDomain(question, answer)).toBe(expected);
  });

  it('applies the AHC safety threshold (> 10) to the total score only', () => {
    expect(positiveDomain('95614-4', 10)).toBeNull();
    expect(positiveDomain('95614-4', 11)).toBe('safety');
    expect(positiveDomain('95618-5', 20)).toBeNull();
  });

  it('knows which domain a question screens', () => {
    expect(questionDomain('88122-7')).toBe('food');
    expect(questionDomain('95615-1')).toBe('safety');
    expect(questionDomain('93031-3', 'LA30124-4')).toBe('utilities');
    expect(questionDomain('12345-6')).toBeUndefined();
  });

  it('reads the pair from an Observation', () => {
    const obs: fhir4.Observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: SYS.loinc, code: '93026-3' }] },
      valueCodeableConcept: { coding: [{ system: SYS.loinc, code: 'LA32-8' }] },
    };
    expect(observationPositiveDomain(obs)).toBe('safety');
    expect(
      observationPositiveDomain({
        ...obs,
        valueCodeableConcept: undefined,
        valueInteger: 14,
        code: { coding: [{ system: SYS.loinc, code: '95614-4' }] },
      }),
    ).toBe('safety');
    expect(observationPositiveDomain({ ...obs, valueCodeableConcept: undefined })).toBeNull();
  });
});

describe('generated social-needs screenings and referrals', () => {
  const pop = generatePopulation({ seed: 5, patients: 800, today: '2026-06-30' });
  const byRef = new Map(pop.resources.map((r) => [`${r.resourceType}/${r.id ?? ''}`, r]));
  const observations = pop.resources.filter(
    (r): r is fhir4.Observation => r.resourceType === 'Observation',
  );
  // Screening items; the grouping panels (hasMember, no value) are tested in
  // generate-sdoh-states.test.ts.
  const sdoh = observations.filter(
    (o) =>
      o.hasMember === undefined &&
      o.category?.some((c) => c.coding?.some((x) => x.code === 'sdoh')),
  );
  const loinc = (o: fhir4.Observation): string => o.code.coding?.[0]?.code ?? '';
  const answer = (o: fhir4.Observation): string => o.valueCodeableConcept?.coding?.[0]?.code ?? '';

  it('writes one US Core screening Observation per item, categorised survey + sdoh', () => {
    expect(sdoh.length).toBeGreaterThan(2000);
    for (const o of sdoh) {
      const cats = (o.category ?? []).flatMap((c) => c.coding ?? []);
      expect(cats.some((c) => c.system === SYS.obsCategory && c.code === 'survey')).toBe(true);
      expect(cats.some((c) => c.system === SYS.usCoreCategory && c.code === 'sdoh')).toBe(true);
      expect(
        questionDomain(loinc(o), answer(o)) ?? (loinc(o) === '93031-3' ? 'multi' : undefined),
      ).toBeDefined();
      // Exactly one of: a coded LA answer, an integer score, or asked-declined.
      const forms = [o.valueCodeableConcept, o.valueInteger, o.dataAbsentReason].filter(
        (x) => x !== undefined,
      );
      expect(forms).toHaveLength(1);
      if (o.valueCodeableConcept) expect(answer(o)).toMatch(/^LA\d+-\d$/);
      if (o.dataAbsentReason) expect(o.dataAbsentReason.coding?.[0]?.code).toBe('asked-declined');
      // POS interpretation exactly on positive pairs.
      const pos = o.interpretation?.[0]?.coding?.[0]?.code === 'POS';
      expect(pos).toBe(observationPositiveDomain(o) !== null);
    }
    expect(sdoh.some((o) => o.dataAbsentReason)).toBe(true);
    expect(sdoh.some((o) => loinc(o) === '93026-3' || loinc(o) === '93033-9')).toBe(true); // PRAPARE items
  });

  it('keeps each screening internally consistent (HVS result, AHC safety total)', () => {
    const events = new Map<string, fhir4.Observation[]>();
    for (const o of sdoh) {
      const key = `${o.subject?.reference ?? ''}|${o.effectiveDateTime ?? ''}`;
      events.set(key, [...(events.get(key) ?? []), o]);
    }
    let hvsChecked = 0;
    let safetyChecked = 0;
    for (const items of events.values()) {
      const find = (code: string): fhir4.Observation | undefined =>
        items.find((o) => loinc(o) === code);
      const result = find('88124-3');
      if (result) {
        const itemPositive = ['88122-7', '88123-5'].some(
          (q) => positiveDomain(q, answer(find(q) ?? result)) === 'food',
        );
        expect(answer(result) === 'LA19952-3').toBe(itemPositive);
        hvsChecked += 1;
      }
      const total = find('95614-4');
      if (total) {
        const scale = ['LA6270-8', 'LA10066-1', 'LA10082-8', 'LA16644-9', 'LA6482-9'];
        const sum = ['95618-5', '95617-7', '95616-9', '95615-1']
          .map((q) => scale.indexOf(answer(find(q) ?? total)) + 1)
          .reduce((a, b) => a + b, 0);
        expect(total.valueInteger).toBe(sum);
        safetyChecked += 1;
      }
    }
    expect(hvsChecked).toBeGreaterThan(200);
    expect(safetyChecked).toBeGreaterThan(150);
  });

  it('records screen-derived SDOH Conditions as health concerns with evidence', () => {
    const conditions = pop.resources.filter(
      (r): r is fhir4.Condition =>
        r.resourceType === 'Condition' &&
        ((r as fhir4.Condition).code?.coding ?? []).some((c) => c.code === '733423003'),
    );
    expect(conditions.length).toBeGreaterThan(5);
    for (const c of conditions) {
      const cats = (c.category ?? []).flatMap((x) => x.coding ?? []).map((x) => x.code);
      expect(cats).toEqual(['health-concern', 'sdoh']);
      expect((c.code?.coding ?? []).map((x) => x.code)).toEqual(['733423003', 'Z59.41']);
      const evidence = byRef.get(c.evidence?.[0]?.detail?.[0]?.reference ?? '') as
        fhir4.Observation | undefined;
      expect(evidence && observationPositiveDomain(evidence)).toBe('food');
    }
  });

  it('links each referral: ServiceRequest (reason → positive screen) + Task fulfil', () => {
    const requests = pop.resources.filter(
      (r): r is fhir4.ServiceRequest => r.resourceType === 'ServiceRequest',
    );
    const tasks = pop.resources.filter((r): r is fhir4.Task => r.resourceType === 'Task');
    expect(requests.length).toBeGreaterThan(50);
    expect(tasks).toHaveLength(requests.length);
    let within = 0;
    let later = 0;
    for (const sr of requests) {
      expect(sr.intent).toBe('order');
      expect(sr.category?.some((c) => c.coding?.some((x) => x.system === SYS.sdohcc))).toBe(true);
      expect(sr.code?.coding?.[0]?.system).toBe(SYS.snomed);
      const reason = byRef.get(sr.reasonReference?.[0]?.reference ?? '');
      const screen =
        reason?.resourceType === 'Condition'
          ? (byRef.get((reason as fhir4.Condition).evidence?.[0]?.detail?.[0]?.reference ?? '') as
              fhir4.Observation | undefined)
          : (reason as fhir4.Observation | undefined);
      expect(screen && observationPositiveDomain(screen)).toBeTruthy();
      const gap =
        parseDay((sr.authoredOn ?? '').slice(0, 10)) -
        parseDay((screen?.effectiveDateTime ?? '').slice(0, 10));
      expect(gap).toBeGreaterThanOrEqual(0);
      if (gap <= 30) within += 1;
      else later += 1;
    }
    expect(within).toBeGreaterThan(0);
    expect(later).toBeGreaterThan(0);
    const statuses = new Set<string>();
    for (const task of tasks) {
      expect(task.code?.coding?.[0]).toMatchObject({
        system: 'http://hl7.org/fhir/CodeSystem/task-code',
        code: 'fulfill',
      });
      const sr = byRef.get(task.focus?.reference ?? '') as fhir4.ServiceRequest | undefined;
      expect(sr?.resourceType).toBe('ServiceRequest');
      expect(task.for?.reference).toBe(sr?.subject.reference);
      expect(task.authoredOn).toBe(sr?.authoredOn);
      expect(['ready', 'received']).not.toContain(task.status); // excluded by the SDOHCC Task profile
      if (task.status === 'rejected' || task.status === 'cancelled') {
        expect(task.statusReason?.text).toBeTruthy();
        expect(sr?.status).toBe('revoked');
      }
      if (task.status === 'completed') expect(sr?.status).toBe('completed');
      statuses.add(task.status);
    }
    expect(statuses.size).toBeGreaterThanOrEqual(5);
  });
});
