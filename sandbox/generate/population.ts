// The sandbox's deterministic synthetic population: one clinic, its practitioners and panels, and
// patients with US Core-shaped demographics, coverage, conditions, visits, labs, vitals, screenings,
// procedures and social-needs referrals. Outcomes differ between groups by the documented amounts
// in disparities.ts (see README.md). Same (seed, patients, today) → identical output.

import type { Code } from './codes';
import {
  ADMISSION_REASONS,
  CONDITION,
  DEPRESSION_RESULT,
  ENCOUNTER,
  ENCOUNTER_CLASS,
  EXT,
  FIT_NEGATIVE,
  GENDER_IDENTITY,
  INTERPRETER,
  MEDICATION,
  OBS,
  PAYER_SOPT,
  PROCEDURE,
  SEX,
  SEXUAL_ORIENTATION,
  SOCIAL_SERVICE_PROCEDURE,
  SYS,
  TASK_FULFILL,
  ASKED_DECLINED,
} from './codes';
import { ageOn, formatDateTime, formatDay, parseDay, yearStart } from './dates';
import type { PatientProfile } from './profile';
import {
  STREAM_MEDICATION,
  STREAM_RENDER,
  STREAM_SDOH_STATES,
  drawProfile,
  patientKey,
} from './profile';
import { renderSdohStates } from './sdoh-states';
import { PatientContext, coding, concept, obsCategory, ref, sdohCategory, ucum } from './fhir';
import { CITY, FAMILY_NAMES, FIRST_NAMES, STREETS, firstNamePool } from './names';
import type { Background } from './names';
import { Rng, deriveSeed } from './random';
import type { ScreeningPlan, SdohDomain } from './sdoh';
import { REFERRAL_CODES, SDOHCC_CATEGORY, planPositiveDomains, renderScreening } from './sdoh';

export interface GenerateOptions {
  /** Default 1. */
  seed?: number;
  /** Default 100. */
  patients?: number;
  /** 'YYYY-MM-DD', the sandbox's "now"; every date generated is on or before it. */
  today: string;
}

export interface GeneratedPopulation {
  resources: fhir4.Resource[];
  practitionerIds: string[];
  patientIds: string[];
}

interface Resolved {
  readonly seed: number;
  readonly patients: number;
  readonly today: number;
  readonly practitioners: number;
}

/** ~1 practitioner per 100 patients, at least 3 so panels and Group reads are never trivial. */
export function practitionerCount(patients: number): number {
  return Math.max(3, Math.ceil(patients / 100));
}

function resolve(options: GenerateOptions): Resolved {
  const seed = options.seed ?? 1;
  const patients = options.patients ?? 100;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(patients) || patients < 0)
    throw new Error(`patients must be a non-negative integer, got ${patients}`);
  return {
    seed,
    patients,
    today: parseDay(options.today),
    practitioners: practitionerCount(patients),
  };
}

// ---------------------------------------------------------------- directory (organizations, practitioners)

export const CLINIC_ID = 'org-clinic';
const clinicRef = `Organization/${CLINIC_ID}`;
const STREAM_DIRECTORY = 0x5052;

export const practitionerId = (n: number): string => `prac-${String(n + 1).padStart(3, '0')}`;

const PAYER_ORGS: readonly {
  id: string;
  name: string;
  kind: 'medicare' | 'medicaid' | 'commercial';
}[] = [
  { id: 'org-payer-medicare', name: 'Medicare (CMS)', kind: 'medicare' },
  { id: 'org-payer-medicaid', name: 'Riverton State Medicaid Program', kind: 'medicaid' },
  { id: 'org-payer-bluestone', name: 'Bluestone Health Plan', kind: 'commercial' },
  { id: 'org-payer-harborcare', name: 'HarborCare Insurance', kind: 'commercial' },
];

/** Community organizations that receive referrals (Task.owner, ServiceRequest.performer). */
const CBO: Readonly<Record<SdohDomain, { id: string; name: string }>> = {
  food: { id: 'org-cbo-food', name: 'Riverton Community Food Bank' },
  housing: { id: 'org-cbo-housing', name: 'Riverton Housing Partnership' },
  transportation: { id: 'org-cbo-transport', name: 'RideWell Transportation Assistance' },
  utilities: { id: 'org-cbo-utilities', name: 'Riverton Utility Assistance Fund' },
  safety: { id: 'org-cbo-safety', name: 'Safe Harbor Family Services' },
};

