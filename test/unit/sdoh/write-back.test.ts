import { describe, expect, it } from 'vitest';
import { SDOH_DOMAINS } from '../../../src/clinical/sdoh-screening';
import type { SdohDomain } from '../../../src/clinical/sdoh-screening';
import { buildDeclineRecord, readDeclines } from '../../../src/sdoh/decline';
import { readSdohDomainStatuses } from '../../../src/sdoh/domain-states';
import {
  IDEMPOTENCY_IDENTIFIER_SYSTEM,
  hasIdempotencyKey,
  idempotencyIdentifier,
} from '../../../src/sdoh/idempotency';
import { readReferrals } from '../../../src/sdoh/read-referrals';
import { DOMAIN_INFO, serviceChoices } from '../../../src/sdoh/sdoh-codes';
import type { ReferralDraft } from '../../../src/sdoh/write-back';
import {
  buildReferralCreates,
  buildReferralTransaction,
  buildScreenNowTask,
  buildServiceRequest,
  referralText,
} from '../../../src/sdoh/write-back';
import { CLINICIAN, FOOD_BANK, PATIENT, coded, inputs, itemObservation } from './sdoh-fixtures';

const KEY = '3b241101-e2bb-4255-8caf-4136c566a962';
const OTHER_KEY = '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';

function draft(overrides: Partial<ReferralDraft> = {}): ReferralDraft {
  const service = serviceChoices('food-insecurity')[0];
  if (service === undefined) throw new Error('no food service');
  return {
    domain: 'food-insecurity',
    service,
    patient: PATIENT,
    requester: CLINICIAN,
    performer: FOOD_BANK,
    authoredOn: '2026-12-02T10:15:00-05:00',
    reasons: [{ reference: 'Observation/food' }],
    doNotContactPatient: false,
    idempotencyKey: KEY,
    ...overrides,
  };
}

function srEntry(bundle: fhir4.Bundle): fhir4.BundleEntry & { resource: fhir4.ServiceRequest } {
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType === 'ServiceRequest') return { ...e, resource: e.resource };
  }
  throw new Error('no ServiceRequest entry');
}

function taskEntry(bundle: fhir4.Bundle): fhir4.BundleEntry & { resource: fhir4.Task } {
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType === 'Task') return { ...e, resource: e.resource };
  }
  throw new Error('no Task entry');
}

/** Every `reference` string anywhere in a value. */
function references(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'reference' && typeof v === 'string' ? [v] : references(v),
  );
}

describe('buildReferralTransaction', () => {
  const bundle = buildReferralTransaction(draft());
  const sr = srEntry(bundle);
  const task = taskEntry(bundle);

  it('is a transaction of a ServiceRequest then its Task, as conditional creates', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    expect(bundle.entry?.map((e) => e.resource?.resourceType)).toEqual(['ServiceRequest', 'Task']);
    const ifNoneExist = `identifier=${IDEMPOTENCY_IDENTIFIER_SYSTEM}|urn:uuid:${KEY}`;
    expect(sr.request).toEqual({ method: 'POST', url: 'ServiceRequest', ifNoneExist });
    expect(task.request).toEqual({ method: 'POST', url: 'Task', ifNoneExist });
  });

  it('links the Task to the ServiceRequest through bundle-local urn:uuid references', () => {
    expect(sr.fullUrl).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(task.fullUrl).toMatch(/^urn:uuid:/);
    expect(task.fullUrl).not.toBe(sr.fullUrl);
    expect(task.resource.focus?.reference).toBe(sr.fullUrl);
    // Every urn:uuid reference resolves inside the bundle; the rest are Type/id.
    const fullUrls = new Set(bundle.entry?.map((e) => e.fullUrl));
    for (const ref of references(bundle.entry?.map((e) => e.resource))) {
      if (ref.startsWith('urn:uuid:')) expect(fullUrls.has(ref)).toBe(true);
      else expect(ref).toMatch(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$/);
    }
  });

  it('writes an SDOHCC ServiceRequest with the domain category and service code', () => {
    expect(sr.resource).toMatchObject({
      status: 'active',
      intent: 'order',
      subject: PATIENT,
      requester: CLINICIAN,
      performer: [FOOD_BANK],
      authoredOn: '2026-12-02T10:15:00-05:00',
      reasonReference: [{ reference: 'Observation/food' }],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '713109004' }] },
      identifier: [idempotencyIdentifier(KEY)],
    });
    const categories = sr.resource.category?.flatMap((c) => c.coding ?? []).map((c) => c.code);
    expect(categories).toEqual(['food-insecurity', '410606002', 'sdoh']);
    expect(sr.resource.orderDetail).toBeUndefined();
  });

  it('writes a Task For Referral Management: order, fulfill, focus, requester, owner', () => {
    expect(task.resource).toMatchObject({
      status: 'requested',
      intent: 'order',
      code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
      for: PATIENT,
      requester: CLINICIAN,
      owner: FOOD_BANK,
      authoredOn: '2026-12-02T10:15:00-05:00',
      identifier: [idempotencyIdentifier(KEY)],
    });
  });

  it('is identical on every retry of the same draft, and distinct for another draft', () => {
    expect(buildReferralTransaction(draft())).toEqual(bundle);
    const other = buildReferralTransaction(draft({ idempotencyKey: OTHER_KEY }));
    expect(other.entry?.map((e) => e.fullUrl)).not.toEqual(bundle.entry?.map((e) => e.fullUrl));
    expect(srEntry(other).request?.ifNoneExist).not.toBe(sr.request?.ifNoneExist);
  });

  it('carries "do not contact the patient", the note and an explicit owner', () => {
    const b = buildReferralTransaction(
      draft({
        doNotContactPatient: true,
        note: '  Call the care team first ',
        owner: { reference: 'Organization/cp', display: 'Coordination platform' },
      }),
    );
    expect(srEntry(b).resource).toMatchObject({
      orderDetail: [{ coding: [{ code: 'contacting-subject-prohibited' }] }],
      note: [{ text: 'Call the care team first' }],
    });
    expect(taskEntry(b).resource.owner?.reference).toBe('Organization/cp');
  });

  it('refuses an idempotency key that is not a UUID-like token', () => {
    expect(() => buildReferralTransaction(draft({ idempotencyKey: 'x' }))).toThrow(RangeError);
    expect(() => buildReferralTransaction(draft({ idempotencyKey: 'a b c d e f g h' }))).toThrow(
      RangeError,
    );
  });
});

