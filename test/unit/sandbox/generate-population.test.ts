import { describe, expect, it } from 'vitest';
import {
  generateDirectory,
  generatePanels,
  generatePatient,
  generatePatients,
  generatePopulation,
  npiCheckDigit,
  practitionerCount,
} from '../../../sandbox/generate/population';
import { EXT, OMB_RACE, SYS } from '../../../sandbox/generate/codes';
import {
  FAMILY_NAMES,
  FIRST_NAMES,
  FIRST_NAMES_BY_LANGUAGE,
  firstNamePool,
} from '../../../sandbox/generate/names';

const TODAY = '2026-06-30';
const small = generatePopulation({ seed: 7, patients: 300, today: TODAY });

/** Every `reference` string anywhere inside a value. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) references(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

/** Every FHIR date/dateTime-looking string (YYYY-MM-DD prefix) anywhere inside a value, with its key. */
function dates(value: unknown, out: [string, string][] = [], key = ''): [string, string][] {
  if (Array.isArray(value)) {
    for (const v of value) dates(v, out, key);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) dates(v, out, k);
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    out.push([key, value]);
  }
  return out;
}

/** Reference fields that point at the patient (fhir4.Resource is not a union, so no narrowing). */
const pointers = (
  r: fhir4.Resource,
): { subject?: fhir4.Reference; beneficiary?: fhir4.Reference; for?: fhir4.Reference } =>
  r as { subject?: fhir4.Reference; beneficiary?: fhir4.Reference; for?: fhir4.Reference };

const ofType = <T extends fhir4.Resource>(
  resources: readonly fhir4.Resource[],
  type: T['resourceType'],
): T[] => resources.filter((r): r is T => r.resourceType === type);

describe('generatePopulation: determinism and size', () => {
  it('is byte-identical for the same (seed, patients, today)', () => {
    const again = generatePopulation({ seed: 7, patients: 300, today: TODAY });
    expect(JSON.stringify(again)).toBe(JSON.stringify(small));
  });

  it('changes with the seed and with today', () => {
    const other = generatePopulation({ seed: 8, patients: 300, today: TODAY });
    expect(JSON.stringify(other.resources)).not.toBe(JSON.stringify(small.resources));
    const later = generatePopulation({ seed: 7, patients: 300, today: '2026-07-01' });
    expect(JSON.stringify(later.resources)).not.toBe(JSON.stringify(small.resources));
  });

  it('uses the defaults seed 1 and 100 patients', () => {
    const dflt = generatePopulation({ today: TODAY });
    expect(dflt.patientIds).toHaveLength(100);
    expect(JSON.stringify(dflt)).toBe(
      JSON.stringify(generatePopulation({ seed: 1, patients: 100, today: TODAY })),
    );
  });

  it('returns the patients, practitioners and a realistic resource count', () => {
    expect(small.patientIds).toHaveLength(300);
    expect(small.patientIds[0]).toBe('pat-00001');
    expect(small.patientIds[299]).toBe('pat-00300');
    expect(small.practitionerIds).toEqual(['prac-001', 'prac-002', 'prac-003']);
    expect(ofType<fhir4.Patient>(small.resources, 'Patient').map((p) => p.id)).toEqual(
      small.patientIds,
    );
    const perPatient = small.resources.length / 300;
    expect(perPatient).toBeGreaterThan(20);
    expect(perPatient).toBeLessThan(60);
  });

  it('scales practitioners at ~1 per 100 patients, at least 3', () => {
    expect(practitionerCount(1)).toBe(3);
    expect(practitionerCount(300)).toBe(3);
    expect(practitionerCount(301)).toBe(4);
    expect(practitionerCount(100_000)).toBe(1000);
    const one = generatePopulation({ patients: 1, today: TODAY });
    expect(ofType(one.resources, 'Practitioner')).toHaveLength(3);
    expect(ofType(one.resources, 'Group')).toHaveLength(3);
    expect(generatePopulation({ patients: 0, today: TODAY }).patientIds).toEqual([]);
  });

  it('streams exactly what generatePopulation returns, and a patient does not depend on the population size', () => {
    const streamed = [
      ...generateDirectory({ seed: 7, patients: 300, today: TODAY }),
      ...[...generatePatients({ seed: 7, patients: 300, today: TODAY })].flat(),
      ...generatePanels({ seed: 7, patients: 300, today: TODAY }),
    ];
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(small.resources));
    // Patient 5 is the same in a 300- and a 250-patient population (both have 3 practitioners).
    expect(JSON.stringify(generatePatient({ seed: 7, patients: 250, today: TODAY }, 4))).toBe(
      JSON.stringify([...generatePatients({ seed: 7, patients: 300, today: TODAY })][4]),
    );
  });

  it('rejects bad options', () => {
    expect(() => generatePopulation({ today: '2026-02-30' })).toThrow(/calendar date/);
    expect(() => generatePopulation({ today: '06/30/2026' })).toThrow(/YYYY-MM-DD/);
    expect(() => generatePopulation({ today: TODAY, patients: -1 })).toThrow(/patients/);
    expect(() => generatePopulation({ today: TODAY, seed: 1.5 })).toThrow(/seed/);
  });
});

