// The social-needs records sdoh-states.ts adds (sdoh.md §2 and §4): panels that group a screen's
// items, the same screens as QuestionnaireResponses, questionnaire-only screens, "declined help"
// Procedures, completed referrals' outcomes, community services, and every state of the table.
import { describe, expect, it } from 'vitest';
import { FhirStore } from '../../../sandbox/fhir/store';
import { generatePopulation } from '../../../sandbox/generate/population';
import { showcasePatients } from '../../../sandbox/launcher/showcase';

const TODAY = '2026-06-30';
const { resources } = generatePopulation({ seed: 1, patients: 600, today: TODAY });
const ofType = <T extends fhir4.Resource>(type: T['resourceType']): T[] =>
  resources.filter((r): r is T => r.resourceType === type);
const observations = new Map(ofType<fhir4.Observation>('Observation').map((o) => [o.id ?? '', o]));

describe('generated social-needs states', () => {
  it('groups some screens in a panel whose hasMember items are that screen, same time and patient', () => {
    const panels = [...observations.values()].filter((o) => (o.hasMember ?? []).length > 0);
    expect(panels.length).toBeGreaterThan(20);
    const codes = new Set(panels.map((p) => p.code.coding?.[0]?.code));
    expect(codes).toEqual(new Set(['96777-8', '93025-5']));
    for (const panel of panels) {
      for (const member of panel.hasMember ?? []) {
        const item = observations.get(member.reference?.replace('Observation/', '') ?? '');
        expect(item?.subject?.reference).toBe(panel.subject?.reference);
        expect(item?.effectiveDateTime).toBe(panel.effectiveDateTime);
      }
    }
  });

  it('writes some screens also as QuestionnaireResponses whose answers equal the Observations', () => {
    const forms = ofType<fhir4.QuestionnaireResponse>('QuestionnaireResponse');
    const mirrored = forms.filter((f) => f.encounter !== undefined);
    expect(mirrored.length).toBeGreaterThan(20);
    for (const form of mirrored) {
      const items = [...observations.values()].filter(
        (o) =>
          o.subject?.reference === form.subject?.reference &&
          o.effectiveDateTime === form.authored &&
          o.hasMember === undefined,
      );
      expect(new Set(form.item?.map((i) => i.linkId)).size).toBe(form.item?.length);
      for (const item of form.item ?? []) {
        const answered = items.filter((o) => o.code.coding?.[0]?.code === item.linkId);
        expect(answered.length, item.linkId).toBeGreaterThan(0);
        const expected = answered
          .map((o) => o.valueCodeableConcept?.coding?.[0]?.code ?? o.valueInteger)
          .filter((v) => v !== undefined);
        const actual = (item.answer ?? []).map((a) => a.valueCoding?.code ?? a.valueInteger);
        expect(actual).toEqual(expected);
      }
    }
    // Questionnaire-only Hunger Vital Sign screens: patients with no screening Observation.
    const formOnly = forms.filter((f) => f.encounter === undefined);
    expect(formOnly.length).toBeGreaterThan(5);
    for (const form of formOnly) {
      expect(form.questionnaire).toContain('HungerVitalSign');
      const screened = [...observations.values()].some(
        (o) =>
          o.subject?.reference === form.subject?.reference &&
          o.category?.some((c) => c.coding?.some((x) => x.code === 'sdoh')),
      );
      expect(screened).toBe(false);
    }
  });

  it('records "patient declined help" as the app reads it: a not-done Procedure after a positive screen, without a referral', () => {
    const declines = ofType<fhir4.Procedure>('Procedure').filter((p) => p.status === 'not-done');
    expect(declines.length).toBeGreaterThan(5);
    const referred = new Set(
      ofType<fhir4.ServiceRequest>('ServiceRequest').map((s) => s.subject?.reference),
    );
    for (const decline of declines) {
      expect(decline.statusReason?.coding?.map((c) => c.code)).toEqual([
        '183944003',
        'patient-refuses',
      ]);
      const evidence = observations.get(
        decline.reasonReference?.[0]?.reference?.replace('Observation/', '') ?? '',
      );
      expect(evidence?.interpretation?.[0]?.coding?.[0]?.code).toBe('POS');
      expect((decline.performedDateTime ?? '') >= (evidence?.effectiveDateTime ?? '').slice(0, 10));
      expect(referred.has(decline.subject?.reference)).toBe(false);
    }
  });

  it('gives every completed referral an outcome Procedure based on its ServiceRequest', () => {
    const procedures = new Map(ofType<fhir4.Procedure>('Procedure').map((p) => [p.id ?? '', p]));
    const completed = ofType<fhir4.Task>('Task').filter((t) => t.status === 'completed');
    expect(completed.length).toBeGreaterThan(3);
    for (const task of completed) {
      const output = task.output?.[0];
      expect(output?.type.coding?.[0]?.code).toBe('resulting-activity');
      const procedure = procedures.get(
        output?.valueReference?.reference?.replace('Procedure/', '') ?? '',
      );
      expect(procedure?.status).toBe('completed');
      expect(procedure?.basedOn?.[0]?.reference).toBe(task.focus?.reference);
    }
  });

  it('offers one community service per domain, categorised by SDOHCC domain and provided by the Task owner', () => {
    const services = ofType<fhir4.HealthcareService>('HealthcareService');
    const domains = services.map((s) => s.category?.[0]?.coding?.[0]?.code).sort();
    expect(domains).toEqual([
      'food-insecurity',
      'housing-instability',
      'sdoh-category-unspecified',
      'transportation-insecurity',
      'utility-insecurity',
    ]);
    const owners = new Set(ofType<fhir4.Task>('Task').map((t) => t.owner?.reference));
    for (const owner of owners) {
      expect(
        services.some((s) => s.providedBy?.reference === owner),
        owner,
      ).toBe(true);
    }
  });

  it('holds a patient in every state of the table', () => {
    const store = new FhirStore();
    for (const r of resources) store.add(structuredClone(r));
    const states = showcasePatients(store, new Date(`${TODAY}T23:59:59Z`)).map((p) => p.state);
    expect(states).toEqual([
      'food-positive-no-referral',
      'questionnaire-positive',
      'declined-help',
      'referral-open',
      'referral-unsuccessful',
      'referral-completed',
      'declined-to-answer',
      'stale',
      'negative',
      'not-screened',
    ]);
  });
});
