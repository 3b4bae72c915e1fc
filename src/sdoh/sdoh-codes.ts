// The patient view's social-needs code catalog: per strip domain its label, its SDOHCC category,
// the Condition codes (SNOMED CT, ICD-10-CM Z-code families) and the ServiceRequest codes a
// clinician can choose from; the FHIR systems the readers and builders use; the screening
// Questionnaires. The screening items themselves live in ../clinical/sdoh-screening.ts.
//
// Source for every code, unless a line says otherwise: ../shared/reference/sdoh.md §2 domain table
// (Gravity SDOHCC IG 2.3.0; Gravity RI `sdoh-mappings.yml` for the SNOMED displays) and §1.3
// (category codes). ICD-10-CM is FY2023–24 per the reference: check FY2025+ sub-codes (financial,
// insurance) and the VSAC expansions before shipping (sdoh.md §5).

import type { ScreeningInstrument, SdohDomain } from '../clinical/sdoh-screening';
import {
  SDOH_DOMAINS,
  SDOHCC_CATEGORY_SYSTEM,
  SNOMED_SYSTEM,
  isSocialNeedDomain,
} from '../clinical/sdoh-screening';

/** US Core 6+ category code system; US Core 5.0.x used `us-core-tags` (sdoh.md §1.3): accept both. */
export const US_CORE_CATEGORY_SYSTEM = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';
export const US_CORE_TAGS_SYSTEM = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-tags';
export const US_CORE_SDOH_CATEGORY_SYSTEMS: readonly string[] = [
  US_CORE_CATEGORY_SYSTEM,
  US_CORE_TAGS_SYSTEM,
];
export const US_CORE_SDOH_CODE = 'sdoh';

/** Condition categories (US Core `health-concern`; core `problem-list-item`, `encounter-diagnosis`). */
export const US_CORE_CONDITION_CATEGORY_SYSTEM =
  'http://hl7.org/fhir/us/core/CodeSystem/condition-category';
export const CONDITION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const CONDITION_CLINICAL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/condition-ver-status';

export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** Some servers send ICD-10-CM codes under the WHO ICD-10 URI; the Z-codes read the same. */
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';

/** SNOMED CT 410606002 "Social service procedure": the SR category the IG examples carry (sdoh.md §1.2). */
export const SOCIAL_SERVICE_PROCEDURE = {
  system: SNOMED_SYSTEM,
  code: '410606002',
  display: 'Social service procedure',
} as const;

/** FHIR core task-code `fulfill` (SDOHCC Task For Referral Management, sdoh.md §1.2). */
export const TASK_CODE_SYSTEM = 'http://hl7.org/fhir/CodeSystem/task-code';
/** SDC temporary codes: `complete-questionnaire`, `questionnaire` (SDOHCC Task For Patient, IG 2.3.0). */
export const SDC_TEMP_SYSTEM = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';

/** CDS Hooks override reasons (HL7 cds-hooks `CodeSystem-non-adherence-reason-codes.json`; sdoh.md §3). */
export const NON_ADHERENCE_REASON_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes';

