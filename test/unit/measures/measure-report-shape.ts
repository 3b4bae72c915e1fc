// A structural check of FHIR R4 MeasureReport (http://hl7.org/fhir/R4/measurereport.html):
// the required elements, the bound code systems and the cardinalities a consumer relies on.
// Returns the problems found, so tests can assert an empty list and print what is wrong.

const STATUS = new Set(['complete', 'pending', 'error']);
const TYPE = new Set(['individual', 'subject-list', 'summary', 'data-collection']);
const POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';
const POPULATION_CODES = new Set([
  'initial-population',
  'numerator',
  'numerator-exclusion',
  'denominator',
  'denominator-exclusion',
  'denominator-exception',
  'measure-population',
  'measure-population-exclusion',
  'measure-observation',
]);
const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

type Population = { code?: fhir4.CodeableConcept; count?: number };

function checkPopulations(where: string, populations: Population[] | undefined): string[] {
  const problems: string[] = [];
  for (const [i, p] of (populations ?? []).entries()) {
    const coding = p.code?.coding?.[0];
    if (coding?.system !== POPULATION_SYSTEM)
      problems.push(`${where}.population[${i}].code: system`);
    if (!POPULATION_CODES.has(coding?.code ?? ''))
      problems.push(`${where}.population[${i}].code: ${coding?.code}`);
    if (p.count !== undefined && (!Number.isInteger(p.count) || p.count < 0))
      problems.push(`${where}.population[${i}].count: ${p.count}`);
  }
  return problems;
}

export function measureReportProblems(value: unknown): string[] {
  const r = value as Partial<fhir4.MeasureReport>;
  const problems: string[] = [];
  if (r.resourceType !== 'MeasureReport') problems.push('resourceType');
  if (!STATUS.has(r.status ?? '')) problems.push(`status: ${r.status}`);
  if (!TYPE.has(r.type ?? '')) problems.push(`type: ${r.type}`);
  if (typeof r.measure !== 'string' || !/^\S+$/.test(r.measure)) problems.push('measure');
  if (!r.period) problems.push('period');
  else {
    if (!DATE_TIME.test(r.period.start ?? '')) problems.push('period.start');
    if (!DATE_TIME.test(r.period.end ?? '')) problems.push('period.end');
  }
  if (r.date !== undefined && !DATE_TIME.test(r.date)) problems.push('date');
  if (r.type === 'individual' && !r.subject?.reference) problems.push('subject');
  for (const [g, group] of (r.group ?? []).entries()) {
    problems.push(...checkPopulations(`group[${g}]`, group.population));
    if (group.measureScore && typeof group.measureScore.value !== 'number')
      problems.push(`group[${g}].measureScore`);
    for (const [s, stratifier] of (group.stratifier ?? []).entries()) {
      for (const [t, stratum] of (stratifier.stratum ?? []).entries()) {
        const where = `group[${g}].stratifier[${s}].stratum[${t}]`;
        // mrp-1 in R4: a stratum has a value or components.
        if (!stratum.value && !stratum.component?.length) problems.push(`${where}.value`);
        problems.push(...checkPopulations(where, stratum.population));
      }
    }
  }
  return problems;
}
