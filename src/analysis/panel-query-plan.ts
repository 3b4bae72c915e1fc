// Which resources the panel loader must fetch for the chosen measures (plus the stratifiers,
// always): resource types, and for the high-volume types (Observation, Procedure) the codes the
// chosen measures can read, so a server filters with `code=` instead of sending every vital sign
// and lab. Types a measure reads without a code list (Encounter, Condition, requests, Coverage)
// stay unfiltered. Each entry cites the CQL retrieve or the rule it serves.
//
// The plan is the loader's `QueryPlan` (src/fhir/rest/panel-load-types.ts) by shape: this pure
// layer may not import src/fhir, so the worker hands it over and the type checker compares them.

import type { CodeKey } from '../clinical/patient-record';
import type { ValueSetCodes } from '../clinical/value-set-registry';
import { CODE, VS } from '../measures/value-sets';
import type { PanelMeasureId } from './panel-view-model';
import { PANEL_DIRECT_CODES } from './panel-dataset';

export interface PanelResourceQuery {
  resourceType: string;
  /** `system|code`; absent: every resource of the type. */
  codes?: readonly string[];
}

export interface PanelQueryPlan {
  queries: readonly PanelResourceQuery[];
}

/** What one measure reads: resource types, and for Observation / Procedure which codes. */
interface MeasureReads {
  types: readonly string[];
  observations?: { valueSets: readonly string[]; codes: readonly CodeKey[] };
  procedures?: { valueSets: readonly string[]; codes: readonly CodeKey[] };
}

const LOINC = 'http://loinc.org|';
const SNOMED = 'http://snomed.info/sct|';

const ECQM_TYPES = [
  'Encounter',
  'Condition',
  'Observation',
  'Procedure',
  'ServiceRequest',
  'DeviceRequest',
  'MedicationRequest',
] as const;

/**
 * Hospice, palliative care, advanced illness and frailty, nursing home (src/measures/hospice.ts,
 * palliative-care.ts, advanced-illness-frailty.ts): the shared exclusions of CMS122/165/125/130.
 */
const SHARED_EXCLUSIONS = {
  observations: {
    valueSets: [VS.frailtySymptom],
    codes: [CODE.hospiceCareMds, CODE.facitPal, CODE.medicalEquipmentUsed, CODE.housingStatus],
  },
  procedures: { valueSets: [VS.hospiceCareAmbulatory, VS.palliativeCareIntervention], codes: [] },
};

const merge = (
  a: { valueSets: readonly string[]; codes: readonly CodeKey[] },
  b: { valueSets: readonly string[]; codes: readonly CodeKey[] },
) => ({ valueSets: [...a.valueSets, ...b.valueSets], codes: [...a.codes, ...b.codes] });

/** SDOH screening items (Observation.code), the questions of src/clinical/sdoh-screening.ts. */
const SCREENING_CODES = PANEL_DIRECT_CODES.filter((c) => c.startsWith(LOINC));
/** SNS-E interventions (Procedure.code; ServiceRequests are fetched whole). */
const INTERVENTION_CODES = PANEL_DIRECT_CODES.filter((c) => c.startsWith(SNOMED));

const SDOH_SCREENING: MeasureReads = {
  types: ['Encounter', 'Observation'],
  observations: { valueSets: [], codes: SCREENING_CODES },
};
const SNSE: MeasureReads = {
  types: ['Encounter', 'Observation', 'ServiceRequest', 'Procedure'],
  observations: { valueSets: [], codes: SCREENING_CODES },
  procedures: { valueSets: [], codes: INTERVENTION_CODES },
};
const ENCOUNTERS: MeasureReads = { types: ['Encounter'] };

