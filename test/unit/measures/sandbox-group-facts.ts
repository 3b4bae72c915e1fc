// The designed-disparity group of a generated patient, read from its FHIR (as the sandbox's own
// disparity test does), for the measure cross-checks against DESIGNED_DISPARITIES.

import type { GroupFacts } from '../../../sandbox/generate/disparities';
import { EXT, INTERPRETER } from '../../../sandbox/generate/codes';

export function groupFactsOf(resources: readonly fhir4.Resource[]): GroupFacts {
  const patient = resources.find((r): r is fhir4.Patient => r.resourceType === 'Patient');
  if (patient === undefined) throw new Error('no Patient in the generated resources');
  const coverage = resources.find((r): r is fhir4.Coverage => r.resourceType === 'Coverage');
  const ext = (url: string): fhir4.Extension | undefined =>
    patient.extension?.find((e) => e.url === url);
  const omb = (url: string): string[] =>
    (ext(url)?.extension ?? [])
      .filter((e) => e.url === 'ombCategory')
      .map((e) => e.valueCoding?.code ?? '');
  const sopt = coverage?.type?.coding?.[0]?.code;
  const language = patient.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code;
  return {
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
}

export interface Tally {
  n: number;
  yes: number;
}

/** Counts outcomes per row label. */
export class Tallies {
  private readonly rows = new Map<string, Tally>();
  add(label: string, outcome: boolean): void {
    const t = this.rows.get(label) ?? { n: 0, yes: 0 };
    t.n += 1;
    if (outcome) t.yes += 1;
    this.rows.set(label, t);
  }
  rate(label: string): number {
    const t = this.rows.get(label);
    return t === undefined || t.n === 0 ? Number.NaN : t.yes / t.n;
  }
  count(label: string): number {
    return this.rows.get(label)?.n ?? 0;
  }
  describe(): string {
    return [...this.rows]
      .map(([label, t]) => `${label}: ${((100 * t.yes) / t.n).toFixed(1)}% (${t.n})`)
      .join('; ');
  }
}
