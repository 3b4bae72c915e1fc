// Small-cell suppression of the summary MeasureReports the CLI writes (CMS cell-size policy:
// counts 1–10 withheld, plus complementary suppression; see src/equity/suppression.ts).
//
// Every population count of a report — the group totals and each stratum's populations — is a
// set of patients handed to the suppression engine together, so its linear audit sees every way
// of working a withheld count out: from the group total minus the other strata of the same
// stratifier, across stratifiers, and across populations of the same stratum. The declared sum
// relations (for the bounds audit) are: for each stratifier and population, the strata sum to
// the group total. A withheld count is written the FHIR way: `count` omitted, and `_count`
// carries data-absent-reason `masked` plus the project extension SUPPRESSION_REASON_URL with the
// reason. A measureScore computed from a withheld count is omitted and the group or stratum
// carries the project extension MEASURE_SCORE_SUPPRESSED_URL with the reason (always, also when
// the score would have been absent, so its absence reveals nothing).

import type { CountRelation, CountToPublish, Published } from '../equity/suppression';
import { CMS_CELL_SIZE_POLICY, combineReasons, suppressCounts } from '../equity/suppression';
import type { SummaryTally } from '../measures/measure-report';
import { membership } from '../measures/measure-definition';
import type { PatientMeasureResult, PopulationCode } from '../measures/measure-result';
import { POPULATION_CODES } from '../measures/measure-result';

export const DATA_ABSENT_REASON_URL = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
/** Project extension (not HL7): why a count was withheld. */
export const SUPPRESSION_REASON_URL =
  'https://equity-lens.example/fhir/StructureDefinition/suppression-reason';
/** Project extension (not HL7): the measureScore was withheld, and why. */
export const MEASURE_SCORE_SUPPRESSED_URL =
  'https://equity-lens.example/fhir/StructureDefinition/measure-score-suppressed';

/** The population codes each patient of a tally is reported in, by patient id. */
export type SummaryMembers = Map<string, PopulationCode[]>;

export function addMember(members: SummaryMembers, result: PatientMeasureResult): void {
  const r = membership(result.populations);
  const flags: Record<PopulationCode, boolean> = {
    'initial-population': r.initialPopulation,
    denominator: r.denominator,
    'denominator-exclusion': r.denominatorExclusion,
    'denominator-exception': r.denominatorException,
    numerator: r.numerator,
  };
  members.set(
    result.patientId,
    POPULATION_CODES.filter((code) => flags[code]),
  );
}

const groupId = (code: PopulationCode) => JSON.stringify(['group', code]);
const stratumId = (stratifier: number, label: string, code: PopulationCode) =>
  JSON.stringify(['stratum', stratifier, label, code]);

/** Codes whose counts the proportion score is computed from. */
const SCORE_INPUTS: readonly PopulationCode[] = [
  'denominator',
  'denominator-exclusion',
  'denominator-exception',
  'numerator',
];

function mask<P extends { count?: number | undefined }>(
  population: P,
  published: Published<number> | undefined,
): P {
  if (published === undefined || published.kind === 'value') return population;
  const masked: P & { _count: fhir4.Element } = {
    ...population,
    _count: {
      extension: [
        { url: DATA_ABSENT_REASON_URL, valueCode: 'masked' },
        { url: SUPPRESSION_REASON_URL, valueCode: published.reason },
      ],
    },
  };
  delete masked.count;
  return masked;
}

function codeOf(population: { code?: fhir4.CodeableConcept }): PopulationCode | undefined {
  const code = population.code?.coding?.[0]?.code;
  return POPULATION_CODES.find((c) => c === code);
}

/** Withholds the score of a group or stratum when any count it is computed from is withheld. */
function maskScore<T extends { measureScore?: fhir4.Quantity; extension?: fhir4.Extension[] }>(
  element: T,
  inputs: readonly (Published<number> | undefined)[],
): T {
  const reason = combineReasons(...inputs.filter((p): p is Published<number> => p !== undefined));
  if (reason === undefined) return element;
  const masked: T = {
    ...element,
    extension: [
      ...(element.extension ?? []),
      { url: MEASURE_SCORE_SUPPRESSED_URL, valueCode: reason },
    ],
  };
  delete masked.measureScore;
  return masked;
}

/**
 * The report with its small cells withheld. `members` holds every patient tallied into `tally`;
 * the report is the one `summaryReportFromTally` built from that tally.
 */
export function suppressSummaryReport(
  report: fhir4.MeasureReport,
  tally: SummaryTally,
  members: SummaryMembers,
): fhir4.MeasureReport {
  const codes = tally.measure.populations ?? POPULATION_CODES;
  const patients = new Map<string, string[]>();
  const add = (id: string, patientId: string) => {
    const list = patients.get(id);
    if (list) list.push(patientId);
    else patients.set(id, [patientId]);
  };
  const labels = tally.strata.map((strata) => [...strata.keys()]);
  for (const code of codes) {
    patients.set(groupId(code), []);
    labels.forEach((ls, i) => {
      for (const label of ls) patients.set(stratumId(i, label, code), []);
    });
  }
  for (const [patientId, memberOf] of members)
    for (const code of memberOf) {
      if (!codes.includes(code)) continue;
      add(groupId(code), patientId);
      tally.stratifiers.forEach((s, i) =>
        add(stratumId(i, s.stratumOf(patientId), code), patientId),
      );
    }
  const counts: CountToPublish[] = [...patients].map(([id, patientIds]) => ({ id, patientIds }));
  const relations: CountRelation[] = codes.flatMap((code) =>
    labels.map((ls, i) => ({
      total: groupId(code),
      parts: ls.map((label) => stratumId(i, label, code)),
    })),
  );
  const published = suppressCounts(counts, relations, CMS_CELL_SIZE_POLICY);
  const scoreInputs = (id: (code: PopulationCode) => string) =>
    SCORE_INPUTS.filter((c) => codes.includes(c)).map((c) => published[id(c)]);

  const group = (report.group ?? []).map((g) => {
    const population = (g.population ?? []).map((p) => {
      const code = codeOf(p);
      return code === undefined ? p : mask(p, published[groupId(code)]);
    });
    const stratifier = g.stratifier?.map((s, i) => ({
      ...s,
      stratum: s.stratum?.map((st) => {
        const label = st.value?.text ?? '';
        const population = st.population?.map((p) => {
          const code = codeOf(p);
          return code === undefined ? p : mask(p, published[stratumId(i, label, code)]);
        });
        return maskScore(
          { ...st, ...(population === undefined ? {} : { population }) },
          scoreInputs((c) => stratumId(i, label, c)),
        );
      }),
    }));
    return maskScore(
      { ...g, population, ...(stratifier === undefined ? {} : { stratifier }) },
      scoreInputs(groupId),
    );
  });
  return { ...report, group };
}