describe('generatePopulation: ids, references and dates', () => {
  it('gives every resource a valid FHIR id, unique per type', () => {
    const seen = new Set<string>();
    for (const r of small.resources) {
      expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      const key = `${r.resourceType}/${r.id ?? ''}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('resolves every reference within the output (a `#id` within its own resource)', () => {
    const known = new Set(small.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`));
    const refs = small.resources.flatMap((r) => {
      const contained = new Set(
        ((r as fhir4.DomainResource).contained ?? []).map((c) => `#${c.id ?? ''}`),
      );
      return references(r).map((ref) => ({ ref, resolves: known.has(ref) || contained.has(ref) }));
    });
    expect(refs.length).toBeGreaterThan(5000);
    expect(refs.some((r) => r.ref.startsWith('#'))).toBe(true);
    expect(refs.filter((r) => !r.resolves)).toEqual([]);
  });

  it('uses subject / beneficiary / for to point at the patient', () => {
    const patientRefs = new Set(small.patientIds.map((id) => `Patient/${id}`));
    for (const r of small.resources) {
      const { subject, beneficiary, for: taskFor } = pointers(r);
      if (['Observation', 'Condition', 'Procedure', 'Encounter'].includes(r.resourceType)) {
        expect(patientRefs.has(subject?.reference ?? ''), r.id).toBe(true);
      }
      if (r.resourceType === 'Coverage')
        expect(patientRefs.has(beneficiary?.reference ?? '')).toBe(true);
      if (r.resourceType === 'Task') expect(patientRefs.has(taskFor?.reference ?? '')).toBe(true);
    }
  });

  it('never dates anything after today (including a later "today")', () => {
    for (const today of [TODAY, '2027-01-01']) {
      const pop = today === TODAY ? small : generatePopulation({ seed: 3, patients: 150, today });
      const all = pop.resources.flatMap((r) => dates(r));
      expect(all.length).toBeGreaterThan(1000);
      const late = all.filter(([, d]) => d.slice(0, 10) > today);
      expect(late).toEqual([]);
      // dateTimes carry an offset, as FHIR requires when a time is present.
      for (const [, d] of all)
        if (d.length > 10)
          expect(d).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
  });

  it('never dates anything before the patient was born', () => {
    const birth = new Map(
      ofType<fhir4.Patient>(small.resources, 'Patient').map((p) => [
        `Patient/${p.id ?? ''}`,
        p.birthDate ?? '',
      ]),
    );
    let checked = 0;
    for (const r of small.resources) {
      const born = birth.get(pointers(r).subject?.reference ?? '');
      if (born === undefined) continue;
      for (const [key, d] of dates(r)) {
        checked += 1;
        expect(d.slice(0, 10) >= born, `${r.id ?? ''} ${key}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('generatePopulation: directory, panels and US Core shapes', () => {
  it('gives practitioners names and valid NPIs', () => {
    expect(npiCheckDigit('123456789')).toBe(3); // CMS's published example NPI 1234567893
    for (const prac of ofType<fhir4.Practitioner>(small.resources, 'Practitioner')) {
      expect(prac.name?.[0]?.family).toBeTruthy();
      const value = prac.identifier?.find((i) => i.system === SYS.npi)?.value ?? '';
      expect(value).toMatch(/^\d{10}$/);
      expect(Number(value.slice(9))).toBe(npiCheckDigit(value.slice(0, 9)));
    }
  });

  it('puts every patient in exactly one panel Group, matching generalPractitioner', () => {
    const groups = ofType<fhir4.Group>(small.resources, 'Group');
    expect(groups).toHaveLength(3);
    const owner = new Map<string, string>();
    for (const g of groups) {
      expect(g.type).toBe('person');
      expect(g.actual).toBe(true);
      expect(g.quantity).toBe(g.member?.length);
      for (const m of g.member ?? []) {
        expect(owner.has(m.entity.reference ?? '')).toBe(false);
        owner.set(m.entity.reference ?? '', g.managingEntity?.reference ?? '');
      }
    }
    for (const p of ofType<fhir4.Patient>(small.resources, 'Patient')) {
      expect(owner.get(`Patient/${p.id ?? ''}`)).toBe(p.generalPractitioner?.[0]?.reference);
    }
  });

  it("lists the first practitioner's high-risk patients", () => {
    const [list] = ofType<fhir4.List>(small.resources, 'List');
    expect(list?.entry?.length).toBeGreaterThan(5);
    const patients = new Map(
      ofType<fhir4.Patient>(small.resources, 'Patient').map((p) => [`Patient/${p.id ?? ''}`, p]),
    );
    for (const e of list?.entry ?? []) {
      expect(patients.get(e.item.reference ?? '')?.generalPractitioner?.[0]?.reference).toBe(
        'Practitioner/prac-001',
      );
    }
  });

  it('shapes the race extension as US Core requires (text, ASKU/UNK alone)', () => {
    const patients = ofType<fhir4.Patient>(small.resources, 'Patient');
    let asku = 0;
    let mena = 0;
    let multi = 0;
    for (const p of patients) {
      for (const url of [EXT.race, EXT.ethnicity]) {
        const ext = p.extension?.find((e) => e.url === url);
        if (!ext) continue;
        const parts = ext.extension ?? [];
        expect(parts.filter((e) => e.url === 'text')).toHaveLength(1);
        const omb = parts.filter((e) => e.url === 'ombCategory').map((e) => e.valueCoding?.code);
        if (omb.includes('ASKU') || omb.includes('UNK')) {
          asku += 1;
          expect(omb).toHaveLength(1); // us-core-23
          expect(parts.filter((e) => e.url === 'detailed')).toHaveLength(0);
        }
        if (url === EXT.race && omb.length > 1) multi += 1;
        if (parts.some((e) => e.url === 'detailed' && e.valueCoding?.code === '2118-8')) mena += 1;
        if (url === EXT.ethnicity) expect(omb.length).toBeLessThanOrEqual(1);
      }
    }
    expect(asku).toBeGreaterThan(0);
    expect(mena).toBeGreaterThan(0);
    expect(multi).toBeGreaterThan(0);
  });

  it('records sex, gender identity, language and interpreter need in every supported form', () => {
    const patients = ofType<fhir4.Patient>(small.resources, 'Patient');
    const has = (url: string): number =>
      patients.filter((p) => p.extension?.some((e) => e.url === url)).length;
    for (const url of [
      EXT.birthSex,
      EXT.sex,
      EXT.individualSex,
      EXT.genderIdentity,
      EXT.interpreterNeeded,
      EXT.interpreterRequired,
    ]) {
      expect(has(url), url).toBeGreaterThan(0);
    }
    for (const p of patients) {
      const sex = p.extension?.find((e) => e.url === EXT.sex);
      if (sex) expect(['248152002', '248153007']).toContain(sex.valueCode);
      const individual = p.extension?.find((e) => e.url === EXT.individualSex);
      if (individual) expect(individual.valueCoding?.system).toBe(SYS.snomed);
      const birth = p.extension?.find((e) => e.url === EXT.birthSex);
      if (birth) expect(['F', 'M', 'UNK']).toContain(birth.valueCode);
      expect(sex && individual).toBeFalsy();
      expect(p.identifier?.[0]?.type?.coding?.[0]?.code).toBe('MR');
      for (const c of p.communication ?? []) expect(c.language.coding?.[0]?.system).toBe(SYS.bcp47);
    }
    const languages = new Set(
      patients.map((p) => p.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code),
    );
    for (const code of ['en', 'en-US', 'es', 'zh', 'vi'])
      expect(languages.has(code), code).toBe(true);
    expect(patients.some((p) => p.deceasedDateTime !== undefined)).toBe(true);
  });

  it('codes Coverage with the Source of Payment Typology, both URIs', () => {
    for (const cov of ofType<fhir4.Coverage>(small.resources, 'Coverage')) {
      const systems = cov.type?.coding?.map((c) => c.system);
      expect(systems).toEqual([SYS.sopt, SYS.soptNahdo]);
      expect(cov.period?.start).toBeTruthy();
      expect(cov.payor.length).toBe(1);
    }
  });

  it('builds encounters of each class with the right details', () => {
    const encounters = ofType<fhir4.Encounter>(small.resources, 'Encounter');
    const byClass = new Map<string, fhir4.Encounter[]>();
    for (const e of encounters) {
      expect(e.status).toBe('finished');
      expect((e.period?.start ?? '') <= (e.period?.end ?? '')).toBe(true);
      byClass.set(e.class.code ?? '', [...(byClass.get(e.class.code ?? '') ?? []), e]);
    }
    expect([...byClass.keys()].sort()).toEqual(['AMB', 'EMER', 'IMP', 'VR']);
    const inpatient = byClass.get('IMP') ?? [];
    for (const e of inpatient)
      expect(e.hospitalization?.dischargeDisposition?.coding?.[0]?.code).toBeTruthy();
    const expired = inpatient.filter(
      (e) => e.hospitalization?.dischargeDisposition?.coding?.[0]?.code === 'exp',
    );
    const patients = new Map(
      ofType<fhir4.Patient>(small.resources, 'Patient').map((p) => [`Patient/${p.id ?? ''}`, p]),
    );
    for (const e of expired)
      expect(patients.get(e.subject?.reference ?? '')?.deceasedDateTime).toBe(e.period?.end);
  });

  it('writes blood pressure as the 85354-9 panel with mm[Hg] components, and sometimes as two Observations', () => {
    const obs = ofType<fhir4.Observation>(small.resources, 'Observation');
    const panels = obs.filter((o) => o.code.coding?.[0]?.code === '85354-9');
    expect(panels.length).toBeGreaterThan(100);
    for (const o of panels) {
      expect(o.component?.map((c) => c.code.coding?.[0]?.code)).toEqual(['8480-6', '8462-4']);
      for (const c of o.component ?? []) expect(c.valueQuantity?.code).toBe('mm[Hg]');
      expect(o.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
    }
    expect(obs.some((o) => o.code.coding?.[0]?.code === '8480-6')).toBe(true);
    const statuses = new Set(
      obs.filter((o) => o.code.coding?.[0]?.code === '4548-4').map((o) => o.status),
    );
    expect(statuses.has('final')).toBe(true);
  });

  it('represents sexual orientation coded, as text, and as asked-declined', () => {
    const so = ofType<fhir4.Observation>(small.resources, 'Observation').filter(
      (o) => o.code.coding?.[0]?.code === '76690-7',
    );
    expect(so.some((o) => o.valueCodeableConcept?.coding?.[0]?.system === SYS.snomed)).toBe(true);
    expect(so.some((o) => typeof o.valueString === 'string')).toBe(true);
    expect(so.some((o) => o.dataAbsentReason?.coding?.[0]?.code === 'asked-declined')).toBe(true);
  });
});

describe('patient names', () => {
  it('never repeats the first name as the middle name', () => {
    const { resources } = generatePopulation({ seed: 3, patients: 2000, today: '2026-11-23' });
    const repeated = resources
      .filter((r): r is fhir4.Patient => r.resourceType === 'Patient')
      .flatMap((p) => p.name ?? [])
      .filter((n) => n.given && n.given.length > 1 && n.given[0] === n.given[1]);
    expect(repeated).toEqual([]);
  });

  const big = generatePopulation({ seed: 1, patients: 3000, today: TODAY });
  const patients = ofType<fhir4.Patient>(big.resources, 'Patient');
  const preferred = (p: fhir4.Patient): string | null =>
    p.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code ?? null;
  const raceCodes = (p: fhir4.Patient): string[] =>
    (p.extension?.find((e) => e.url === EXT.race)?.extension ?? [])
      .filter((e) => e.url === 'ombCategory')
      .map((e) => e.valueCoding?.code ?? '');
  const firstNamesOf = (p: fhir4.Patient): string[] => p.name?.[0]?.given ?? [];

  it('draws first and middle names from the pool of the preferred language, never by race', () => {
    const english = ['en', 'en-US', null];
    let languageNamed = 0;
    for (const p of patients) {
      const pool = firstNamePool(preferred(p));
      const names = [...pool.female, ...pool.male];
      for (const given of firstNamesOf(p)) expect(names, `${p.id ?? ''} ${given}`).toContain(given);
      if (!english.includes(preferred(p))) languageNamed += 1;
    }
    expect(languageNamed).toBeGreaterThan(100);
    expect(Object.keys(FIRST_NAMES_BY_LANGUAGE).sort()).toEqual([
      'ar',
      'es',
      'fa',
      'hi',
      'ko',
      'ru',
      'tl',
      'vi',
      'zh',
    ]);
    // Black and White English speakers draw from one pool: both use most of it.
    for (const race of [OMB_RACE.black.code, OMB_RACE.white.code]) {
      const used = new Set(
        patients
          .filter((p) => english.includes(preferred(p)) && raceCodes(p).includes(race))
          .map((p) => firstNamesOf(p)[0]),
      );
      expect(used.size, race).toBeGreaterThan(
        0.8 * (FIRST_NAMES.female.length + FIRST_NAMES.male.length),
      );
    }
  });

  it('gives Black, White, AIAN, NHPI and multiracial patients family names from one pool', () => {
    expect(FAMILY_NAMES.black).toBe(FAMILY_NAMES.white);
    expect(FAMILY_NAMES.aian).toBe(FAMILY_NAMES.white);
    expect(FAMILY_NAMES.nhpi).toBe(FAMILY_NAMES.white);
    expect(FAMILY_NAMES.multiracial).toBe(FAMILY_NAMES.white);
    const black = patients.filter((p) => raceCodes(p).includes(OMB_RACE.black.code));
    expect(black.length).toBeGreaterThan(300);
    // Hispanic Black patients may carry a Spanish family name; everyone else the general pool.
    const general = black.filter((p) => FAMILY_NAMES.white.includes(p.name?.[0]?.family ?? ''));
    expect(general.length / black.length).toBeGreaterThan(0.9);
  });

  it('names practitioners from the race-neutral first-name pool', () => {
    for (const prac of ofType<fhir4.Practitioner>(big.resources, 'Practitioner')) {
      const given = prac.name?.[0]?.given?.[0] ?? '';
      const pool = prac.gender === 'female' ? FIRST_NAMES.female : FIRST_NAMES.male;
      expect(pool).toContain(given);
    }
  });
});