describe('buildReferralCreates (servers without transactions)', () => {
  it('creates the ServiceRequest, then a Task focused on the id the server assigned', () => {
    const creates = buildReferralCreates(draft());
    expect(creates.serviceRequest).toEqual(buildServiceRequest(draft()));
    const task = creates.taskFor('sr-123');
    expect(task.resource.focus?.reference).toBe('ServiceRequest/sr-123');
    expect(task.ifNoneExist).toBe(creates.serviceRequest.ifNoneExist);
    expect(hasIdempotencyKey(task.resource, KEY)).toBe(true);
    expect(hasIdempotencyKey(task.resource, OTHER_KEY)).toBe(false);
    expect(buildReferralCreates(draft()).taskFor('sr-123')).toEqual(task);
  });
});

describe('a written referral reads back as "referral open"', () => {
  it.each(SDOH_DOMAINS)('%s', (domain: SdohDomain) => {
    const service = serviceChoices(domain)[0];
    expect(service).toBeDefined();
    if (service === undefined) return;
    const creates = buildReferralCreates(
      draft({ domain, service, reasons: [], authoredOn: '2026-12-02' }),
    );
    const sr = { ...creates.serviceRequest.resource, id: 'sr1' };
    const task = { ...creates.taskFor('sr1').resource, id: 't1' };
    const read = readReferrals({ serviceRequests: [sr], tasks: [task], procedures: [] }, () => []);
    expect(read.referrals.map((r) => r.domains)).toEqual([[domain]]);
    expect(read.referrals[0]?.tasks.map((t) => t.status)).toEqual(['requested']);
  });

  it('moves a positive food screen from "positive, no action" to "referral open"', () => {
    const obs = itemObservation('food', '88122-7', coded('LA28397-0'), '2026-11-30');
    const before = readSdohDomainStatuses(inputs({ observations: [obs] }), '2026-12-02', {
      kind: 'available',
    })[0];
    expect(before?.state.kind).toBe('positive-no-action');
    const creates = buildReferralCreates(draft({ authoredOn: '2026-12-02' }));
    const after = readSdohDomainStatuses(
      inputs({
        observations: [obs],
        serviceRequests: [{ ...creates.serviceRequest.resource, id: 'sr1' }],
        tasks: [{ ...creates.taskFor('sr1').resource, id: 't1' }],
      }),
      '2026-12-02',
      { kind: 'available' },
    )[0];
    expect(after?.state.kind).toBe('referral-open');
  });
});