const READS: Readonly<Record<PanelMeasureId, MeasureReads>> = {
  // "Glycemic Status Assessment": [Observation: "HbA1c Laboratory Test"] union GMI 97506-0.
  CMS122: {
    types: ECQM_TYPES,
    observations: merge(SHARED_EXCLUSIONS.observations, {
      valueSets: [VS.hbA1cLaboratoryTest],
      codes: [CODE.glucoseManagementIndicator],
    }),
    procedures: SHARED_EXCLUSIONS.procedures,
  },
  // Blood-pressure panels 85354-9 with systolic 8480-6 / diastolic 8462-4 components; ESRD
  // procedures (kidney transplant, dialysis).
  CMS165: {
    types: ECQM_TYPES,
    observations: merge(SHARED_EXCLUSIONS.observations, {
      valueSets: [],
      codes: [`${LOINC}85354-9`, CODE.systolicBloodPressure, CODE.diastolicBloodPressure],
    }),
    procedures: merge(SHARED_EXCLUSIONS.procedures, {
      valueSets: [VS.kidneyTransplant, VS.dialysisServices],
      codes: [],
    }),
  },
  // "Mammography" Observations; mastectomy procedures (exclusions).
  CMS125: {
    types: ECQM_TYPES,
    observations: merge(SHARED_EXCLUSIONS.observations, {
      valueSets: [VS.mammography],
      codes: [],
    }),
    procedures: merge(SHARED_EXCLUSIONS.procedures, {
      valueSets: [
        VS.bilateralMastectomy,
        VS.unilateralMastectomyRight,
        VS.unilateralMastectomyLeft,
      ],
      codes: [],
    }),
  },
  // FOBT, sDNA FIT, CT colonography Observations; sigmoidoscopy, colonoscopy, colectomy.
  CMS130: {
    types: ECQM_TYPES,
    observations: merge(SHARED_EXCLUSIONS.observations, {
      valueSets: [VS.fecalOccultBloodTest, VS.sDnaFitTest, VS.ctColonography],
      codes: [],
    }),
    procedures: merge(SHARED_EXCLUSIONS.procedures, {
      valueSets: [VS.flexibleSigmoidoscopy, VS.colonoscopy, VS.totalColectomy],
      codes: [],
    }),
  },
  // Adult / adolescent depression screening 73832-8 / 73831-0; follow-up procedures.
  CMS2: {
    types: ECQM_TYPES,
    observations: {
      valueSets: [],
      codes: [CODE.adultDepressionScreening, CODE.adolescentDepressionScreening],
    },
    procedures: {
      valueSets: [VS.followUpForAdultDepression, VS.followUpForAdolescentDepression],
      codes: [],
    },
  },
  'SDOH-1': SDOH_SCREENING,
  'SDOH2-food': SDOH_SCREENING,
  'SDOH2-housing': SDOH_SCREENING,
  'SDOH2-transportation': SDOH_SCREENING,
  'SDOH2-utilities': SDOH_SCREENING,
  'SDOH2-safety': SDOH_SCREENING,
  'SNSE-food-screening': SNSE,
  'SNSE-food-intervention': SNSE,
  'SNSE-housing-screening': SNSE,
  'SNSE-housing-intervention': SNSE,
  'SNSE-transportation-screening': SNSE,
  'SNSE-transportation-intervention': SNSE,
  'READMISSION-30': ENCOUNTERS,
  'ED-VISITS': ENCOUNTERS,
  'LENGTH-OF-STAY': ENCOUNTERS,
  'IN-HOSPITAL-MORTALITY': ENCOUNTERS,
  // Sexual orientation and gender identity Observations (race, ethnicity, language: Patient).
  'DEMOGRAPHIC-COMPLETENESS': {
    types: ['Observation'],
    observations: { valueSets: [], codes: [] },
  },
};

/**
 * What every stratifier reads, whatever the measures: sexual orientation / gender identity and
 * social-needs screening Observations, and Coverage (payer). The Patient comes with the source.
 */
const STRATIFIERS: MeasureReads = {
  types: ['Observation', 'Coverage'],
  observations: {
    valueSets: [],
    codes: PANEL_DIRECT_CODES.filter(
      (c) => c === `${LOINC}76690-7` || c === `${LOINC}76691-5` || SCREENING_CODES.includes(c),
    ),
  },
};

