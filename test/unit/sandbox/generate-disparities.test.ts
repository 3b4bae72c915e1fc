// Reads a large generated population back from its FHIR (not from the generator's internals),
// recomputes each designed outcome the way a measure would, and checks the observed rate of every
// row of DESIGNED_DISPARITIES against the designed probability.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatePatients } from '../../../sandbox/generate/population';
import type { DisparityId, GroupFacts } from '../../../sandbox/generate/disparities';
import { DESIGNED_DISPARITIES, disparityRow } from '../../../sandbox/generate/disparities';
import { EXT, INTERPRETER } from '../../../sandbox/generate/codes';
import { parseDay, yearStart } from '../../../sandbox/generate/dates';
import { observationPositiveDomain } from '../../../sandbox/generate/sdoh';

const TODAY = '2026-06-30';
const today = parseDay(TODAY);
const N = 10_000;

const VALID = new Set(['final', 'amended', 'corrected']);
const code = (cc: fhir4.CodeableConcept | undefined): string[] =>
  (cc?.coding ?? []).map((c) => c.code ?? '');
const day = (dateTime: string | undefined): number => parseDay((dateTime ?? '').slice(0, 10));
const hasCategory = (o: fhir4.Observation, c: string): boolean =>
  (o.category ?? []).some((cat) => code(cat).includes(c));

function ageOn(birthDate: string, on: number): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = TODAY.split('-').map(Number) as [number, number, number];
  if (on !== today) throw new Error('only today');
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

interface Tally {
  n: number;
  yes: number;
}
const tallies = new Map<DisparityId, Map<string, Tally>>();
function count(id: DisparityId, facts: GroupFacts, outcome: boolean): void {
  const label = disparityRow(id, facts).label;
  const rows = tallies.get(id) ?? new Map<string, Tally>();
  const t = rows.get(label) ?? { n: 0, yes: 0 };
  t.n += 1;
  if (outcome) t.yes += 1;
  rows.set(label, t);
  tallies.set(id, rows);
}

const completeness = {
  adults: 0,
  soMissing: 0,
  patients: 0,
  raceNone: 0,
  raceAsku: 0,
  raceUnk: 0,
  ethNone: 0,
  langNone: 0,
};