/** NPI check digit: Luhn over "80840" + the 9-digit base (CMS NPI standard). */
export function npiCheckDigit(base9: string): number {
  const digits = `80840${base9}`;
  let sum = 0;
  let double = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

function npi(rng: Rng): string {
  const base = `1${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  return `${base}${npiCheckDigit(base)}`;
}

const phone = (rng: Rng): string => `(401) 555-01${String(rng.int(0, 99)).padStart(2, '0')}`;

function organization(
  id: string,
  name: string,
  type: { code: string; display: string },
  extra: Partial<fhir4.Organization> = {},
): fhir4.Organization {
  return {
    resourceType: 'Organization',
    id,
    active: true,
    type: [{ coding: [{ system: SYS.orgType, code: type.code, display: type.display }] }],
    name,
    ...extra,
  };
}

/** The clinic, payer and community organizations, and the practitioners. */
export function generateDirectory(options: GenerateOptions): fhir4.Resource[] {
  const r = resolve(options);
  const rng = new Rng(deriveSeed(r.seed, STREAM_DIRECTORY));
  const out: fhir4.Resource[] = [];
  out.push(
    organization(
      CLINIC_ID,
      'Riverside Community Health Center',
      { code: 'prov', display: 'Healthcare Provider' },
      {
        meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization'] },
        identifier: [{ system: SYS.npi, value: npi(rng) }],
        telecom: [{ system: 'phone', value: '(401) 555-0100', use: 'work' }],
        address: [
          {
            line: ['100 River Rd'],
            city: CITY.city,
            state: CITY.state,
            postalCode: '02901',
            country: 'US',
          },
        ],
      },
    ),
  );
  for (const payer of PAYER_ORGS) {
    out.push(organization(payer.id, payer.name, { code: 'pay', display: 'Payer' }));
  }
  for (const cbo of Object.values(CBO)) {
    out.push(organization(cbo.id, cbo.name, { code: 'cg', display: 'Community Group' }));
  }
  for (let n = 0; n < r.practitioners; n++) {
    out.push(practitioner(r.seed, n));
  }
  // Last, so everything above keeps its place: the formulary Medications (`med-rxnorm-<code>`)
  // that orders may reference.
  for (const regimen of REGIMENS) out.push(medicationResource(regimen));
  // Then the community services each organization offers (HealthcareService, sdoh.md §3).
  for (const domain of Object.keys(CBO) as SdohDomain[]) out.push(communityService(domain));
  return out;
}

/**
 * A community organization's service, as an HSDS service maps to FHIR (sdoh.md §3): categorised
 * by its SDOHCC domain (`service-category`) and typed by the SDOHCC ServiceRequest codes it
 * fulfils (`service-type`), provided by the organization a referral's Task is owned by.
 */
function communityService(domain: SdohDomain): fhir4.HealthcareService {
  const cbo = CBO[domain];
  const category = SDOHCC_CATEGORY[domain];
  return {
    resourceType: 'HealthcareService',
    id: `hs-${cbo.id.replace(/^org-/, '')}`,
    active: true,
    providedBy: ref(`Organization/${cbo.id}`, cbo.name),
    category: [
      {
        coding: [{ system: SYS.sdohcc, code: category.code, display: category.display }],
        ...(domain === 'safety' ? { text: 'Interpersonal safety' } : {}),
      },
    ],
    type: REFERRAL_CODES[domain].map((code) => concept([code])),
    name: `${cbo.name}: ${category.display.toLowerCase()} services`,
    telecom: [{ system: 'phone', value: '(401) 555-0199', use: 'work' }],
    coverageArea: [{ display: `${CITY.city}, ${CITY.state}` }],
  };
}

function practitioner(seed: number, n: number): fhir4.Practitioner {
  const rng = new Rng(deriveSeed(seed, STREAM_DIRECTORY, n));
  const background = rng.weighted<Background>([
    ['white', 45],
    ['black', 15],
    ['hispanic', 15],
    ['chinese', 8],
    ['indian', 10],
    ['iranian', 4],
    ['korean', 3],
  ]);
  const female = rng.chance(0.55);
  // The background still picks a family name (and keeps the stream's draws where they were); the
  // first name comes from the race-neutral pool (names.ts).
  const given = rng.pick(female ? FIRST_NAMES.female : FIRST_NAMES.male);
  const family = rng.pick(FAMILY_NAMES[background]);
  const degree = rng.weighted<readonly [string, string]>([
    [['MD', 'Doctor of Medicine'], 70],
    [['DO', 'Doctor of Osteopathy'], 10],
    [['NP', 'Nurse practitioner'], 20],
  ]);
  return {
    resourceType: 'Practitioner',
    id: practitionerId(n),
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner'] },
    identifier: [{ system: SYS.npi, value: npi(rng) }],
    active: true,
    name: [
      {
        use: 'official',
        family,
        given: [given],
        prefix: degree[0] === 'NP' ? [] : ['Dr.'],
        suffix: [degree[0]],
      },
    ],
    telecom: [{ system: 'phone', value: phone(rng), use: 'work' }],
    gender: female ? 'female' : 'male',
    qualification: [
      {
        code: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0360',
              code: degree[0],
              display: degree[1],
            },
          ],
        },
      },
    ],
  };
}

// ---------------------------------------------------------------- patients

const LANGUAGE_DISPLAY: Readonly<Record<string, string>> = {
  en: 'English',
  'en-US': 'English (United States)',
  es: 'Spanish',
  'es-MX': 'Spanish (Mexico)',
  zh: 'Chinese',
  vi: 'Vietnamese',
  ar: 'Arabic',
  ru: 'Russian',
  ko: 'Korean',
  tl: 'Tagalog',
  fa: 'Persian',
  hi: 'Hindi',
};

/** One array of resources per patient, in index order. Streams: memory stays flat for 100,000. */
export function* generatePatients(options: GenerateOptions): Generator<fhir4.Resource[]> {
  const r = resolve(options);
  for (let index = 0; index < r.patients; index++) {
    yield renderPatient(r, index);
  }
}

/** Renders patient `index` (0-based) of the population described by `options`. */
export function generatePatient(options: GenerateOptions, index: number): fhir4.Resource[] {
  return renderPatient(resolve(options), index);
}

interface Visit {
  readonly day: number;
  readonly minute: number;
  readonly kind: 'office' | 'preventive' | 'telephone';
  id: string;
}

interface Stay {
  readonly admitDay: number;
  readonly dischargeDay: number;
  readonly disposition: 'home' | 'snf' | 'rehab' | 'aadvice' | 'exp';
  readonly readmission: boolean;
}

function renderPatient(r: Resolved, index: number): fhir4.Resource[] {
  const p = drawProfile({ seed: r.seed, today: r.today }, index);
  const rng = new Rng(deriveSeed(r.seed, index, STREAM_RENDER));
  const prac = `Practitioner/${practitionerId(index % r.practitioners)}`;
  const ctx = new PatientContext(p.key, p.id, prac, clinicRef, rng);
  const historyStart = Math.max(p.asOf - 1095, p.birthDay + 1);

  const stays = planStays(p, rng, historyStart);
  const visits = planVisits(p, rng, historyStart);
  const deathTime =
    p.death === null
      ? null
      : p.death.inHospital
        ? formatDateTime(p.death.day, rng.int(0, 23) * 60 + rng.int(0, 59))
        : formatDateTime(p.death.day, rng.int(6 * 60, 22 * 60));

  ctx.add(patientResource(p, rng, prac, deathTime));
  if (p.hasCoverage) ctx.add(coverage(ctx, p, rng));

  for (const v of visits) ctx.add(visitEncounter(ctx, p, v));
  renderEdVisits(ctx, p, historyStart);
  renderStays(ctx, stays, deathTime);
  renderConditions(ctx, p, visits);
  renderVitals(ctx, p, visits);
  renderA1c(ctx, p, visits, historyStart);
  renderDepressionScreening(ctx, p, visits);
  renderSogi(ctx, p, visits);
  renderCancerScreening(ctx, p);
  renderSdoh(ctx, p, visits);
  renderMedications(ctx, p, new Rng(deriveSeed(r.seed, index, STREAM_MEDICATION)));
  renderSdohStates(ctx, p, new Rng(deriveSeed(r.seed, index, STREAM_SDOH_STATES)));
  return ctx.resources;
}

function patientResource(
  p: PatientProfile,
  rng: Rng,
  prac: string,
  deathTime: string | null,
): fhir4.Patient {
  const extension: fhir4.Extension[] = [];
  if (p.race.kind !== 'none') {
    extension.push({
      url: EXT.race,
      extension: [
        ...p.race.omb.map((c) => ({ url: 'ombCategory', valueCoding: coding(c) })),
        ...p.race.detailed.map((c) => ({ url: 'detailed', valueCoding: coding(c) })),
        { url: 'text', valueString: p.race.text },
      ],
    });
  }
  if (p.ethnicity.kind !== 'none' && p.ethnicity.omb !== null) {
    extension.push({
      url: EXT.ethnicity,
      extension: [
        { url: 'ombCategory', valueCoding: coding(p.ethnicity.omb) },
        ...p.ethnicity.detailed.map((c) => ({ url: 'detailed', valueCoding: coding(c) })),
        { url: 'text', valueString: p.ethnicity.text },
      ],
    });
  }
  if (p.birthSexCode !== null) extension.push({ url: EXT.birthSex, valueCode: p.birthSexCode });
  const sex = p.sexAtBirth === 'F' ? SEX.female : SEX.male;
  if (p.sexRecord === 'us-core-sex') extension.push({ url: EXT.sex, valueCode: sex.code });
  if (p.sexRecord === 'individual-sex')
    extension.push({ url: EXT.individualSex, valueCoding: coding(sex) });
  if (p.sogi.identityExtension) {
    extension.push({
      url: EXT.genderIdentity,
      valueCodeableConcept: concept([genderIdentityCode(p)]),
    });
  }
  if (p.interpreter === 'needed-us-core' || p.interpreter === 'not-needed-us-core') {
    extension.push({
      url: EXT.interpreterNeeded,
      valueCoding: coding(p.interpreter === 'needed-us-core' ? INTERPRETER.yes : INTERPRETER.no),
    });
  }
  if (p.interpreter === 'needed-core' || p.interpreter === 'not-needed-core') {
    extension.push({ url: EXT.interpreterRequired, valueBoolean: p.interpreter === 'needed-core' });
  }

  // First names depend on the preferred language only, never on race (names.ts).
  const pool = firstNamePool(p.language);
  const femaleName =
    p.administrativeGender === 'female' ||
    (p.administrativeGender !== 'male' && p.sexAtBirth === 'F');
  const names = femaleName ? pool.female : pool.male;
  const first = rng.pick(names);
  const given = [first];
  if (rng.chance(0.3)) {
    // A middle name that repeats the first ("Marcus Marcus Brown") reads as a data error: take
    // the next name in the pool instead (no extra draw, so the rest of the stream is unchanged).
    const middle = rng.pick(names);
    given.push(
      middle === first ? (names[(names.indexOf(middle) + 1) % names.length] ?? middle) : middle,
    );
  }
  const family = rng.pick(FAMILY_NAMES[p.background]);
  const telecom: fhir4.ContactPoint[] = [
    { system: 'phone', value: phone(rng), use: rng.chance(0.7) ? 'mobile' : 'home' },
  ];
  if (rng.chance(0.4)) {
    telecom.push({
      system: 'email',
      value: `${
        given[0]
          ?.toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '') ?? 'patient'
      }.${p.key}@example.org`,
    });
  }

  const patient: fhir4.Patient = {
    resourceType: 'Patient',
    id: p.id,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
    extension,
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [{ system: SYS.v20203, code: 'MR', display: 'Medical record number' }],
          text: 'MRN',
        },
        system: SYS.clinicMrn,
        value: String(1_000_000 + p.index),
      },
    ],
    active: true,
    name: [{ use: 'official', family, given }],
    telecom,
    gender: p.administrativeGender,
    birthDate: formatDay(p.birthDay),
    address: [
      {
        use: 'home',
        line: [`${rng.int(1, 999)} ${rng.pick(STREETS)}`],
        city: CITY.city,
        state: CITY.state,
        postalCode: rng.pick(CITY.zips),
        country: 'US',
      },
    ],
    generalPractitioner: [{ reference: prac }],
    managingOrganization: { reference: clinicRef },
  };
  if (deathTime !== null) patient.deceasedDateTime = deathTime;
  if (p.language !== null) {
    const display = LANGUAGE_DISPLAY[p.language] ?? p.language;
    patient.communication = [
      {
        language: { coding: [{ system: SYS.bcp47, code: p.language, display }], text: display },
        preferred: true,
      },
    ];
    // Some non-English speakers also list English (not preferred), as registration forms often do.
    if (p.facts.nonEnglish && rng.chance(0.3)) {
      patient.communication.push({
        language: {
          coding: [{ system: SYS.bcp47, code: 'en', display: 'English' }],
          text: 'English',
        },
        preferred: false,
      });
    }
  }
  return patient;
}

function genderIdentityCode(p: PatientProfile): Code {
  if (p.genderIdentity === 'nonbinary') return GENDER_IDENTITY.nonbinary;
  const female = p.genderIdentity === 'trans' ? p.sexAtBirth === 'M' : p.sexAtBirth === 'F';
  return female ? GENDER_IDENTITY.female : GENDER_IDENTITY.male;
}

function coverage(ctx: PatientContext, p: PatientProfile, rng: Rng): fhir4.Coverage {
  const sopt = rng.pick(PAYER_SOPT[p.payer]);
  const payerOrgs = PAYER_ORGS.filter((o) => o.kind === p.payer);
  const payor = payerOrgs.length > 0 ? `Organization/${rng.pick(payerOrgs).id}` : ctx.patientRef;
  const start = Math.max(p.birthDay, p.asOf - rng.int(200, 3650));
  return {
    resourceType: 'Coverage',
    id: ctx.id('cov'),
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage'] },
    identifier: [
      {
        type: { coding: [{ system: SYS.v20203, code: 'MB', display: 'Member Number' }] },
        system: 'urn:oid:2.16.840.1.113883.19.5.2',
        value: `M${p.key}${rng.int(10, 99)}`,
      },
    ],
    status: 'active',
    // Coded twice: by the SOPT OID and by the URL the eCQM Payer Type expansion uses.
    type: {
      coding: [
        { system: SYS.sopt, code: sopt.code, display: sopt.display },
        { system: SYS.soptNahdo, code: sopt.code, display: sopt.display },
      ],
      text: sopt.display,
    },
    subscriberId: `S${p.key}`,
    beneficiary: ctx.subject(),
    relationship: {
      coding: [{ system: SYS.subscriberRelationship, code: 'self', display: 'Self' }],
    },
    period: { start: formatDay(start) },
    payor: [{ reference: payor }],
  };
}

// ---------------------------------------------------------------- encounters

function planVisits(p: PatientProfile, rng: Rng, historyStart: number): Visit[] {
  const perYear = Math.min(4, 1 + (p.diabetes ? 2 : 0) + (p.hypertension ? 1 : 0));
  // A patient who dies in hospital has no clinic visits during the final stay (at most 7 days).
  const lastVisitDay = p.death?.inHospital ? p.asOf - 8 : p.asOf;
  const days = new Set<number>();
  for (let k = 0; k < 3; k++) {
    const hi = lastVisitDay - 365 * k;
    const lo = Math.max(historyStart, hi - 364);
    if (lo > hi) continue;
    const n = rng.int(Math.max(0, perYear - 1), perYear + 1);
    for (let i = 0; i < n; i++) days.add(rng.int(lo, hi));
  }
  const o = p.outcomes;
  // Screening events happen at visits.
  if (o.screening) days.add(o.screening.day);
  if (o.declinedScreeningDay !== null) days.add(o.declinedScreeningDay);
  if (o.staleScreeningDay !== null && o.staleScreeningDay >= historyStart)
    days.add(o.staleScreeningDay);
  // Everyone alive has been seen in the last year (so they are in the measures' populations).
  let recent = false;
  for (const d of days) if (d > p.asOf - 365) recent = true;
  if (!recent) days.add(Math.max(historyStart, lastVisitDay - rng.int(0, 300)));

  const sorted = [...days]
    .filter((d) => d >= historyStart && d <= lastVisitDay)
    .sort((a, b) => a - b);
  const lastDay = sorted[sorted.length - 1];
  const preventiveYears = new Set<number>();
  return sorted.map((day) => {
    const slot = Math.floor((p.asOf - day) / 365);
    const screeningDay =
      day === o.screening?.day || day === o.declinedScreeningDay || day === o.staleScreeningDay;
    const phone = day !== lastDay && !screeningDay && rng.chance(0.06);
    let kind: Visit['kind'] = phone ? 'telephone' : 'office';
    if (!phone && !preventiveYears.has(slot) && rng.chance(0.7)) {
      preventiveYears.add(slot);
      kind = 'preventive';
    }
    return { day, minute: rng.int(8 * 4, 16 * 4) * 15, kind, id: '' };
  });
}

function visitType(p: PatientProfile, v: Visit, rng: Rng): Code {
  if (v.kind === 'telephone') return ENCOUNTER.telephone;
  const age = ageOn(p.birthDay, v.day);
  if (age < 18) return rng.chance(0.5) ? ENCOUNTER.pediatricOffice : ENCOUNTER.office99213;
  if (v.kind === 'preventive') {
    return age < 40
      ? ENCOUNTER.preventive18to39
      : age < 65
        ? ENCOUNTER.preventive40to64
        : ENCOUNTER.preventive65up;
  }
  return rng.weighted<Code>([
    [ENCOUNTER.office99213, 60],
    [ENCOUNTER.office99214, 35],
    [ENCOUNTER.office99203, 5],
  ]);
}

function visitEncounter(ctx: PatientContext, p: PatientProfile, v: Visit): fhir4.Encounter {
  v.id = ctx.id('enc');
  const type = visitType(p, v, ctx.rng);
  const length = v.kind === 'telephone' ? 15 : ctx.rng.int(2, 4) * 10;
  return {
    resourceType: 'Encounter',
    id: v.id,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter'] },
    status: 'finished',
    class: { ...(v.kind === 'telephone' ? ENCOUNTER_CLASS.VR : ENCOUNTER_CLASS.AMB) },
    type: [concept([type])],
    subject: ctx.subject(),
    participant: [{ individual: ref(ctx.practitionerRef) }],
    period: {
      start: formatDateTime(v.day, v.minute),
      end: formatDateTime(v.day, v.minute + length),
    },
    serviceProvider: ref(ctx.organizationRef),
  };
}

function renderEdVisits(ctx: PatientContext, p: PatientProfile, historyStart: number): void {
  const rng = ctx.rng;
  const count = rng.chance(0.12) ? rng.int(1, 2) : 0;
  for (let i = 0; i < count; i++) {
    const day = rng.int(historyStart, p.asOf);
    const minute = rng.int(0, 22 * 60);
    ctx.add({
      resourceType: 'Encounter',
      id: ctx.id('enc'),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter'] },
      status: 'finished',
      class: { ...ENCOUNTER_CLASS.EMER },
      type: [concept([ENCOUNTER.edVisit99284, ENCOUNTER.edVisitSnomed])],
      subject: ctx.subject(),
      participant: [{ individual: ref(ctx.practitionerRef) }],
      period: {
        start: formatDateTime(day, minute),
        end: formatDateTime(day, Math.min(minute + rng.int(90, 300), 23 * 60 + 59)),
      },
      serviceProvider: ref(ctx.organizationRef),
    } satisfies fhir4.Encounter);
  }
}

function planStays(p: PatientProfile, rng: Rng, historyStart: number): Stay[] {
  const o = p.outcomes;
  if (o.inpatient === 'none') return [];
  const los = rng.int(1, 7);
  if (o.inpatient === 'died') {
    return [
      {
        admitDay: Math.max(historyStart, p.asOf - los),
        dischargeDay: p.asOf,
        disposition: 'exp',
        readmission: false,
      },
    ];
  }
  // First stay ends at least 40 days before asOf, so a 30-day readmission window is fully observed.
  const latest = p.asOf - 40;
  const earliest = historyStart + 8;
  if (latest < earliest) return [];
  const discharge = rng.int(earliest, latest);
  const disposition = rng.weighted<Stay['disposition']>([
    ['home', 75],
    ['snf', 12],
    ['rehab', 8],
    ['aadvice', 5],
  ]);
  const stays: Stay[] = [
    { admitDay: discharge - los, dischargeDay: discharge, disposition, readmission: false },
  ];
  const laterStay = rng.chance(0.2);
  if (o.readmitted) {
    const admit = discharge + rng.int(1, 30);
    stays.push({
      admitDay: admit,
      dischargeDay: Math.min(admit + rng.int(1, 6), p.asOf),
      disposition: 'home',
      readmission: true,
    });
  } else if (laterStay && discharge + 60 <= p.asOf - 7) {
    const admit = rng.int(discharge + 60, p.asOf - 7);
    stays.push({
      admitDay: admit,
      dischargeDay: admit + rng.int(1, 6),
      disposition: 'home',
      readmission: false,
    });
  }
  return stays;
}

const DISPOSITION_DISPLAY: Readonly<Record<Stay['disposition'], string>> = {
  home: 'Home',
  snf: 'Skilled nursing facility',
  rehab: 'Rehabilitation',
  aadvice: 'Left against advice',
  exp: 'Expired',
};

function renderStays(ctx: PatientContext, stays: readonly Stay[], deathTime: string | null): void {
  const rng = ctx.rng;
  for (const stay of stays) {
    const viaEd = rng.chance(0.6);
    const reason = rng.pick(ADMISSION_REASONS);
    const start = formatDateTime(stay.admitDay, rng.int(0, 23) * 60 + rng.int(0, 59));
    const end =
      stay.disposition === 'exp' && deathTime !== null
        ? deathTime
        : formatDateTime(stay.dischargeDay, rng.int(9 * 60, 17 * 60));
    const hospitalization: fhir4.EncounterHospitalization = {
      admitSource: {
        coding: [
          viaEd
            ? {
                system: 'http://terminology.hl7.org/CodeSystem/admit-source',
                code: 'emd',
                display: 'From accident/emergency department',
              }
            : {
                system: 'http://terminology.hl7.org/CodeSystem/admit-source',
                code: 'gp',
                display: 'General Practitioner referral',
              },
        ],
      },
      dischargeDisposition: {
        coding: [
          {
            system: SYS.dischargeDisposition,
            code: stay.disposition,
            display: DISPOSITION_DISPLAY[stay.disposition],
          },
        ],
      },
    };
    if (stay.readmission) {
      hospitalization.reAdmission = {
        coding: [{ system: SYS.v20092, code: 'R', display: 'Re-admission' }],
      };
    }
    ctx.add({
      resourceType: 'Encounter',
      id: ctx.id('enc'),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter'] },
      status: 'finished',
      class: { ...ENCOUNTER_CLASS.IMP },
      type: [concept([viaEd ? ENCOUNTER.emergencyAdmission : ENCOUNTER.hospitalAdmission])],
      subject: ctx.subject(),
      participant: [{ individual: ref(ctx.practitionerRef) }],
      period: { start, end },
      reasonCode: [concept([reason])],
      hospitalization,
      serviceProvider: ref(ctx.organizationRef),
    } satisfies fhir4.Encounter);
  }
}

// ---------------------------------------------------------------- conditions

const CATEGORY = {
  problem: {
    system: SYS.conditionCategory,
    code: 'problem-list-item',
    display: 'Problem List Item',
  },
  encounterDx: {
    system: SYS.conditionCategory,
    code: 'encounter-diagnosis',
    display: 'Encounter Diagnosis',
  },
  healthConcern: {
    system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category',
    code: 'health-concern',
    display: 'Health Concern',
  },
} as const;

interface ConditionSpec {
  readonly codes: readonly Code[];
  readonly category: readonly Code[];
  readonly onsetDay: number;
  readonly recordedDay: number;
  readonly encounter?: string;
  readonly clinical?: 'active' | 'resolved';
  readonly abatementDay?: number;
  readonly verification?: 'confirmed' | 'unconfirmed' | 'refuted' | 'entered-in-error';
  readonly evidence?: string;
}

function condition(ctx: PatientContext, spec: ConditionSpec): fhir4.Condition {
  const clinical = spec.clinical ?? 'active';
  const verification = spec.verification ?? 'confirmed';
  const isEncounterDx = spec.category.some((c) => c.code === 'encounter-diagnosis');
  const c: fhir4.Condition = {
    resourceType: 'Condition',
    id: ctx.id('cond'),
    meta: {
      profile: [
        isEncounterDx
          ? 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-encounter-diagnosis'
          : 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns',
      ],
    },
    clinicalStatus: { coding: [{ system: SYS.conditionClinical, code: clinical }] },
    verificationStatus: { coding: [{ system: SYS.conditionVerification, code: verification }] },
    category: spec.category.map((cat) => concept([cat])),
    code: concept(spec.codes, spec.codes[0]?.display),
    subject: ctx.subject(),
    onsetDateTime: formatDay(spec.onsetDay),
    recordedDate: formatDay(spec.recordedDay),
    recorder: ref(ctx.practitionerRef),
  };
  if (spec.encounter !== undefined) c.encounter = ref(`Encounter/${spec.encounter}`);
  if (spec.abatementDay !== undefined) c.abatementDateTime = formatDay(spec.abatementDay);
  if (spec.evidence !== undefined) c.evidence = [{ detail: [ref(spec.evidence)] }];
  return ctx.add(c);
}

function renderConditions(ctx: PatientContext, p: PatientProfile, visits: readonly Visit[]): void {
  const rng = ctx.rng;
  const first = visits[0];
  const last = visits[visits.length - 1];
  if (first === undefined || last === undefined) return;
  const onset = (): number => Math.max(p.birthDay + 180, first.day - rng.int(30, 3000));
  if (p.diabetes) {
    const onsetDay = onset();
    const icd = p.outcomes.a1cPoor ? CONDITION.diabetesT2HyperIcd : CONDITION.diabetesT2Icd;
    // CMS122 reads diabetes as an encounter diagnosis (ConditionEncounterDiagnosis); many EHRs also
    // keep it on the problem list, so half the diabetics carry both.
    condition(ctx, {
      codes: [CONDITION.diabetesT2, icd],
      category: [CATEGORY.encounterDx],
      onsetDay,
      recordedDay: last.day,
      encounter: last.id,
    });
    if (rng.chance(0.5))
      condition(ctx, {
        codes: [CONDITION.diabetesT2, icd],
        category: [CATEGORY.problem],
        onsetDay,
        recordedDay: first.day,
      });
  }
  if (p.hypertension) {
    condition(ctx, {
      codes: [CONDITION.hypertension, CONDITION.hypertensionIcd],
      category: [CATEGORY.problem],
      onsetDay: onset(),
      recordedDay: first.day,
    });
  } else if (p.age >= 18 && rng.chance(0.02)) {
    // Noise: a hypertension entry later refuted. Measures must filter on verificationStatus.
    condition(ctx, {
      codes: [CONDITION.hypertension, CONDITION.hypertensionIcd],
      category: [CATEGORY.problem],
      onsetDay: first.day,
      recordedDay: first.day,
      verification: 'refuted',
      clinical: 'resolved',
      abatementDay: last.day,
    });
  }
  if (p.depression) {
    const resolved = rng.chance(0.2);
    const onsetDay = onset();
    condition(ctx, {
      codes: [CONDITION.depression, CONDITION.depressionIcd],
      category: [CATEGORY.problem],
      onsetDay,
      recordedDay: first.day,
      clinical: resolved ? 'resolved' : 'active',
      ...(resolved ? { abatementDay: Math.max(onsetDay + 1, first.day) } : {}),
    });
  }
}

// ---------------------------------------------------------------- observations

function observation(
  ctx: PatientContext,
  code: readonly Code[],
  category: fhir4.CodeableConcept[],
  day: number,
  minute: number,
  extra: Partial<fhir4.Observation>,
  profile?: string,
): fhir4.Observation {
  const when = formatDateTime(day, minute);
  const obs: fhir4.Observation = {
    resourceType: 'Observation',
    id: ctx.id('obs'),
    status: 'final',
    category,
    code: concept(code),
    subject: ctx.subject(),
    effectiveDateTime: when,
    issued: when,
    ...extra,
  };
  if (profile !== undefined) obs.meta = { profile: [profile] };
  return ctx.add(obs);
}

const BP_PROFILE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure';

function bpPanel(
  ctx: PatientContext,
  v: Visit,
  minute: number,
  sys: number,
  dia: number,
  status: fhir4.Observation['status'],
): void {
  observation(
    ctx,
    [OBS.bpPanel],
    [obsCategory('vital-signs', 'Vital Signs')],
    v.day,
    minute,
    {
      status,
      encounter: ref(`Encounter/${v.id}`),
      component: [
        { code: concept([OBS.systolic]), valueQuantity: ucum(sys, 'mm[Hg]') },
        { code: concept([OBS.diastolic]), valueQuantity: ucum(dia, 'mm[Hg]') },
      ],
    },
    BP_PROFILE,
  );
}

function renderVitals(ctx: PatientContext, p: PatientProfile, visits: readonly Visit[]): void {
  const rng = ctx.rng;
  const clinical = visits.filter((v) => v.kind !== 'telephone');
  clinical.forEach((v, i) => {
    if (ageOn(p.birthDay, v.day) < 18) return;
    const isLast = i === clinical.length - 1;
    const minute = v.minute + 5;
    if (isLast && p.hypertension) {
      // CMS165: lowest systolic and lowest diastolic on the most recent BP day decide control.
      if (p.outcomes.bpControlled) {
        if (rng.chance(0.2)) bpPanel(ctx, v, minute, rng.int(142, 158), rng.int(86, 96), 'final');
        bpPanel(ctx, v, minute + 10, rng.int(110, 138), rng.int(64, 88), 'final');
      } else {
        const mode = rng.weighted<'both' | 'sys' | 'dia'>([
          ['both', 60],
          ['sys', 30],
          ['dia', 10],
        ]);
        const sys = mode === 'dia' ? rng.int(124, 138) : rng.int(142, 178);
        const dia = mode === 'sys' ? rng.int(72, 88) : rng.int(90, 104);
        bpPanel(ctx, v, minute, sys, dia, 'final');
      }
      return;
    }
    const sys = Math.round(rng.normal(p.hypertension ? 138 : 121, 11));
    const dia = Math.round(rng.normal(p.hypertension ? 86 : 77, 7));
    const status: fhir4.Observation['status'] = rng.chance(0.02) ? 'amended' : 'final';
    if (!p.hypertension || !isLast) {
      // Some sites send systolic and diastolic as two Observations instead of the 85354-9 panel.
      if (rng.chance(0.1)) {
        for (const [code, value] of [
          [OBS.systolic, sys],
          [OBS.diastolic, dia],
        ] as const) {
          observation(ctx, [code], [obsCategory('vital-signs', 'Vital Signs')], v.day, minute, {
            status,
            encounter: ref(`Encounter/${v.id}`),
            valueQuantity: ucum(value, 'mm[Hg]'),
          });
        }
        return;
      }
    }
    bpPanel(ctx, v, minute, sys, dia, status);
  });
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function a1c(
  ctx: PatientContext,
  v: Visit,
  minute: number,
  value: number,
  status: fhir4.Observation['status'],
): void {
  observation(
    ctx,
    [OBS.hba1c],
    [obsCategory('laboratory', 'Laboratory')],
    v.day,
    minute,
    {
      status,
      encounter: ref(`Encounter/${v.id}`),
      valueQuantity: ucum(round1(value), '%'),
      referenceRange: [{ high: ucum(5.6, '%'), text: '< 5.7 %' }],
    },
    'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab',
  );
}

function renderA1c(
  ctx: PatientContext,
  p: PatientProfile,
  visits: readonly Visit[],
  historyStart: number,
): void {
  const rng = ctx.rng;
  const clinical = visits.filter((v) => v.kind !== 'telephone');
  const last = clinical[clinical.length - 1];
  if (last === undefined) return;
  if (!p.diabetes) {
    if (p.age >= 18 && rng.chance(0.1)) {
      const v = rng.pick(clinical);
      a1c(ctx, v, v.minute + 20, rng.real(4.8, 5.6), 'final');
    }
    return;
  }
  const poor = p.outcomes.a1cPoor;
  clinical.forEach((v, i) => {
    if (v === last || v.day < historyStart || i % 2 === 1) return;
    const value = Math.min(13.5, Math.max(5.5, rng.normal(poor ? 8.8 : 7.2, 1.0)));
    a1c(ctx, v, v.minute + 20, value, rng.chance(0.05) ? 'amended' : 'final');
  });
  // The designed value: the most recent valid result (CMS122 counts final/amended/corrected).
  const value = poor ? rng.real(9.1, 12.5) : rng.real(5.9, 8.9);
  a1c(ctx, last, last.minute + 20, value, rng.chance(0.05) ? 'amended' : 'final');
  // Noise after it, on the same day, on the other side of 9 %: engines must skip these statuses.
  const noise = rng.weighted<'none' | 'preliminary' | 'entered-in-error'>([
    ['none', 95],
    ['preliminary', 3],
    ['entered-in-error', 2],
  ]);
  if (noise !== 'none')
    a1c(ctx, last, last.minute + 50, poor ? rng.real(6.5, 8.5) : rng.real(9.5, 11.5), noise);
}

function renderDepressionScreening(
  ctx: PatientContext,
  p: PatientProfile,
  visits: readonly Visit[],
): void {
  const rng = ctx.rng;
  const seenSlots = new Set<number>();
  for (const v of visits) {
    if (v.kind === 'telephone') continue;
    const age = ageOn(p.birthDay, v.day);
    const slot = Math.floor((p.asOf - v.day) / 365);
    if (age < 12 || seenSlots.has(slot)) continue;
    seenSlots.add(slot);
    if (!rng.chance(0.6)) continue;
    const minute = v.minute + 10;
    const survey = [obsCategory('survey', 'Survey')];
    const phq2 = Math.min(6, Math.max(0, Math.round(rng.normal(p.depression ? 3 : 0.6, 1.3))));
    const phq2Obs = observation(ctx, [OBS.phq2Total], survey, v.day, minute, {
      encounter: ref(`Encounter/${v.id}`),
      valueInteger: phq2,
    });
    const evidence = [ref(`Observation/${phq2Obs.id ?? ''}`)];
    let positive = false;
    if (phq2 >= 3) {
      const phq9 = Math.min(27, Math.max(phq2, Math.round(rng.normal(p.depression ? 13 : 7, 4))));
      const phq9Obs = observation(ctx, [OBS.phq9Total], survey, v.day, minute + 5, {
        encounter: ref(`Encounter/${v.id}`),
        valueInteger: phq9,
      });
      evidence.push(ref(`Observation/${phq9Obs.id ?? ''}`));
      positive = phq9 >= 10;
    }
    // CMS2 reads the assessment (73832-8 adult / 73831-0 adolescent) with a SNOMED result.
    observation(
      ctx,
      [age >= 18 ? OBS.adultDepressionScreen : OBS.adolescentDepressionScreen],
      survey,
      v.day,
      minute + 8,
      {
        encounter: ref(`Encounter/${v.id}`),
        valueCodeableConcept: concept([
          positive ? DEPRESSION_RESULT.positive : DEPRESSION_RESULT.negative,
        ]),
        derivedFrom: evidence,
      },
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment',
    );
    if (positive && rng.chance(0.7)) {
      ctx.add({
        resourceType: 'Procedure',
        id: ctx.id('proc'),
        status: 'completed',
        code: concept([PROCEDURE.depressionCareManagement]),
        subject: ctx.subject(),
        encounter: ref(`Encounter/${v.id}`),
        performedDateTime: formatDateTime(v.day, minute + 20),
        performer: [{ actor: ref(ctx.practitionerRef) }],
      } satisfies fhir4.Procedure);
    }
  }
}

function renderSogi(ctx: PatientContext, p: PatientProfile, visits: readonly Visit[]): void {
  const rng = ctx.rng;
  const v = [...visits].reverse().find((x) => x.kind !== 'telephone');
  if (v === undefined || ageOn(p.birthDay, v.day) < 18) return;
  const social = [obsCategory('social-history', 'Social History')];
  const o = p.sogi.orientation;
  if (o !== 'none') {
    const extra: Partial<fhir4.Observation> = { encounter: ref(`Encounter/${v.id}`) };
    if (o === 'declined') extra.dataAbsentReason = concept([ASKED_DECLINED]);
    else if (o === 'text')
      extra.valueString = rng.pick([
        'Queer',
        'Pansexual',
        'Asexual',
        'Questioning',
        'Something else',
      ]);
    else extra.valueCodeableConcept = concept([SEXUAL_ORIENTATION[o]]);
    observation(
      ctx,
      [OBS.sexualOrientation],
      social,
      v.day,
      v.minute + 3,
      extra,
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-sexual-orientation',
    );
  }
  if (p.sogi.identityObservation) {
    observation(ctx, [OBS.genderIdentity], social, v.day, v.minute + 3, {
      encounter: ref(`Encounter/${v.id}`),
      valueCodeableConcept: concept([genderIdentityCode(p)]),
    });
  }
}

function renderCancerScreening(ctx: PatientContext, p: PatientProfile): void {
  const rng = ctx.rng;
  const o = p.outcomes;
  const imaging = (day: number): void => {
    observation(
      ctx,
      [rng.pick([OBS.mammogramScreening, OBS.mammogramBilateral, OBS.mammogramTomo])],
      [obsCategory('imaging', 'Imaging')],
      day,
      rng.int(8 * 60, 16 * 60),
      {
        performer: [ref(ctx.organizationRef)],
      },
    );
  };
  // Breast: screened within 450 days; some unscreened women have an old (3–5 year) mammogram.
  const breastEligible = p.sexAtBirth === 'F' && p.age >= 42 && p.age <= 74;
  const oldMammogram = rng.chance(0.4);
  if (o.mammogram) imaging(p.asOf - rng.int(20, 450));
  else if (breastEligible && oldMammogram) imaging(p.asOf - rng.int(1100, 1800));

  const colonoscopy = (day: number): void => {
    ctx.add({
      resourceType: 'Procedure',
      id: ctx.id('proc'),
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure'] },
      status: 'completed',
      code: concept([PROCEDURE.colonoscopy, PROCEDURE.colonoscopyCpt]),
      subject: ctx.subject(),
      performedDateTime: formatDateTime(day, rng.int(8 * 60, 14 * 60)),
    } satisfies fhir4.Procedure);
  };
  const fit = (day: number): void => {
    observation(
      ctx,
      [OBS.fit],
      [obsCategory('laboratory', 'Laboratory')],
      day,
      rng.int(8 * 60, 16 * 60),
      {
        valueCodeableConcept: concept([FIT_NEGATIVE]),
      },
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab',
    );
  };
  const colorectalEligible = p.age >= 46 && p.age <= 75;
  const trap = rng.weighted<'none' | 'old-colonoscopy' | 'last-year-fit'>([
    ['none', 75],
    ['old-colonoscopy', 10],
    ['last-year-fit', 15],
  ]);
  const yearOne = yearStart(p.asOf);
  if (o.colorectal === 'colonoscopy')
    colonoscopy(p.asOf - rng.int(30, Math.max(30, Math.min(3000, (p.age - 40) * 365))));
  else if (o.colorectal === 'fit') fit(rng.int(yearOne, p.asOf));
  else if (colorectalEligible && trap === 'old-colonoscopy')
    colonoscopy(p.asOf - rng.int(3800, 5000));
  // An FOBT in the previous calendar year does not count for this year's CMS130.
  else if (colorectalEligible && trap === 'last-year-fit') fit(yearOne - rng.int(1, 300));
}

// ---------------------------------------------------------------- SDOH screening and referrals

const TASK_STATUSES: readonly (readonly [fhir4.Task['status'], number])[] = [
  ['requested', 18],
  ['accepted', 17],
  ['in-progress', 20],
  ['on-hold', 5],
  ['completed', 28],
  ['rejected', 6],
  ['cancelled', 6],
];

function renderSdoh(ctx: PatientContext, p: PatientProfile, visits: readonly Visit[]): void {
  const rng = ctx.rng;
  const o = p.outcomes;
  const visitOn = (day: number): Visit | undefined => visits.find((v) => v.day === day);
  const negative = (day: number, declined: ScreeningPlan['declined']): ScreeningPlan => ({
    day,
    instrument: 'ahc',
    food: false,
    housing: 'stable',
    transportation: false,
    utilities: false,
    safety: false,
    declined,
  });

  if (o.staleScreeningDay !== null) {
    const v = visitOn(o.staleScreeningDay);
    if (v) renderScreening(ctx, negative(v.day, 'none'), v.minute + 2, `Encounter/${v.id}`);
  }
  if (o.declinedScreeningDay !== null) {
    const v = visitOn(o.declinedScreeningDay);
    if (v) renderScreening(ctx, negative(v.day, 'all'), v.minute + 2, `Encounter/${v.id}`);
  }
  const plan = o.screening;
  if (plan === null) return;
  const v = visitOn(plan.day);
  if (v === undefined) return;
  const rendered = renderScreening(ctx, plan, v.minute + 2, `Encounter/${v.id}`);
  const positives = planPositiveDomains(plan);

  // Screen-derived health concerns (SDOHCC: health-concern + sdoh, unconfirmed, evidence → the screen).
  const reasons: Partial<Record<SdohDomain, string>> = {};
  for (const domain of positives) {
    const obsId = rendered.positiveObservation[domain];
    if (obsId === undefined) continue;
    reasons[domain] = `Observation/${obsId}`;
    const codes =
      domain === 'food'
        ? [CONDITION.foodInsecurity, CONDITION.foodInsecurityIcd]
        : domain === 'transportation'
          ? [CONDITION.transportInsecurity, CONDITION.transportInsecurityIcd]
          : null;
    if (codes && rng.chance(domain === 'food' ? 0.6 : 0.4)) {
      const cond = condition(ctx, {
        codes,
        category: [
          CATEGORY.healthConcern,
          { system: SYS.usCoreCategory, code: 'sdoh', display: 'SDOH' },
        ],
        onsetDay: plan.day,
        recordedDay: plan.day,
        encounter: v.id,
        verification: 'unconfirmed',
        evidence: `Observation/${obsId}`,
      });
      reasons[domain] = `Condition/${cond.id ?? ''}`;
    }
  }

  const domain = positives[0];
  if (o.referral === 'none' || domain === undefined) return;
  const authoredDay =
    o.referral === 'within30'
      ? plan.day + rng.int(0, 30)
      : plan.day + rng.int(31, Math.max(31, Math.min(150, p.asOf - plan.day)));
  const authoredOn = formatDateTime(authoredDay, rng.int(9 * 60, 17 * 60));
  const taskStatus = rng.weighted(TASK_STATUSES);
  const cbo = `Organization/${CBO[domain].id}`;
  const srId = ctx.id('sr');
  const category = SDOHCC_CATEGORY[domain];
  const sr: fhir4.ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: srId,
    meta: {
      profile: [
        'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest',
      ],
    },
    status:
      taskStatus === 'completed'
        ? 'completed'
        : taskStatus === 'cancelled' || taskStatus === 'rejected'
          ? 'revoked'
          : 'active',
    intent: 'order',
    category: [
      {
        coding: [{ system: SYS.sdohcc, code: category.code, display: category.display }],
        ...(domain === 'safety' ? { text: 'Interpersonal safety' } : {}),
      },
      concept([SOCIAL_SERVICE_PROCEDURE]),
      sdohCategory(),
    ],
    code: concept([rng.pick(REFERRAL_CODES[domain])]),
    subject: ctx.subject(),
    authoredOn,
    requester: ref(ctx.practitionerRef),
    performer: [ref(cbo)],
    reasonReference: [
      ref(reasons[domain] ?? `Observation/${rendered.positiveObservation[domain] ?? ''}`),
    ],
  };
  if (authoredDay === plan.day) sr.encounter = ref(`Encounter/${v.id}`);
  if (domain === 'safety') {
    // sdoh.md §1.2: do not contact the patient directly about interpersonal safety.
    sr.orderDetail = [
      {
        coding: [
          {
            system: SYS.sdohcc,
            code: 'contacting-subject-prohibited',
            display: 'Contacting subject prohibited',
          },
        ],
      },
    ];
  }
  ctx.add(sr);

  const modifiedDay = Math.min(p.asOf, authoredDay + rng.int(0, 40));
  const task: fhir4.Task = {
    resourceType: 'Task',
    id: ctx.id('task'),
    meta: {
      profile: [
        'http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement',
      ],
    },
    status: taskStatus,
    intent: 'order',
    code: concept([TASK_FULFILL]),
    focus: ref(`ServiceRequest/${srId}`),
    for: ctx.subject(),
    authoredOn,
    lastModified: formatDateTime(modifiedDay, rng.int(9 * 60, 17 * 60)),
    requester: ref(ctx.practitionerRef),
    owner: ref(cbo),
  };
  if (taskStatus === 'rejected' || taskStatus === 'cancelled' || taskStatus === 'on-hold') {
    task.statusReason = {
      text: rng.pick(
        taskStatus === 'rejected'
          ? ['Service area does not include patient address', 'Program at capacity']
          : taskStatus === 'cancelled'
            ? ['Patient declined services', 'Could not contact patient']
            : ['Waiting for patient documents'],
      ),
    };
  }
  ctx.add(task);
}

// ---------------------------------------------------------------- panels and the whole population

// ---------------------------------------------------------------- medication orders

interface Regimen {
  readonly code: Code;
  readonly form: { readonly code: 'TAB' | 'CAP'; readonly display: string; readonly unit: string };
  readonly perDay: number;
  readonly text: string;
  /** Relative frequency among patients on a dementia medication. */
  readonly weight: number;
}

const TABLET = { code: 'TAB', display: 'Tablet', unit: 'tablet' } as const;
const CAPSULE = { code: 'CAP', display: 'Capsule', unit: 'capsule' } as const;

/** Common dementia regimens (doses per day as in the drugs' US labels). */
const REGIMENS: readonly Regimen[] = [
  {
    code: MEDICATION.donepezil5,
    form: TABLET,
    perDay: 1,
    text: 'Take 1 tablet by mouth at bedtime',
    weight: 25,
  },
  {
    code: MEDICATION.donepezil10,
    form: TABLET,
    perDay: 1,
    text: 'Take 1 tablet by mouth at bedtime',
    weight: 30,
  },
  {
    code: MEDICATION.memantine10,
    form: TABLET,
    perDay: 2,
    text: 'Take 1 tablet by mouth twice daily',
    weight: 20,
  },
  {
    code: MEDICATION.memantine5,
    form: TABLET,
    perDay: 1,
    text: 'Take 1 tablet by mouth once daily',
    weight: 5,
  },
  {
    code: MEDICATION.rivastigmine3,
    form: CAPSULE,
    perDay: 2,
    text: 'Take 1 capsule by mouth twice daily with meals',
    weight: 10,
  },
  {
    code: MEDICATION.galantamine8,
    form: TABLET,
    perDay: 2,
    text: 'Take 1 tablet by mouth twice daily with meals',
    weight: 10,
  },
];

const medicationId = (code: Code): string => `med-rxnorm-${code.code}`;

function medicationResource(regimen: Regimen, id = medicationId(regimen.code)): fhir4.Medication {
  return {
    resourceType: 'Medication',
    id,
    code: concept([regimen.code], regimen.code.display),
    form: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm',
          code: regimen.form.code,
          display: regimen.form.display,
        },
      ],
    },
  };
}

/**
 * Dementia medication orders for about 12% of living patients 66+, from the patient's own
 * medication stream. The order names its drug by `medicationReference` in one of the three shapes
 * Epic and Oracle Health send, about a third each: a contained Medication (`#med1`); a Medication
 * of its own written beside it (`Medication/med-…`, in the same Bundle, export or
 * `_include=MedicationRequest:medication` search); or the shared formulary Medication
 * (`Medication/med-rxnorm-<code>`), which a client fetches once per distinct reference.
 */
function renderMedications(ctx: PatientContext, p: PatientProfile, rng: Rng): void {
  const onMedication = rng.chance(0.12);
  if (p.death !== null || p.age < 66 || !onMedication) return;
  const regimen = rng.weighted(REGIMENS.map((g) => [g, g.weight] as const));
  const shape = rng.weighted<'contained' | 'bundled' | 'formulary'>([
    ['contained', 1],
    ['bundled', 1],
    ['formulary', 1],
  ]);
  const day = p.asOf - rng.int(5, 330);
  const minute = rng.int(8 * 60, 17 * 60);
  const supplyDays = rng.chance(0.5) ? 30 : 90;
  const refills = supplyDays === 30 ? 5 : 3;
  const request: fhir4.MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: ctx.id('medrx'),
    meta: {
      profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest'],
    },
    status: 'active',
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
            code: 'community',
            display: 'Community',
          },
        ],
      },
    ],
    subject: ctx.subject(),
    authoredOn: formatDateTime(day, minute),
    requester: ref(ctx.practitionerRef),
    // What CumulativeMedicationDuration reads: one dosage with its timing and dose, the supply
    // and refills (README "Medication orders").
    dosageInstruction: [
      {
        sequence: 1,
        text: regimen.text,
        timing: {
          repeat: {
            boundsPeriod: { start: formatDay(day) },
            frequency: regimen.perDay,
            period: 1,
            periodUnit: 'd',
          },
        },
        route: { coding: [{ system: SYS.snomed, code: '26643006', display: 'Oral route' }] },
        doseAndRate: [
          {
            doseQuantity: {
              value: 1,
              unit: regimen.form.unit,
              system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm',
              code: regimen.form.code,
            },
          },
        ],
      },
    ],
    dispenseRequest: {
      numberOfRepeatsAllowed: refills,
      quantity: { value: supplyDays * regimen.perDay, unit: regimen.form.unit },
      expectedSupplyDuration: ucum(supplyDays, 'days', 'd'),
    },
  };
  let bundled: fhir4.Medication | undefined;
  switch (shape) {
    case 'contained':
      request.contained = [medicationResource(regimen, 'med1')];
      request.medicationReference = { reference: '#med1', display: regimen.code.display };
      break;
    case 'bundled':
      bundled = medicationResource(regimen, ctx.id('med'));
      request.medicationReference = {
        reference: `Medication/${bundled.id ?? ''}`,
        display: regimen.code.display,
      };
      break;
    case 'formulary':
      request.medicationReference = {
        reference: `Medication/${medicationId(regimen.code)}`,
        display: regimen.code.display,
      };
      break;
  }
  ctx.add(request);
  if (bundled) ctx.add(bundled);
}