/** The codes of a value set, by canonical URL (a `|version` is ignored). */
function codesByValueSet(valueSets: Iterable<ValueSetCodes>): Map<string, Set<CodeKey>> {
  const out = new Map<string, Set<CodeKey>>();
  for (const vs of valueSets) {
    const bar = vs.url.indexOf('|');
    const url = bar < 0 ? vs.url : vs.url.slice(0, bar);
    const set = out.get(url) ?? new Set<CodeKey>();
    for (const [system, codes] of Object.entries(vs.codes))
      for (const code of codes) set.add(`${system}|${code}`);
    out.set(url, set);
  }
  return out;
}

/**
 * Query order = request order (the loader starts its searches in plan order, a bounded number at
 * a time). Largest first: Observation searches page through several next links one after another,
 * so started last they would trail alone at the end while the other lanes idle (longest job first
 * packs the lanes; measured on the sandbox's 1,000-patient panel).
 */
const TYPE_ORDER = [
  'Observation',
  'Encounter',
  'Condition',
  'Procedure',
  'MedicationRequest',
  'Coverage',
  'ServiceRequest',
  'DeviceRequest',
];

/**
 * The loader's plan for the chosen measures. `valueSets`: the codes of the value sets the
 * measures use (the compiled file the app ships, or the official expansions): Observation and
 * Procedure queries are narrowed to them.
 */
export function panelQueryPlan(
  valueSets: Iterable<ValueSetCodes>,
  measureIds: readonly PanelMeasureId[],
): PanelQueryPlan {
  const byUrl = codesByValueSet(valueSets);
  const reads = [STRATIFIERS, ...measureIds.map((id) => READS[id])];
  const types = new Set(reads.flatMap((r) => r.types));
  const codesFor = (pick: (r: MeasureReads) => MeasureReads['observations']): string[] => {
    const codes = new Set<string>();
    for (const r of reads) {
      const part = pick(r);
      if (part === undefined) continue;
      for (const c of part.codes) codes.add(c);
      for (const url of part.valueSets) for (const c of byUrl.get(url) ?? []) codes.add(c);
    }
    return [...codes].sort();
  };
  const queries: PanelResourceQuery[] = [];
  for (const type of TYPE_ORDER) {
    if (!types.has(type)) continue;
    if (type === 'Observation')
      queries.push({ resourceType: type, codes: codesFor((r) => r.observations) });
    else if (type === 'Procedure')
      queries.push({ resourceType: type, codes: codesFor((r) => r.procedures) });
    else queries.push({ resourceType: type });
  }
  return { queries };
}

/** The codes of value sets given as `valuesets.json` Bundles (or ValueSets), for tests and the CLI. */
export function valueSetCodesOf(...sources: unknown[]): ValueSetCodes[] {
  const out: ValueSetCodes[] = [];
  const visit = (input: unknown): void => {
    if (Array.isArray(input)) {
      for (const item of input) visit(item);
      return;
    }
    if (typeof input !== 'object' || input === null) return;
    const r = input as {
      resourceType?: unknown;
      url?: unknown;
      entry?: unknown;
      expansion?: { contains?: unknown };
      compose?: { include?: unknown };
    };
    if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) {
      for (const e of r.entry as { resource?: unknown }[]) visit(e.resource);
      return;
    }
    if (r.resourceType !== 'ValueSet' || typeof r.url !== 'string') return;
    const codes: Record<string, string[]> = {};
    const add = (system: unknown, code: unknown) => {
      if (typeof system !== 'string' || typeof code !== 'string') return;
      (codes[system] ??= []).push(code);
    };
    const walk = (items: unknown): void => {
      if (!Array.isArray(items)) return;
      for (const item of items as { system?: unknown; code?: unknown; contains?: unknown }[]) {
        add(item.system, item.code);
        walk(item.contains);
      }
    };
    walk(r.expansion?.contains);
    if (Array.isArray(r.compose?.include))
      for (const inc of r.compose.include as { system?: unknown; concept?: unknown }[])
        if (Array.isArray(inc.concept))
          for (const c of inc.concept as { code?: unknown }[]) add(inc.system, c.code);
    out.push({ url: r.url, oid: null, codes });
  };
  for (const source of sources) visit(source);
  return out;
}