function analyse(resources: fhir4.Resource[]): void {
  const patient = resources[0] as fhir4.Patient;
  const obs = resources.filter((r): r is fhir4.Observation => r.resourceType === 'Observation');
  const conditions = resources.filter((r): r is fhir4.Condition => r.resourceType === 'Condition');
  const encounters = resources.filter((r): r is fhir4.Encounter => r.resourceType === 'Encounter');
  const procedures = resources.filter((r): r is fhir4.Procedure => r.resourceType === 'Procedure');
  const requests = resources.filter(
    (r): r is fhir4.ServiceRequest => r.resourceType === 'ServiceRequest',
  );
  const coverage = resources.find((r): r is fhir4.Coverage => r.resourceType === 'Coverage');
  const ext = (url: string): fhir4.Extension | undefined =>
    patient.extension?.find((e) => e.url === url);
  const omb = (url: string): string[] =>
    (ext(url)?.extension ?? [])
      .filter((e) => e.url === 'ombCategory')
      .map((e) => e.valueCoding?.code ?? '');

  const age = ageOn(patient.birthDate ?? '', today);
  completeness.patients += 1;
  if (!ext(EXT.race)) completeness.raceNone += 1;
  if (omb(EXT.race).includes('ASKU')) completeness.raceAsku += 1;
  if (omb(EXT.race).includes('UNK')) completeness.raceUnk += 1;
  if (!ext(EXT.ethnicity)) completeness.ethNone += 1;
  if (!patient.communication) completeness.langNone += 1;
  if (age >= 18) {
    completeness.adults += 1;
    if (!obs.some((o) => code(o.code).includes('76690-7'))) completeness.soMissing += 1;
  }
  if (patient.deceasedDateTime !== undefined) return; // designed denominators are living patients

  const sopt = coverage?.type?.coding?.[0]?.code;
  const language = patient.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code;
  const facts: GroupFacts = {
    black: omb(EXT.race).includes('2054-5'),
    hispanic: omb(EXT.ethnicity).includes('2135-2'),
    medicaid: sopt?.startsWith('2') ?? false,
    uninsured: sopt === undefined || sopt === '81',
    nonEnglish: language !== undefined && language !== 'en' && !language.startsWith('en-'),
    spanish: language === 'es' || (language?.startsWith('es-') ?? false),
    interpreter:
      ext(EXT.interpreterNeeded)?.valueCoding?.code === INTERPRETER.yes.code ||
      ext(EXT.interpreterRequired)?.valueBoolean === true,
  };
  const activeConfirmed = (c: fhir4.Condition): boolean =>
    code(c.clinicalStatus).includes('active') && code(c.verificationStatus).includes('confirmed');

  // HbA1c > 9 (CMS122-like).
  const diabetic = conditions.some(
    (c) => activeConfirmed(c) && code(c.code).some((x) => x === '44054006' || x.startsWith('E11')),
  );
  if (diabetic && age >= 18 && age <= 75) {
    const a1c = obs
      .filter((o) => code(o.code).includes('4548-4') && VALID.has(o.status))
      .sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));
    const last = a1c[a1c.length - 1];
    expect(day(last?.effectiveDateTime)).toBeGreaterThan(today - 365);
    count('hba1cPoorControl', facts, (last?.valueQuantity?.value ?? 0) > 9);
  }

  // Blood pressure control (CMS165-like): lowest readings on the most recent ambulatory BP day.
  const hypertensive = conditions.some(
    (c) => activeConfirmed(c) && code(c.code).some((x) => x === '59621000' || x === 'I10'),
  );
  if (hypertensive && age >= 18 && age <= 85) {
    const amb = new Set(
      encounters.filter((e) => e.class.code === 'AMB').map((e) => `Encounter/${e.id ?? ''}`),
    );
    const bp = obs.filter(
      (o) =>
        code(o.code).includes('85354-9') &&
        VALID.has(o.status) &&
        amb.has(o.encounter?.reference ?? ''),
    );
    const lastDay = Math.max(...bp.map((o) => day(o.effectiveDateTime)));
    const onDay = bp.filter((o) => day(o.effectiveDateTime) === lastDay);
    const lowest = (loinc: string): number =>
      Math.min(
        ...onDay.map(
          (o) =>
            o.component?.find((c) => code(c.code).includes(loinc))?.valueQuantity?.value ?? 999,
        ),
      );
    count('bpControlled', facts, lowest('8480-6') < 140 && lowest('8462-4') < 90);
  }

  // Breast cancer screening (CMS125-like).
  const sex =
    ext(EXT.sex)?.valueCode ??
    ext(EXT.individualSex)?.valueCoding?.code ??
    (ext(EXT.birthSex)?.valueCode === 'F' ? '248152002' : undefined);
  if (sex === '248152002' && age >= 42 && age <= 74) {
    const mammo = obs.some(
      (o) =>
        hasCategory(o, 'imaging') &&
        VALID.has(o.status) &&
        code(o.code).some((c) => ['24606-6', '26175-0', '72142-3'].includes(c)) &&
        day(o.effectiveDateTime) > today - 730,
    );
    count('breastCancerScreening', facts, mammo);
  }

  // Colorectal cancer screening (CMS130-like: colonoscopy 10 years, FOBT this calendar year).
  if (age >= 46 && age <= 75) {
    const colonoscopy = procedures.some(
      (p) =>
        p.status === 'completed' &&
        code(p.code).includes('73761001') &&
        day(p.performedDateTime) > today - 3650,
    );
    const fobt = obs.some(
      (o) =>
        code(o.code).includes('29771-3') &&
        VALID.has(o.status) &&
        day(o.effectiveDateTime) >= yearStart(today),
    );
    count('colorectalScreening', facts, colonoscopy || fobt);
  }

  // SDOH screening, food positivity, referral within 30 days.
  if (age >= 18) {
    const answered = obs.filter(
      (o) =>
        hasCategory(o, 'sdoh') &&
        (o.valueCodeableConcept !== undefined || o.valueInteger !== undefined) &&
        day(o.effectiveDateTime) > today - 365,
    );
    count('sdohScreened', facts, answered.length > 0);
    if (answered.length > 0) {
      const lastDay = Math.max(...answered.map((o) => day(o.effectiveDateTime)));
      const latest = answered.filter((o) => day(o.effectiveDateTime) === lastDay);
      const hvs = latest.find((o) => code(o.code).includes('88124-3'));
      expect(hvs).toBeDefined();
      count('foodInsecurityPositive', facts, code(hvs?.valueCodeableConcept).includes('LA19952-3'));
      if (latest.some((o) => observationPositiveDomain(o) !== null)) {
        const referred = requests.some((sr) => {
          const d = day(sr.authoredOn);
          return d >= lastDay && d <= lastDay + 30;
        });
        count('referralWithin30Days', facts, referred);
      }
    }
  }

  // 30-day readmission after the first inpatient stay.
  const stays = encounters
    .filter((e) => e.class.code === 'IMP')
    .sort((a, b) => (a.period?.start ?? '').localeCompare(b.period?.start ?? ''));
  const first = stays[0];
  if (first && !code(first.hospitalization?.dischargeDisposition).includes('exp')) {
    const discharged = day(first.period?.end);
    expect(discharged).toBeLessThanOrEqual(today - 30);
    const readmitted = stays.slice(1).some((e) => {
      const d = day(e.period?.start);
      return d > discharged && d <= discharged + 30;
    });
    count('readmission30Day', facts, readmitted);
  }
}

