// Social-need groups for strata: any positive social-needs screen in the window, screened
// negative, or not screened. Positivity is the (question, answer) classifier of
// ../sdoh-screening.ts (sdoh.md §2), so this file only windows and groups.

import { parseDateTime } from '../cql-time';
import {
  classifyScreeningAnswer,
  coreDomainResults,
  CORE_SDOH_DOMAINS,
  readScreeningAnswer,
  summariseScreening,
  type CoreSdohDomain,
  type ScreeningFinding,
} from '../sdoh-screening';
import { absent, observationTime, recorded, type Reading } from './reading';

export type SocialNeedGroup = 'positive-screen' | 'negative-screen';

export const SOCIAL_NEED_GROUP_LABELS: Readonly<Record<SocialNeedGroup, string>> = {
  'positive-screen': 'Positive social-needs screen',
  'negative-screen': 'Screened, no need found',
};

export interface RecordedSocialNeed {
  group: SocialNeedGroup;
  /** Core domains with a positive item in the window. */
  positiveDomains: CoreSdohDomain[];
  /** Core domains with an answered (positive or negative) item in the window. */
  screenedDomains: CoreSdohDomain[];
}

export interface ScreeningWindow {
  /** 'YYYY-MM-DD' or a dateTime; both ends inclusive. */
  start: string;
  end: string;
}

/**
 * The patient's social-need group from screening Observations in the window. Every item declined
 * → `asked-declined`; no screening item in the window → `not-collected`.
 */
export function readSocialNeed(
  observations: readonly fhir4.Observation[],
  window: ScreeningWindow,
): Reading<RecordedSocialNeed> {
  const from = parseDateTime(window.start);
  const toStart = parseDateTime(window.end);
  if (from === null || toStart === null) throw new RangeError('readSocialNeed: bad window');
  const to = window.end.length <= 10 ? toStart + 86_400_000 - 1 : toStart;
  const findings: ScreeningFinding[] = [];
  for (const obs of observations) {
    const time = observationTime(obs);
    if (time === undefined || time < from || time > to) continue;
    const answer = readScreeningAnswer(obs);
    if (answer !== undefined) findings.push(...classifyScreeningAnswer(answer));
  }
  const results = coreDomainResults(summariseScreening(findings));
  if (results.size === 0) return absent('not-collected');
  const positiveDomains = CORE_SDOH_DOMAINS.filter((d) => results.get(d) === 'positive');
  const screenedDomains = CORE_SDOH_DOMAINS.filter((d) => {
    const r = results.get(d);
    return r === 'positive' || r === 'negative';
  });
  if (screenedDomains.length === 0) return absent('asked-declined');
  return recorded({
    group: positiveDomains.length > 0 ? 'positive-screen' : 'negative-screen',
    positiveDomains,
    screenedDomains,
  });
}