export interface Code {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

const sct = (code: string, display: string): Code => ({ system: SNOMED_SYSTEM, code, display });

export interface DomainInfo {
  /** The strip's label (issue 8). */
  readonly label: string;
  /** What a positive screen means, in a clinician's words. */
  readonly need: string;
  /**
   * The SDOHCC category written on ServiceRequests, Procedures and Goals (IG 2.3.0
   * SDOHCC-ValueSetSDOHCategory). Interpersonal safety uses `intimate-partner-violence`, the IG's
   * closest category (sdoh.md §2: "use intimate-partner-violence or unspecified + text").
   */
  readonly category: Code;
  /** Details stay behind a click (sdoh.md §4 "Safety and privacy"). */
  readonly sensitive: boolean;
}

const category = (code: string, display: string): Code => ({
  system: SDOHCC_CATEGORY_SYSTEM,
  code,
  display,
});

export const DOMAIN_INFO: Readonly<Record<SdohDomain, DomainInfo>> = {
  'food-insecurity': {
    label: 'Food',
    need: 'food insecurity',
    category: category('food-insecurity', 'Food Insecurity'),
    sensitive: false,
  },
  'housing-instability': {
    label: 'Housing instability',
    need: 'housing instability',
    category: category('housing-instability', 'Housing Instability'),
    sensitive: false,
  },
  homelessness: {
    label: 'Homelessness',
    need: 'homelessness',
    category: category('homelessness', 'Homelessness'),
    sensitive: false,
  },
  'inadequate-housing': {
    label: 'Inadequate housing',
    need: 'inadequate housing',
    category: category('inadequate-housing', 'Inadequate Housing'),
    sensitive: false,
  },
  'transportation-insecurity': {
    label: 'Transportation',
    need: 'transportation insecurity',
    category: category('transportation-insecurity', 'Transportation Insecurity'),
    sensitive: false,
  },
  'utility-insecurity': {
    label: 'Utilities',
    need: 'utility insecurity',
    category: category('utility-insecurity', 'Utility Insecurity'),
    sensitive: false,
  },
  'interpersonal-safety': {
    label: 'Interpersonal safety',
    need: 'an interpersonal safety concern',
    category: category('intimate-partner-violence', 'Intimate Partner Violence'),
    sensitive: true,
  },
  'financial-insecurity': {
    label: 'Financial strain',
    need: 'financial strain',
    category: category('financial-insecurity', 'Financial Insecurity'),
    sensitive: false,
  },
  'employment-status': {
    label: 'Employment',
    need: 'an employment need',
    category: category('employment-status', 'Employment Status'),
    sensitive: false,
  },
  'social-connection': {
    label: 'Social isolation',
    need: 'social isolation',
    category: category('social-connection', 'Social Connection'),
    sensitive: false,
  },
  stress: {
    label: 'Stress',
    need: 'stress',
    category: category('stress', 'Stress'),
    sensitive: false,
  },
};

/**
 * SDOHCC category codes → strip domains, for reading what others wrote (IG 2.3.0 value set).
 * `material-hardship` is read as financial strain (sdoh.md §2 lists them on one row);
 * `elder-abuse` as interpersonal safety (AHC's safety items ask about "anyone, including family").
 * `sdoh-category-unspecified` places nothing unless its text says "interpersonal safety".
 */
export const SDOHCC_CATEGORY_TO_DOMAINS: ReadonlyMap<string, readonly SdohDomain[]> = new Map<
  string,
  readonly SdohDomain[]
>([
  ['food-insecurity', ['food-insecurity']],
  ['housing-instability', ['housing-instability']],
  ['homelessness', ['homelessness']],
  ['inadequate-housing', ['inadequate-housing']],
  ['transportation-insecurity', ['transportation-insecurity']],
  ['utility-insecurity', ['utility-insecurity']],
  ['intimate-partner-violence', ['interpersonal-safety']],
  ['elder-abuse', ['interpersonal-safety']],
  ['financial-insecurity', ['financial-insecurity']],
  ['material-hardship', ['financial-insecurity']],
  ['employment-status', ['employment-status']],
  ['social-connection', ['social-connection']],
  ['stress', ['stress']],
]);

/** The domains a set of category codings names (SDOHCC codes; "Interpersonal Safety" text). */
export function domainsOfCategories(
  categories: readonly fhir4.CodeableConcept[] | undefined,
): SdohDomain[] {
  const out = new Set<SdohDomain>();
  for (const concept of categories ?? []) {
    for (const c of concept.coding ?? []) {
      if (c.system !== SDOHCC_CATEGORY_SYSTEM || c.code === undefined) continue;
      for (const d of SDOHCC_CATEGORY_TO_DOMAINS.get(c.code) ?? []) out.add(d);
      const text = (concept.text ?? c.display ?? '').toLowerCase();
      if (c.code === 'sdoh-category-unspecified' && text.includes('interpersonal safety')) {
        out.add('interpersonal-safety');
      }
    }
  }
  return [...out];
}

/** Does a category list carry the US Core `sdoh` code, in either system? */
export function hasUsCoreSdohCategory(
  categories: readonly fhir4.CodeableConcept[] | undefined,
): boolean {
  return (categories ?? []).some((concept) =>
    (concept.coding ?? []).some(
      (c) =>
        c.code === US_CORE_SDOH_CODE &&
        c.system !== undefined &&
        US_CORE_SDOH_CATEGORY_SYSTEMS.includes(c.system),
    ),
  );
}

// ---------------------------------------------------------------- conditions

/**
 * SNOMED CT condition codes per domain (sdoh.md §2 "Condition: SNOMED"; extra findings for food and
 * homelessness from the Gravity RI `sdoh-mappings.yml` Condition lists).
 */
export const SDOH_CONDITION_SNOMED: ReadonlyMap<string, readonly SdohDomain[]> = new Map<
  string,
  readonly SdohDomain[]
>([
  ['733423003', ['food-insecurity']], // Food insecurity
  ['706875005', ['food-insecurity']], // Insufficient food supply (RI)
  ['160752000', ['housing-instability']], // Eviction notice served
  ['32911000', ['homelessness']], // Homeless
  ['224231004', ['homelessness']], // Sleeping in night shelter (RI)
  ['224233001', ['homelessness']], // Sleeping in vehicle (RI)
  ['224229008', ['homelessness']], // Sleeping out (RI)
  ['713458007', ['transportation-insecurity']], // Lack of access to transportation
  ['160695008', ['transportation-insecurity']], // Transport too expensive
  ['73438004', ['employment-status']], // Unemployed (IG example condition)
  ['422650009', ['social-connection']], // Social isolation
]);

/**
 * ICD-10-CM Z-code families per domain (sdoh.md §2 "ICD-10-CM" column). Matched as prefixes of the
 * code without its dot, the longest prefix winning: Z59.12 (inadequate housing utilities) is both
 * inadequate housing and utilities; Z59.1 (inadequate housing) covers Z59.10, Z59.11, Z59.19.
 * Interpersonal safety also takes the injury/abuse codes T74.11-, T76.11- and Z91.41- the table
 * lists. Education, insurance and incarceration codes are not strip domains and read as nothing.
 */
export const SDOH_CONDITION_ICD10_PREFIXES: ReadonlyMap<string, readonly SdohDomain[]> = new Map<
  string,
  readonly SdohDomain[]
>([
  ['Z590', ['homelessness']], // Z59.00 / .01 sheltered / .02 unsheltered
  ['Z591', ['inadequate-housing']], // Z59.10, Z59.11 (temperature), Z59.19
  ['Z5912', ['inadequate-housing', 'utility-insecurity']], // inadequate housing utilities
  ['Z594', ['food-insecurity']], // Z59.4 parent, Z59.41, Z59.48
  ['Z595', ['financial-insecurity']], // extreme poverty
  ['Z596', ['financial-insecurity']], // low income
  ['Z5981', ['housing-instability']], // Z59.811 / .812 / .819
  ['Z5982', ['transportation-insecurity']], // transportation insecurity
  ['Z5986', ['financial-insecurity']], // financial insecurity
  ['Z5987', ['financial-insecurity']], // material hardship
  ['Z56', ['employment-status']], // problems related to employment and unemployment (Z56.0 …)
  ['Z602', ['social-connection']], // problems related to living alone
  ['Z604', ['social-connection']], // social exclusion and rejection
  ['Z733', ['stress']], // stress, not elsewhere classified
  ['Z630', ['interpersonal-safety']], // problems in relationship with spouse or partner
  ['Z9141', ['interpersonal-safety']], // personal history of adult abuse
  ['T7411', ['interpersonal-safety']], // adult physical abuse, confirmed
  ['T7611', ['interpersonal-safety']], // adult physical abuse, suspected
]);

/** The domains an ICD-10-CM code belongs to (longest listed prefix), or [] for none. */
export function domainsOfIcd10(code: string): readonly SdohDomain[] {
  const bare = code.replace('.', '').toUpperCase();
  let best: readonly SdohDomain[] = [];
  let bestLength = 0;
  for (const [prefix, domains] of SDOH_CONDITION_ICD10_PREFIXES) {
    if (bare.startsWith(prefix) && prefix.length > bestLength) {
      best = domains;
      bestLength = prefix.length;
    }
  }
  return best;
}

/** The domains a Condition code names (SNOMED CT or ICD-10-CM). */
export function domainsOfConditionCode(concept: fhir4.CodeableConcept | undefined): SdohDomain[] {
  const out = new Set<SdohDomain>();
  for (const c of concept?.coding ?? []) {
    if (c.code === undefined) continue;
    if (c.system === SNOMED_SYSTEM) {
      for (const d of SDOH_CONDITION_SNOMED.get(c.code) ?? []) out.add(d);
    } else if (c.system === ICD10CM_SYSTEM || c.system === ICD10_SYSTEM) {
      for (const d of domainsOfIcd10(c.code)) out.add(d);
    }
  }
  return [...out];
}

// ---------------------------------------------------------------- services (ServiceRequest codes)

/**
 * Cross-domain referrals (sdoh.md §2 "Cross-domain referrals that fit any domain (IG/RI)"). They
 * place a request in a domain only through its SDOHCC category or its reason.
 */
export const CROSS_DOMAIN_SERVICES: readonly Code[] = [
  sct('308440001', 'Referral to social worker'),
  sct('464131000124100', 'Referral to community health worker'),
  sct('464021000124104', 'Referral to care navigator'),
  sct('464161000124109', 'Referral to community resource network program'),
];

/**
 * Domain-specific ServiceRequest codes (sdoh.md §2 "Typical SR code"; displays from the Gravity RI
 * `sdoh-mappings.yml` where it lists them). The IG binds each domain to a VSAC value set (OID in the
 * comment); only these examples are known here, so domains without one offer the cross-domain
 * referrals only. Those are assumed to be in every domain's value set: check the VSAC expansions.
 */
export const DOMAIN_SERVICES: Readonly<Record<SdohDomain, readonly Code[]>> = {
  // VSAC …1247.11
  'food-insecurity': [
    sct('713109004', 'Referral to community meals service'),
    sct('467771000124109', 'Assistance with application for food pantry program'),
    sct('710925007', 'Provision of food'),
    sct('103699006', 'Referral to dietitian'),
  ],
  // VSAC …1247.45
  'housing-instability': [
    sct('710911006', 'Referral to housing service'),
    sct('225340009', 'Housing assessment'),
  ],
  // VSAC …1247.21
  homelessness: [sct('710911006', 'Referral to housing service')],
  // VSAC …1247.53: no example code in the reference
  'inadequate-housing': [],
  // VSAC …1247.28
  'transportation-insecurity': [
    sct('410365006', 'Transportation case management'),
    sct('428632005', 'Transportation request'),
    sct('462481000124102', 'Referral to Community Action Agency program'),
  ],
  // VSAC …1247.252: no example code in the reference
  'utility-insecurity': [],
  // VSAC …1247.98: no example code in the reference
  'interpersonal-safety': [],
  // VSAC …1247.31 (financial) / …1247.38 (material hardship)
  'financial-insecurity': [sct('462491000124104', 'Referral to benefits enrollment assistance')],
  // VSAC …1247.60: no example code in the reference
  'employment-status': [],
  // VSAC …1247.95: no example code in the reference
  'social-connection': [],
  // VSAC …1247.92: no example code in the reference
  stress: [],
};

/** The referral form's service choices for a domain: its own codes first, then cross-domain ones. */
export function serviceChoices(domain: SdohDomain): readonly Code[] {
  return [...DOMAIN_SERVICES[domain], ...CROSS_DOMAIN_SERVICES];
}

/** The domains a ServiceRequest/Procedure code places it in without a category (domain-specific codes). */
export function domainsOfServiceCode(concept: fhir4.CodeableConcept | undefined): SdohDomain[] {
  const codes = (concept?.coding ?? [])
    .filter((c) => c.system === SNOMED_SYSTEM)
    .map((c) => c.code);
  return SDOH_DOMAINS.filter((d) => DOMAIN_SERVICES[d].some((s) => codes.includes(s.code)));
}

/** Is the code one of the listed social-care services (domain-specific or cross-domain)? */
export function isSocialCareServiceCode(concept: fhir4.CodeableConcept | undefined): boolean {
  return (concept?.coding ?? []).some(
    (c) =>
      c.system === SNOMED_SYSTEM &&
      c.code !== undefined &&
      (CROSS_DOMAIN_SERVICES.some((s) => s.code === c.code) ||
        Object.values(DOMAIN_SERVICES).some((list) => list.some((s) => s.code === c.code))),
  );
}

// ---------------------------------------------------------------- instruments

export const INSTRUMENT_LABELS: Readonly<Record<ScreeningInstrument, string>> = {
  'hunger-vital-sign': 'Hunger Vital Sign',
  'ahc-hrsn': 'AHC HRSN screening tool',
  prapare: 'PRAPARE',
};

/**
 * Questionnaire canonicals of the instruments: the Gravity IG's SDC Questionnaires (IG 2.3.0
 * `SDOHCC-QuestionnaireHungerVitalSign`, `SDOHCC-QuestionnairePRAPARE`) and the LOINC/LHC-Forms
 * form URLs `http://loinc.org/q/<panel>` (AHC HRSN has no Gravity Questionnaire). The first entry
 * is the one a "screen now" Task asks the patient to complete.
 */
export const INSTRUMENT_QUESTIONNAIRES: Readonly<Record<ScreeningInstrument, readonly string[]>> = {
  'hunger-vital-sign': [
    'http://hl7.org/fhir/us/sdoh-clinicalcare/Questionnaire/SDOHCC-QuestionnaireHungerVitalSign',
    'http://loinc.org/q/88121-9',
  ],
  'ahc-hrsn': ['http://loinc.org/q/96777-8', 'http://loinc.org/q/97023-6'],
  prapare: [
    'http://hl7.org/fhir/us/sdoh-clinicalcare/Questionnaire/SDOHCC-QuestionnairePRAPARE',
    'http://loinc.org/q/93025-5',
  ],
};

const INSTRUMENTS: readonly ScreeningInstrument[] = ['hunger-vital-sign', 'ahc-hrsn', 'prapare'];

/** The instrument a Questionnaire canonical names (version suffix `|x` ignored), if listed. */
export function instrumentOfQuestionnaire(
  canonical: string | undefined,
): ScreeningInstrument | undefined {
  if (canonical === undefined) return undefined;
  const url = canonical.split('|')[0] ?? '';
  return INSTRUMENTS.find((i) => INSTRUMENT_QUESTIONNAIRES[i].includes(url));
}

/**
 * The instrument a "screen now" Task sends for the domains to screen. The AHC HRSN core form
 * (96777-8) covers the seven core-tool domains; PRAPARE covers the others too (financial strain
 * through 93031-3, employment 67875-5, social contact 93029-7, stress 93038-8) but has no
 * inadequate-housing item (sdoh.md §2). So: AHC HRSN when only core-tool domains are due, else
 * PRAPARE.
 */
export function instrumentForScreening(domains: readonly SdohDomain[]): ScreeningInstrument {
  return domains.every(isSocialNeedDomain) ? 'ahc-hrsn' : 'prapare';
}