describe('designed disparities, observed in 10,000 generated patients', () => {
  const started = performance.now();
  for (const resources of generatePatients({ seed: 1, patients: N, today: TODAY }))
    analyse(resources);
  console.log(
    `generated and analysed ${N} patients in ${Math.round(performance.now() - started)} ms`,
  );

  for (const disparity of Object.values(DESIGNED_DISPARITIES)) {
    it(`${disparity.id}: every row's observed rate matches its designed probability`, () => {
      const rows = tallies.get(disparity.id);
      expect(rows).toBeDefined();
      const report: string[] = [];
      for (const row of disparity.rows) {
        const t = rows?.get(row.label) ?? { n: 0, yes: 0 };
        const observed = t.yes / t.n;
        const se = Math.sqrt((row.probability * (1 - row.probability)) / t.n);
        report.push(
          `${row.label}: n=${t.n} observed ${(observed * 100).toFixed(1)}% designed ${(row.probability * 100).toFixed(0)}%`,
        );
        // Enough patients per row to see the gap, and the observed rate within 4 standard errors.
        expect(t.n, row.label).toBeGreaterThanOrEqual(60);
        expect(
          Math.abs(observed - row.probability),
          `${row.label} ${report.join('; ')}`,
        ).toBeLessThanOrEqual(4 * se + 0.005);
      }
      console.log(`${disparity.id}: ${report.join('; ')}`);
      // The gap between the first row and 'otherwise' points the designed way and is at least half its size.
      const firstRow = disparity.rows[0];
      const otherwise = disparity.rows[disparity.rows.length - 1];
      if (firstRow && otherwise) {
        const rate = (label: string): number => {
          const t = rows?.get(label) ?? { n: 1, yes: 0 };
          return t.yes / t.n;
        };
        const designedGap = firstRow.probability - otherwise.probability;
        const observedGap = rate(firstRow.label) - rate(otherwise.label);
        expect(Math.sign(observedGap)).toBe(Math.sign(designedGap));
        expect(Math.abs(observedGap)).toBeGreaterThan(Math.abs(designedGap) / 2);
      }
    });
  }

  it('keeps demographic completeness at the documented rates', () => {
    const share = (k: number, n: number): number => k / n;
    const c = completeness;
    expect(share(c.raceNone, c.patients)).toBeCloseTo(0.08, 1);
    expect(Math.abs(share(c.raceNone, c.patients) - 0.08)).toBeLessThan(0.015);
    expect(Math.abs(share(c.raceAsku, c.patients) - 0.04)).toBeLessThan(0.01);
    expect(Math.abs(share(c.raceUnk, c.patients) - 0.02)).toBeLessThan(0.008);
    expect(Math.abs(share(c.ethNone, c.patients) - 0.06)).toBeLessThan(0.012);
    expect(Math.abs(share(c.langNone, c.patients) - 0.03)).toBeLessThan(0.008);
    expect(Math.abs(share(c.soMissing, c.adults) - 0.3)).toBeLessThan(0.025);
  });
});

describe('README documents the designed disparities', () => {
  it('lists every designed outcome with every row probability', () => {
    const readme = readFileSync(
      new URL('../../../sandbox/generate/README.md', import.meta.url),
      'utf8',
    );
    for (const d of Object.values(DESIGNED_DISPARITIES)) {
      const start = readme.indexOf(`| **${d.id}**`);
      expect(start, d.id).toBeGreaterThan(0);
      // Up to the next outcome's row (or the end of the table).
      const rest = readme.slice(start + 1);
      const end = rest.search(/\n\| \*\*[a-z]|\n\n/);
      const section = rest.slice(0, end === -1 ? undefined : end);
      const documented = [...section.matchAll(/\*\*(\d+)%\*\*/g)].map((m) => Number(m[1]) / 100);
      expect(documented).toEqual(d.rows.map((r) => r.probability));
    }
  });
});