describe('buildDeclineRecord (convention: Procedure not-done, patient declined)', () => {
  it.each(SDOH_DOMAINS)('%s reads back as a decline in its domain', (domain) => {
    const record = buildDeclineRecord({
      domain,
      patient: PATIENT,
      recorder: CLINICIAN,
      when: '2026-12-02',
      idempotencyKey: KEY,
      reason: { reference: 'Observation/x' },
    });
    expect(record.resource).toMatchObject({
      status: 'not-done',
      statusReason: { text: 'Patient declined help' },
      subject: PATIENT,
      recorder: CLINICIAN,
      performedDateTime: '2026-12-02',
      identifier: [idempotencyIdentifier(KEY)],
    });
    expect(record.resource.category?.coding?.[0]?.code).toBe(DOMAIN_INFO[domain].category.code);
    expect(record.ifNoneExist).toBe(`identifier=urn:ietf:rfc:3986|urn:uuid:${KEY}`);
    const [read] = readDeclines([{ ...record.resource, id: 'd1' }]);
    expect(read?.domains).toEqual([domain]);
    expect(read?.ref).toBe('Procedure/d1');
  });

  it("reads another tool's decline by its reason, and ignores other not-done Procedures", () => {
    const base: fhir4.Procedure = {
      resourceType: 'Procedure',
      status: 'not-done',
      subject: PATIENT,
      category: { coding: [{ ...DOMAIN_INFO.stress.category }] },
      performedDateTime: '2026-11-01',
    };
    const read = readDeclines([
      { ...base, id: 'a', statusReason: { text: 'Patient refused' } },
      {
        ...base,
        id: 'b',
        statusReason: { coding: [{ system: 'http://snomed.info/sct', code: '105480006' }] },
      },
      { ...base, id: 'c', statusReason: { text: 'Clinic closed' } },
      { ...base, id: 'd', status: 'completed', statusReason: { text: 'Patient declined' } },
    ]);
    expect(read.map((d) => d.ref)).toEqual(['Procedure/a', 'Procedure/b']);
  });
});

describe('buildScreenNowTask', () => {
  it('asks the patient to complete the AHC HRSN form for core-tool domains', () => {
    const { resource, ifNoneExist } = buildScreenNowTask({
      domains: ['food-insecurity', 'transportation-insecurity'],
      patient: PATIENT,
      requester: CLINICIAN,
      authoredOn: '2026-12-02',
      idempotencyKey: KEY,
    });
    expect(resource).toMatchObject({
      resourceType: 'Task',
      status: 'ready',
      intent: 'order',
      code: { coding: [{ code: 'complete-questionnaire' }] },
      for: PATIENT,
      owner: PATIENT,
      requester: CLINICIAN,
      input: [{ valueCanonical: 'http://loinc.org/q/96777-8' }],
    });
    expect(resource.description).toContain('AHC HRSN');
    expect(ifNoneExist).toContain(KEY);
  });

  it('uses PRAPARE when a domain outside the AHC core tool is due, or the given instrument', () => {
    const base = {
      patient: PATIENT,
      requester: CLINICIAN,
      authoredOn: '2026-12-02',
      idempotencyKey: KEY,
    };
    const prapare = buildScreenNowTask({ ...base, domains: ['food-insecurity', 'stress'] });
    expect(prapare.resource.input?.[0]?.valueCanonical).toBe(
      'http://hl7.org/fhir/us/sdoh-clinicalcare/Questionnaire/SDOHCC-QuestionnairePRAPARE',
    );
    const hvs = buildScreenNowTask({
      ...base,
      domains: ['food-insecurity'],
      instrument: 'hunger-vital-sign',
    });
    expect(hvs.resource.description).toContain('Hunger Vital Sign');
  });
});

describe('referralText (read-only mode)', () => {
  it('says what, why, to whom and any contact restriction, in plain words', () => {
    const text = referralText(draft({ doNotContactPatient: true, note: 'Prefers mornings' }), {
      reasonSummary: 'Hunger Vital Sign 2026-11-30: Often true',
      patientName: 'Alex Doe',
    });
    expect(text.split('\n')).toEqual([
      'Social care referral: Referral to community meals service',
      'Need: Food',
      'Patient: Alex Doe',
      'Reason: Hunger Vital Sign 2026-11-30: Often true',
      'Referred to: Eastside Food Bank',
      'Requested by: Dr. Rivera',
      'Date: 2026-12-02',
      'Do not contact the patient directly: arrange contact through the care team.',
      'Note: Prefers mornings',
    ]);
  });

  it('says a resource is still to be chosen when none was', () => {
    expect(referralText(draft({ performer: undefined }))).toContain(
      'Referred to: a community resource to be chosen',
    );
  });
});