// ---------------------------------------------------------------- panels

/**
 * One Group per practitioner panel (type person, actual) and one List of the first practitioner's
 * high-risk patients (poorly controlled diabetes, a hospital stay, or a positive social-needs screen).
 */
export function generatePanels(options: GenerateOptions): fhir4.Resource[] {
  const r = resolve(options);
  const members: fhir4.GroupMember[][] = Array.from({ length: r.practitioners }, () => []);
  const highRisk: fhir4.ListEntry[] = [];
  for (let index = 0; index < r.patients; index++) {
    const n = index % r.practitioners;
    const id = `pat-${patientKey(index)}`;
    const needProfile = n === 0;
    const profile = needProfile ? drawProfile({ seed: r.seed, today: r.today }, index) : null;
    const member: fhir4.GroupMember = { entity: { reference: `Patient/${id}` } };
    members[n]?.push(member);
    if (profile?.highRisk && profile.death === null)
      highRisk.push({ item: { reference: `Patient/${id}` } });
  }
  const displayName = (n: number): string => {
    const name = practitioner(r.seed, n).name?.[0];
    return [
      ...(name?.prefix ?? []),
      ...(name?.given ?? []),
      name?.family ?? practitionerId(n),
    ].join(' ');
  };
  const out: fhir4.Resource[] = members.map((m, n): fhir4.Group => ({
    resourceType: 'Group',
    id: `grp-${practitionerId(n)}`,
    type: 'person',
    actual: true,
    name: `Panel of ${displayName(n)}`,
    managingEntity: { reference: `Practitioner/${practitionerId(n)}` },
    quantity: m.length,
    member: m,
  }));
  const list: fhir4.List = {
    resourceType: 'List',
    id: `list-high-risk-${practitionerId(0)}`,
    status: 'current',
    mode: 'working',
    title: `High-risk patients of ${displayName(0)}`,
    code: { text: 'High-risk patients' },
    source: { reference: `Practitioner/${practitionerId(0)}` },
    date: formatDay(r.today),
    entry: highRisk,
  };
  out.push(list);
  return out;
}

/** The whole population in memory: directory, then each patient's resources, then panels. */
export function generatePopulation(options: GenerateOptions): GeneratedPopulation {
  const r = resolve(options);
  const resources: fhir4.Resource[] = generateDirectory(options);
  const patientIds: string[] = [];
  for (const patient of generatePatients(options)) {
    const first = patient[0];
    if (first?.id !== undefined) patientIds.push(first.id);
    for (const resource of patient) resources.push(resource);
  }
  for (const resource of generatePanels(options)) resources.push(resource);
  const practitionerIds = Array.from({ length: r.practitioners }, (_, n) => practitionerId(n));
  return { resources, practitionerIds, patientIds };
}
