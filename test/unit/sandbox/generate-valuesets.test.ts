// The measure-relevant codes the generator uses must be in the official 2026 eCQM value-set
// expansions, or the measure engine would leave generated patients out of its populations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValueSetCode } from '../../../sandbox/generate/codes';
import {
  CONDITION,
  ENCOUNTER,
  MEDICATION,
  OBS,
  OMB_ETHNICITY,
  OMB_RACE,
  PAYER_SOPT,
  PROCEDURE,
  SYS,
  VS,
} from '../../../sandbox/generate/codes';
import { generatePopulation } from '../../../sandbox/generate/population';

// The team's shared data sits beside the repository (../shared), on every machine and in CI.
const ECQM = join(import.meta.dirname, '../../../../shared/data/ecqm-2026');

interface Expansion {
  name: string;
  codes: Set<string>;
}
const cache = new Map<string, Map<string, Expansion>>();

/** OID → expansion ("system|code" set) for one measure folder's valuesets.json. */
function valueSets(measure: string): Map<string, Expansion> {
  const cached = cache.get(measure);
  if (cached) return cached;
  const bundle = JSON.parse(
    readFileSync(`${ECQM}/${measure}/valuesets.json`, 'utf8'),
  ) as fhir4.Bundle;
  const out = new Map<string, Expansion>();
  for (const entry of bundle.entry ?? []) {
    const vs = entry.resource as fhir4.ValueSet;
    const codes = new Set(
      (vs.expansion?.contains ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`),
    );
    out.set(vs.id ?? '', { name: vs.name ?? '', codes });
  }
  cache.set(measure, out);
  return out;
}

function expansion(source: { oid: string; measure: string }): Expansion {
  const vs = valueSets(source.measure).get(source.oid);
  if (!vs) throw new Error(`Value set ${source.oid} not in ${source.measure}/valuesets.json`);
  return vs;
}

const withValueSet = (group: Record<string, object>): ValueSetCode[] =>
  Object.values(group).filter((c): c is ValueSetCode => 'valueSet' in c);

const TODAY = '2026-06-30';
const pop = generatePopulation({ seed: 11, patients: 400, today: TODAY });
const ofType = <T extends fhir4.Resource>(type: T['resourceType']): T[] =>
  pop.resources.filter((r): r is T => r.resourceType === type);
const codings = (cc: fhir4.CodeableConcept | undefined): string[] =>
  (cc?.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`);

describe('code constants are in the eCQM 2026 expansions they cite', () => {
  const all = [ENCOUNTER, CONDITION, OBS, PROCEDURE, MEDICATION].flatMap((g) => withValueSet(g));

  it('cites a value set for every measure-relevant code', () => {
    expect(all.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of all) {
    it(`${c.code} (${c.display}) is in ${c.valueSet.name} ${c.valueSet.oid}`, () => {
      const vs = expansion(c.valueSet);
      expect(vs.codes.has(`${c.system}|${c.code}`)).toBe(true);
      // The cited name matches the JSON's (ignoring spaces and punctuation).
      const norm = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
      expect(norm(vs.name)).toBe(norm(c.valueSet.name));
    });
  }

  it('uses payer, race and ethnicity codes from the SDE value sets', () => {
    const payer = expansion(VS.payerType);
    for (const list of Object.values(PAYER_SOPT)) {
      for (const p of list)
        expect(payer.codes.has(`${SYS.soptNahdo}|${p.code}`), p.code).toBe(true);
    }
    const race = expansion(VS.race);
    for (const r of Object.values(OMB_RACE))
      expect(race.codes.has(`${r.system}|${r.code}`), r.code).toBe(true);
    const ethnicity = expansion(VS.ethnicity);
    for (const e of Object.values(OMB_ETHNICITY))
      expect(ethnicity.codes.has(`${e.system}|${e.code}`)).toBe(true);
  });

  it("uses CMS2's direct-reference depression codes as its CQL declares them", () => {
    const cql = readFileSync(
      `${ECQM}/CMS2FHIRPCSDepressionScreenAndFollowUp/CMS2FHIRPCSDepressionScreenAndFollowUp.cql`,
      'utf8',
    );
    for (const code of ['73832-8', '73831-0', '428181000124104', '428171000124102']) {
      expect(cql).toContain(`'${code}'`);
    }
  });
});

describe('the generated resources use only those codes where measures look', () => {
  it('codes every ambulatory visit from Office Visit / Preventive Care / Telephone Visits', () => {
    const allowed = new Set([
      ...expansion(VS.officeVisit).codes,
      ...expansion(VS.preventiveEstablished18).codes,
      ...expansion(VS.telephoneVisits).codes,
    ]);
    const ambulatory = ofType<fhir4.Encounter>('Encounter').filter(
      (e) => e.class.code === 'AMB' || e.class.code === 'VR',
    );
    expect(ambulatory.length).toBeGreaterThan(1000);
    for (const e of ambulatory)
      expect(
        codings(e.type?.[0]).every((c) => allowed.has(c)),
        e.id,
      ).toBe(true);
    // Adult office visits are also "Encounter to Screen for Depression" (CMS2).
    const depression = expansion(VS.depressionEncounter).codes;
    expect(ambulatory.some((e) => codings(e.type?.[0]).some((c) => depression.has(c)))).toBe(true);
  });

  it('codes emergency and inpatient encounters from their value sets', () => {
    const ed = expansion(VS.edVisit).codes;
    const inpatient = expansion(VS.encounterInpatient).codes;
    for (const e of ofType<fhir4.Encounter>('Encounter')) {
      if (e.class.code === 'EMER') expect(codings(e.type?.[0]).every((c) => ed.has(c))).toBe(true);
      if (e.class.code === 'IMP')
        expect(codings(e.type?.[0]).every((c) => inpatient.has(c))).toBe(true);
    }
  });

  it('codes HbA1c, mammography and FOBT observations from their value sets', () => {
    const check = (
      loincs: ReadonlySet<string>,
      source: { oid: string; measure: string },
      category: string,
    ): void => {
      const vs = expansion(source).codes;
      const matching = ofType<fhir4.Observation>('Observation').filter((o) =>
        codings(o.code).some((c) => loincs.has(c)),
      );
      expect(matching.length, source.oid).toBeGreaterThan(10);
      for (const o of matching) {
        expect(codings(o.code).every((c) => vs.has(c))).toBe(true);
        expect(o.category?.some((cat) => cat.coding?.some((c) => c.code === category))).toBe(true);
      }
    };
    check(new Set([`${SYS.loinc}|4548-4`]), VS.hba1c, 'laboratory');
    check(
      new Set(
        [OBS.mammogramScreening, OBS.mammogramBilateral, OBS.mammogramTomo].map(
          (c) => `${c.system}|${c.code}`,
        ),
      ),
      VS.mammography,
      'imaging',
    );
    check(new Set([`${SYS.loinc}|29771-3`]), VS.fobt, 'laboratory');
  });

  it('codes colonoscopies, diabetes and essential hypertension from their value sets', () => {
    const colonoscopy = expansion(VS.colonoscopy).codes;
    const procedures = ofType<fhir4.Procedure>('Procedure').filter((p) =>
      codings(p.code).some((c) => colonoscopy.has(c)),
    );
    expect(procedures.length).toBeGreaterThan(10);
    for (const p of procedures) expect(codings(p.code).every((c) => colonoscopy.has(c))).toBe(true);

    const diabetes = expansion(VS.diabetes).codes;
    const hypertension = expansion(VS.essentialHypertension).codes;
    const conditions = ofType<fhir4.Condition>('Condition');
    const dm = conditions.filter((c) => codings(c.code).some((x) => diabetes.has(x)));
    const htn = conditions.filter((c) => codings(c.code).some((x) => hypertension.has(x)));
    expect(dm.length).toBeGreaterThan(10);
    expect(htn.length).toBeGreaterThan(10);
    for (const c of [...dm, ...htn]) {
      const vs = dm.includes(c) ? diabetes : hypertension;
      expect(codings(c.code).every((x) => vs.has(x))).toBe(true);
    }
    // CMS122 reads diabetes only as an encounter diagnosis.
    expect(
      dm.some((c) => c.category?.some((cat) => cat.coding?.[0]?.code === 'encounter-diagnosis')),
    ).toBe(true);
  });

  it('codes every MedicationRequest from Dementia Medications, in each of its three shapes', () => {
    const dementia = expansion(VS.dementiaMedications).codes;
    const medications = new Map(
      ofType<fhir4.Medication>('Medication').map((m) => [`Medication/${m.id ?? ''}`, m]),
    );
    const requests = ofType<fhir4.MedicationRequest>('MedicationRequest');
    expect(requests.length).toBeGreaterThan(5);
    for (const m of requests) {
      const reference = m.medicationReference?.reference ?? '';
      const medication = reference.startsWith('#')
        ? (m.contained?.find((c) => `#${c.id ?? ''}` === reference) as fhir4.Medication | undefined)
        : medications.get(reference);
      const concept = m.medicationCodeableConcept ?? medication?.code;
      expect(codings(concept).length, m.id).toBeGreaterThan(0);
      expect(
        codings(concept).every((c) => dementia.has(c)),
        m.id,
      ).toBe(true);
    }
  });

  it('types every Coverage with a Payer Type code', () => {
    const payer = expansion(VS.payerType).codes;
    for (const cov of ofType<fhir4.Coverage>('Coverage')) {
      expect(codings(cov.type).some((c) => payer.has(c))).toBe(true);
    }
  });
});
