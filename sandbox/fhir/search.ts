// The search-parameter table (which parameters each resource type supports, what kind they are
// and which elements they read) and the matching semantics of the FHIR R4 search page
// (hl7.org/fhir/R4/search.html §3.1.1.4 "Search Parameter Types"). api.ts runs searches; the
// store indexes the parameters marked `indexed`.
import {
  compartmentElements,
  normalizeText,
  parseDateRange,
  rangesOf,
  referencesOf,
  stringsOf,
  tokensOf,
  valuesAt,
  type Json,
  type Range,
  type Token,
} from './values';

export type ParamKind = 'token' | 'reference' | 'date' | 'string';

export interface SearchParamDef {
  name: string;
  kind: ParamKind;
  /** Canonical URL of the R4 SearchParameter this implements (for the CapabilityStatement). */
  definition: string;
  /** Element paths below the resource (dotted, arrays flattened); choice types spelled out. */
  paths: readonly string[];
  /** Reference params: allowed target types (empty = any). */
  targets?: readonly string[];
  /** Token params on a bare `code` element: that element's code system. */
  implicitSystem?: string;
  /**
   * Params the store keeps an index for: selective tokens (codes, not statuses) and references
   * a population query starts from (a practitioner's encounters or patients).
   */
  indexed?: boolean;
  documentation?: string;
}

const SP = 'http://hl7.org/fhir/SearchParameter/';
const HL7 = 'http://hl7.org/fhir/';

const tok = (
  name: string,
  id: string,
  paths: string[],
  more: Partial<SearchParamDef> = {},
): SearchParamDef => ({ name, kind: 'token', definition: SP + id, paths, ...more });
const ref = (
  name: string,
  id: string,
  paths: string[],
  targets: string[] = [],
  more: Partial<SearchParamDef> = {},
): SearchParamDef => ({
  name,
  kind: 'reference',
  definition: SP + id,
  paths,
  targets,
  ...more,
});
const date = (name: string, id: string, paths: string[]): SearchParamDef => ({
  name,
  kind: 'date',
  definition: SP + id,
  paths,
});
const str = (name: string, id: string, paths: string[]): SearchParamDef => ({
  name,
  kind: 'string',
  definition: SP + id,
  paths,
});

/** Parameters every type supports (R4 search "Parameters for all resources"). */
const common: SearchParamDef[] = [
  tok('_id', 'Resource-id', ['id']),
  date('_lastUpdated', 'Resource-lastUpdated', ['meta.lastUpdated']),
];

const patientParam = (paths: string[], id = 'clinical-patient'): SearchParamDef =>
  ref('patient', id, paths, ['Patient']);
const codeParam = (paths: string[] = ['code'], id = 'clinical-code'): SearchParamDef =>
  tok('code', id, paths, { indexed: true });
const identifierParam = (id = 'clinical-identifier'): SearchParamDef =>
  tok('identifier', id, ['identifier']);
const anyRef: string[] = [];

/** Per-type parameters, beyond `common`. The data the API, the store and /metadata share. */
const table: Record<string, SearchParamDef[]> = {
  Patient: [
    identifierParam('Patient-identifier'),
    str('name', 'Patient-name', ['name']),
    str('family', 'individual-family', ['name.family']),
    str('given', 'individual-given', ['name.given']),
    date('birthdate', 'individual-birthdate', ['birthDate']),
    tok('gender', 'individual-gender', ['gender'], {
      implicitSystem: `${HL7}administrative-gender`,
    }),
    tok('active', 'Patient-active', ['active']),
    ref(
      'general-practitioner',
      'Patient-general-practitioner',
      ['generalPractitioner'],
      ['Practitioner', 'Organization', 'PractitionerRole'],
      { indexed: true },
    ),
    ref('organization', 'Patient-organization', ['managingOrganization'], ['Organization']),
  ],
  Practitioner: [
    identifierParam('Practitioner-identifier'),
    str('name', 'Practitioner-name', ['name']),
    str('family', 'individual-family', ['name.family']),
    str('given', 'individual-given', ['name.given']),
    tok('active', 'Practitioner-active', ['active']),
  ],
  PractitionerRole: [
    identifierParam('PractitionerRole-identifier'),
    ref('practitioner', 'PractitionerRole-practitioner', ['practitioner'], ['Practitioner']),
    ref('organization', 'PractitionerRole-organization', ['organization'], ['Organization']),
    tok('role', 'PractitionerRole-role', ['code']),
    tok('specialty', 'PractitionerRole-specialty', ['specialty']),
  ],
  Organization: [
    identifierParam('Organization-identifier'),
    str('name', 'Organization-name', ['name', 'alias']),
    tok('type', 'Organization-type', ['type']),
    tok('active', 'Organization-active', ['active']),
  ],
  // Community resources (sdoh.md §3: an HSDS service maps to HealthcareService/Organization).
  // `service-category` and `type` carry SDOHCC domain codes and SDOHCC ServiceRequest codes.
  HealthcareService: [
    identifierParam('HealthcareService-identifier'),
    str('name', 'HealthcareService-name', ['name']),
    tok('service-category', 'HealthcareService-service-category', ['category']),
    tok('service-type', 'HealthcareService-service-type', ['type']),
    tok('specialty', 'HealthcareService-specialty', ['specialty']),
    tok('active', 'HealthcareService-active', ['active']),
    ref('organization', 'HealthcareService-organization', ['providedBy'], ['Organization']),
    ref('location', 'HealthcareService-location', ['location'], ['Location']),
  ],
  Location: [
    identifierParam('Location-identifier'),
    str('name', 'Location-name', ['name', 'alias']),
    ref('organization', 'Location-organization', ['managingOrganization'], ['Organization']),
    tok('type', 'Location-type', ['type']),
  ],
  Group: [
    identifierParam('Group-identifier'),
    ref('member', 'Group-member', ['member.entity'], anyRef),
    tok('code', 'Group-code', ['code']),
    tok('type', 'Group-type', ['type'], { implicitSystem: `${HL7}group-type` }),
    ref('managing-entity', 'Group-managing-entity', ['managingEntity'], anyRef),
  ],
  List: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'List-subject', ['subject'], anyRef),
    codeParam(),
    tok('status', 'List-status', ['status'], { implicitSystem: `${HL7}list-status` }),
    str('title', 'List-title', ['title']),
    ref('item', 'List-item', ['entry.item'], anyRef),
  ],
  Observation: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'Observation-subject', ['subject'], anyRef),
    codeParam(),
    tok('category', 'Observation-category', ['category']),
    tok('status', 'Observation-status', ['status'], {
      implicitSystem: `${HL7}observation-status`,
    }),
    date('date', 'clinical-date', ['effectiveDateTime', 'effectivePeriod', 'effectiveInstant']),
    ref('encounter', 'clinical-encounter', ['encounter'], ['Encounter']),
  ],
  Condition: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'Condition-subject', ['subject'], ['Patient', 'Group']),
    codeParam(),
    tok('category', 'Condition-category', ['category']),
    tok('clinical-status', 'Condition-clinical-status', ['clinicalStatus']),
    tok('verification-status', 'Condition-verification-status', ['verificationStatus']),
    date('onset-date', 'Condition-onset-date', ['onsetDateTime', 'onsetPeriod']),
    date('recorded-date', 'Condition-recorded-date', ['recordedDate']),
    ref('encounter', 'Condition-encounter', ['encounter'], ['Encounter']),
  ],
  Encounter: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'Encounter-subject', ['subject'], ['Patient', 'Group']),
    tok('status', 'Encounter-status', ['status'], { implicitSystem: `${HL7}encounter-status` }),
    tok('class', 'Encounter-class', ['class']),
    tok('type', 'clinical-type', ['type']),
    date('date', 'clinical-date', ['period']),
    // A practitioner's patients seen in a period (panel-loading.md §3): indexed, so the query
    // starts from that practitioner's encounters instead of scanning every encounter.
    ref('participant', 'Encounter-participant', ['participant.individual'], anyRef, {
      indexed: true,
    }),
    // R4 Encounter-practitioner: participant.individual.where(resolve() is Practitioner).
    ref('practitioner', 'Encounter-practitioner', ['participant.individual'], ['Practitioner'], {
      indexed: true,
      documentation: 'Encounter.participant.individual that is a Practitioner',
    }),
    ref('service-provider', 'Encounter-service-provider', ['serviceProvider'], ['Organization']),
  ],
  Procedure: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'Procedure-subject', ['subject'], ['Patient', 'Group']),
    codeParam(),
    tok('status', 'Procedure-status', ['status'], { implicitSystem: `${HL7}event-status` }),
    tok('category', 'Procedure-category', ['category']),
    date('date', 'clinical-date', ['performedDateTime', 'performedPeriod']),
    ref('encounter', 'clinical-encounter', ['encounter'], ['Encounter']),
  ],
  ServiceRequest: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'ServiceRequest-subject', ['subject'], anyRef),
    codeParam(),
    tok('status', 'ServiceRequest-status', ['status'], { implicitSystem: `${HL7}request-status` }),
    tok('intent', 'ServiceRequest-intent', ['intent'], { implicitSystem: `${HL7}request-intent` }),
    tok('category', 'ServiceRequest-category', ['category']),
    date('authored', 'ServiceRequest-authored', ['authoredOn']),
    ref('requester', 'ServiceRequest-requester', ['requester'], anyRef),
    ref('performer', 'ServiceRequest-performer', ['performer'], anyRef),
    ref('encounter', 'clinical-encounter', ['encounter'], ['Encounter']),
  ],
  QuestionnaireResponse: [
    identifierParam('QuestionnaireResponse-identifier'),
    patientParam(['subject'], 'QuestionnaireResponse-patient'),
    ref('subject', 'QuestionnaireResponse-subject', ['subject'], anyRef),
    tok('status', 'QuestionnaireResponse-status', ['status'], {
      implicitSystem: `${HL7}questionnaire-answers-status`,
    }),
    date('authored', 'QuestionnaireResponse-authored', ['authored']),
    ref('encounter', 'QuestionnaireResponse-encounter', ['encounter'], ['Encounter']),
  ],
  Task: [
    identifierParam('Task-identifier'),
    patientParam(['for'], 'Task-patient'),
    ref('subject', 'Task-subject', ['for'], anyRef),
    {
      ...ref('for', 'Task-subject', ['for'], anyRef),
      documentation: 'Task.for; same as `subject`, named after the element',
    },
    ref('focus', 'Task-focus', ['focus'], anyRef),
    ref('owner', 'Task-owner', ['owner'], anyRef),
    ref('requester', 'Task-requester', ['requester'], anyRef),
    ref('based-on', 'Task-based-on', ['basedOn'], anyRef),
    tok('code', 'Task-code', ['code']),
    tok('status', 'Task-status', ['status'], { implicitSystem: `${HL7}task-status` }),
    tok('intent', 'Task-intent', ['intent'], { implicitSystem: `${HL7}task-intent` }),
    tok('business-status', 'Task-business-status', ['businessStatus']),
    date('authored-on', 'Task-authored-on', ['authoredOn']),
    date('modified', 'Task-modified', ['lastModified']),
    date('modified', 'Task-modified', ['lastModified']),
  ],
  Coverage: [
    identifierParam('Coverage-identifier'),
    patientParam(['beneficiary'], 'Coverage-patient'),
    ref('beneficiary', 'Coverage-beneficiary', ['beneficiary'], ['Patient']),
    ref('subscriber', 'Coverage-subscriber', ['subscriber'], ['Patient', 'RelatedPerson']),
    ref('payor', 'Coverage-payor', ['payor'], ['Organization', 'Patient', 'RelatedPerson']),
    tok('status', 'Coverage-status', ['status'], { implicitSystem: `${HL7}fm-status` }),
    tok('type', 'Coverage-type', ['type']),
  ],
  Medication: [
    tok('code', 'Medication-code', ['code'], { indexed: true }),
    tok('status', 'Medication-status', ['status'], {
      implicitSystem: `${HL7}CodeSystem/medication-status`,
    }),
  ],
  MedicationRequest: [
    identifierParam(),
    patientParam(['subject']),
    ref('subject', 'MedicationRequest-subject', ['subject'], ['Patient', 'Group']),
    codeParam(['medicationCodeableConcept']),
    ref('medication', 'medications-medication', ['medicationReference'], ['Medication']),
    tok('status', 'medications-status', ['status'], {
      implicitSystem: `${HL7}CodeSystem/medicationrequest-status`,
    }),
    tok('intent', 'MedicationRequest-intent', ['intent'], {
      implicitSystem: `${HL7}CodeSystem/medicationrequest-intent`,
    }),
    tok('category', 'MedicationRequest-category', ['category']),
    date('authoredon', 'MedicationRequest-authoredon', ['authoredOn']),
    ref('encounter', 'medications-encounter', ['encounter'], ['Encounter']),
    ref('requester', 'MedicationRequest-requester', ['requester'], anyRef),
  ],
};

/** Types with their own entry in the table (always listed in /metadata, even when empty). */
export const tableTypes: readonly string[] = Object.keys(table);

/**
 * Types outside the Patient compartment: readable with any read grant. The R4 Patient
 * CompartmentDefinition does not list them (Group and List are listed there, but the sandbox
 * serves them as shared definitions, e.g. a practitioner's panel). Every other type is
 * treated as compartment data, which is the safe default for types the sandbox does not know.
 */
const sharedTypes = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Group',
  'List',
  'Medication',
  'Substance',
  'HealthcareService',
  'Endpoint',
  'ValueSet',
  'CodeSystem',
  'ConceptMap',
  'Measure',
  'Library',
  'Questionnaire',
  'StructureDefinition',
  'SearchParameter',
  'PlanDefinition',
  'ActivityDefinition',
]);

export function isCompartmentType(type: string): boolean {
  return !sharedTypes.has(type);
}

const cache = new Map<string, ReadonlyMap<string, SearchParamDef>>();

/**
 * The parameters of a type. Types outside the table get the common ones plus, when they are
 * compartment types, `patient` over the compartment elements (fhirclient needs a `patient` or
 * `subject` param to run `client.patient.request(type)`).
 */
export function paramsFor(type: string): ReadonlyMap<string, SearchParamDef> {
  let params = cache.get(type);
  if (!params) {
    const own =
      table[type] ??
      (isCompartmentType(type) && type !== 'Patient'
        ? [patientParam([...compartmentElements])]
        : []);
    params = new Map([...common, ...own].map((def) => [def.name, def]));
    cache.set(type, params);
  }
  return params;
}

export function indexedParams(type: string): SearchParamDef[] {
  return [...paramsFor(type).values()].filter((def) => def.indexed);
}

// ---------------------------------------------------------------------------------------------
// Values of a parameter in a resource

export function tokenValues(def: SearchParamDef, resource: Json): Token[] {
  return def.paths.flatMap((p) =>
    valuesAt(resource, p).flatMap((v) => tokensOf(v, def.implicitSystem)),
  );
}

export function dateValues(def: SearchParamDef, resource: Json): Range[] {
  return def.paths.flatMap((p) => valuesAt(resource, p).flatMap(rangesOf));
}

export function stringValues(def: SearchParamDef, resource: Json): string[] {
  return def.paths.flatMap((p) => valuesAt(resource, p).flatMap(stringsOf));
}

/** Literal references, version-independent (`Type/id/_history/2` → `Type/id`). */
export function referenceValues(def: SearchParamDef, resource: Json): string[] {
  return def.paths.flatMap((p) =>
    valuesAt(resource, p)
      .flatMap(referencesOf)
      .map((r) => r.replace(/\/_history\/[^/]+$/, '')),
  );
}

/** Keys of the store's index for one token value of an indexed parameter. */
export function tokenIndexKeys(param: string, token: Token): string[] {
  return [`${param}\u0000c:${token.code}`, `${param}\u0000s:${token.system ?? ''}|${token.code}`];
}

const referenceTail = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Keys of the store's index for one stored reference of an indexed parameter: `Type/id` and the
 * bare id, from the tail of the reference (an absolute URL to this server ends in `Type/id`). A
 * superset of what the search may match; the clause's predicate decides.
 */
export function referenceIndexKeys(param: string, reference: string): string[] {
  const match = referenceTail.exec(reference);
  if (match?.[1] && match[2]) {
    return [`${param}\u0000r:${match[1]}/${match[2]}`, `${param}\u0000i:${match[2]}`];
  }
  return idPattern.test(reference) ? [`${param}\u0000i:${reference}`] : [];
}

/** Every index key of one resource (tokens and references of the type's indexed params). */
export function indexKeysOf(type: string, resource: Json): Set<string> {
  const keys = new Set<string>();
  for (const def of indexedParams(type)) {
    if (def.kind === 'token') {
      for (const token of tokenValues(def, resource)) {
        for (const key of tokenIndexKeys(def.name, token)) keys.add(key);
      }
    } else if (def.kind === 'reference') {
      for (const reference of referenceValues(def, resource)) {
        for (const key of referenceIndexKeys(def.name, reference)) keys.add(key);
      }
    }
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Compiling a query parameter into a predicate

/** One parsed search parameter (an OR of values): a predicate plus index hints. */
export interface Clause {
  param: string;
  matches(resource: Json): boolean;
  /** Resource ids that can match (for `_id`). */
  ids?: string[];
  /** Patient ids whose compartment holds every match. */
  patientIds?: string[];
  /** Index keys (tokens, references) whose union holds every match. */
  indexKeys?: string[];
  /** Patients the clause names explicitly (checked against a patient grant). */
  namedPatients: string[];
}

export const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** Splits on unescaped separators (R4 search "Escaping Search Parameters"). */
export function splitEscaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text.charAt(i + 1);
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string): string => text.replace(/\\([\\,$|])/g, '$1');

const datePrefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'] as const;
type DatePrefix = (typeof datePrefixes)[number];

/**
 * R4 search §3.1.1.4 prefixes, comparing the search range S with a target range T:
 * eq: S fully contains T; ne: it does not; gt: the range above S intersects T; lt: the range
 * below S intersects T; ge/le: gt/lt or eq; sa: T starts after S ends; eb: T ends before S starts.
 */
export function dateMatches(prefix: DatePrefix, search: Range, target: Range): boolean {
  const contains = search.lo <= target.lo && target.hi <= search.hi;
  switch (prefix) {
    case 'eq':
      return contains;
    case 'ne':
      return !contains;
    case 'gt':
      return target.hi > search.hi;
    case 'lt':
      return target.lo < search.lo;
    case 'ge':
      return target.hi > search.hi || contains;
    case 'le':
      return target.lo < search.lo || contains;
    case 'sa':
      return target.lo >= search.hi;
    case 'eb':
      return target.hi <= search.lo;
  }
}

type Compiled = Clause | { error: string; code?: 'not-supported' };

/** Server features that change what a query may say (sandbox `features`, see server.ts). */
export interface CompileOptions {
  /**
   * Several comma-separated values on one reference parameter (`patient=a,b`, OR semantics).
   * Default true; off, such a query is refused as many real EHRs do.
   */
  referenceLists?: boolean;
}

function fail(error: string): { error: string } {
  return { error };
}

/**
 * Compiles `name[:modifier]=value` for one type. `baseUrl` lets absolute references to this
 * server be treated as relative ones.
 */
export function compileClause(
  type: string,
  def: SearchParamDef,
  modifier: string | undefined,
  rawValue: string,
  baseUrl: string,
  options: CompileOptions = {},
): Compiled {
  const label = `${type}?${def.name}${modifier === undefined ? '' : `:${modifier}`}`;
  const rawParts = splitEscaped(rawValue, ',');
  if (rawParts.some((p) => p === '')) return fail(`${label}: empty value in '${rawValue}'`);
  if (def.kind === 'reference' && rawParts.length > 1 && options.referenceLists === false) {
    return {
      error: `${label}: multiple values for a reference parameter are not supported by this server`,
      code: 'not-supported',
    };
  }
  switch (def.kind) {
    case 'token':
      return compileToken(label, def, modifier, rawParts);
    case 'reference':
      return compileReference(label, def, modifier, rawParts, baseUrl);
    case 'date':
      return compileDate(label, def, modifier, rawParts);
    case 'string':
      return compileString(label, def, modifier, rawParts);
  }
}

function compileToken(
  label: string,
  def: SearchParamDef,
  modifier: string | undefined,
  rawParts: string[],
): Compiled {
  if (modifier !== undefined && modifier !== 'not') {
    return fail(`${label}: modifier ':${modifier}' is not supported (supported: :not)`);
  }
  const tests: Array<(t: Token) => boolean> = [];
  const keys: string[] = [];
  const ids: string[] = [];
  for (const raw of rawParts) {
    const pieces = splitEscaped(raw, '|').map(unescape);
    if (pieces.length > 2) return fail(`${label}: malformed token '${raw}' (more than one '|')`);
    const [first = '', second] = pieces;
    if (def.name === '_id') {
      if (second !== undefined || !idPattern.test(first)) {
        return fail(`${label}: '${raw}' is not a valid resource id`);
      }
      ids.push(first);
    }
    if (second === undefined) {
      tests.push((t) => t.code === first);
      keys.push(`${def.name}\u0000c:${first}`);
    } else if (first === '' && second === '') {
      return fail(`${label}: malformed token '${raw}' (neither system nor code)`);
    } else if (second === '') {
      // `system|`: any code from the system.
      tests.push((t) => t.system === first);
    } else if (first === '') {
      // `|code`: the code with no system.
      tests.push((t) => t.system === undefined && t.code === second);
      keys.push(`${def.name}\u0000s:|${second}`);
    } else {
      tests.push((t) => t.system === first && t.code === second);
      keys.push(`${def.name}\u0000s:${first}|${second}`);
    }
  }
  const any = (resource: Json): boolean =>
    tokenValues(def, resource).some((t) => tests.some((test) => test(t)));
  if (modifier === 'not') {
    // :not matches resources with no value matching any of the listed tokens (incl. no value).
    return { param: def.name, matches: (r) => !any(r), namedPatients: [] };
  }
  const clause: Clause = { param: def.name, matches: any, namedPatients: [] };
  if (def.name === '_id') clause.ids = ids;
  if (def.indexed && keys.length === rawParts.length) clause.indexKeys = keys;
  return clause;
}

function compileReference(
  label: string,
  def: SearchParamDef,
  modifier: string | undefined,
  rawParts: string[],
  baseUrl: string,
): Compiled {
  const targets = def.targets ?? [];
  if (modifier !== undefined) {
    if (!/^[A-Z][A-Za-z]+$/.test(modifier) || (targets.length > 0 && !targets.includes(modifier))) {
      return fail(
        `${label}: modifier ':${modifier}' is not supported (supported: a target type${
          targets.length > 0 ? `: ${targets.join(', ')}` : ''
        })`,
      );
    }
  }
  const allowed = modifier !== undefined ? [modifier] : targets;
  const wanted: Array<{ type: string | undefined; id: string }> = [];
  for (const raw of rawParts) {
    let value = unescape(raw);
    if (value.startsWith(`${baseUrl}/`)) value = value.slice(baseUrl.length + 1);
    value = value.replace(/\/_history\/[^/]+$/, '');
    const match = /^(?:([A-Z][A-Za-z]+)\/)?([^/]+)$/.exec(value);
    const type = match?.[1];
    const id = match?.[2];
    if (!id || !idPattern.test(id)) {
      return fail(`${label}: '${raw}' is not a reference ([Type/]id)`);
    }
    if (type !== undefined && allowed.length > 0 && !allowed.includes(type)) {
      return fail(`${label}: '${raw}' is not a reference to ${allowed.join(' or ')}`);
    }
    wanted.push({ type: type ?? (allowed.length === 1 ? allowed[0] : undefined), id });
  }
  const matches = (resource: Json): boolean =>
    referenceValues(def, resource).some((stored) => {
      const local = stored.startsWith(`${baseUrl}/`) ? stored.slice(baseUrl.length + 1) : stored;
      const slash = local.lastIndexOf('/');
      const storedType = slash < 0 ? undefined : local.slice(0, slash);
      const storedId = local.slice(slash + 1);
      return wanted.some(
        (w) =>
          w.id === storedId &&
          (w.type === undefined
            ? storedType === undefined || allowed.length === 0 || allowed.includes(storedType)
            : w.type === storedType),
      );
    });
  // Only parameters over the compartment elements (patient, subject, for, beneficiary) name
  // the patient whose data is wanted; a bare id there may be a Patient's.
  const onCompartment = def.paths.every((p) =>
    (compartmentElements as readonly string[]).includes(p),
  );
  const mayBePatient = allowed.length === 0 || allowed.includes('Patient');
  const namedPatients = onCompartment
    ? wanted
        .filter((w) => w.type === 'Patient' || (w.type === undefined && mayBePatient))
        .map((w) => w.id)
    : [];
  const clause: Clause = { param: def.name, matches, namedPatients };
  if (onCompartment && wanted.every((w) => w.type === 'Patient')) {
    clause.patientIds = wanted.map((w) => w.id);
  }
  if (def.indexed) {
    clause.indexKeys = wanted.map((w) =>
      w.type === undefined ? `${def.name}\u0000i:${w.id}` : `${def.name}\u0000r:${w.type}/${w.id}`,
    );
  }
  return clause;
}

function compileDate(
  label: string,
  def: SearchParamDef,
  modifier: string | undefined,
  rawParts: string[],
): Compiled {
  if (modifier !== undefined) return fail(`${label}: date parameters take no modifier here`);
  const tests: Array<{ prefix: DatePrefix; range: Range }> = [];
  for (const raw of rawParts) {
    const value = unescape(raw);
    const head = value.slice(0, 2);
    let prefix: DatePrefix = 'eq';
    let text = value;
    if (/^[a-z]{2}/.test(head)) {
      if (head === 'ap') return fail(`${label}: the 'ap' prefix is not supported`);
      if (!(datePrefixes as readonly string[]).includes(head)) {
        return fail(`${label}: unknown prefix '${head}' in '${value}'`);
      }
      prefix = head as DatePrefix;
      text = value.slice(2);
    }
    const range = parseDateRange(text, true);
    if (!range) {
      return fail(
        `${label}: '${value}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]] with a timezone, after an optional prefix)`,
      );
    }
    tests.push({ prefix, range });
  }
  return {
    param: def.name,
    namedPatients: [],
    matches: (resource) =>
      dateValues(def, resource).some((target) =>
        tests.some((t) => dateMatches(t.prefix, t.range, target)),
      ),
  };
}

function compileString(
  label: string,
  def: SearchParamDef,
  modifier: string | undefined,
  rawParts: string[],
): Compiled {
  if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') {
    return fail(
      `${label}: modifier ':${modifier}' is not supported (supported: :exact, :contains)`,
    );
  }
  const values = rawParts.map(unescape);
  const wanted = values.map(normalizeText);
  let test: (candidate: string) => boolean;
  if (modifier === 'exact') test = (c) => values.includes(c);
  else if (modifier === 'contains') {
    test = (c) => {
      const n = normalizeText(c);
      return wanted.some((w) => n.includes(w));
    };
  } else {
    test = (c) => {
      const n = normalizeText(c);
      return wanted.some((w) => n.startsWith(w));
    };
  }
  return {
    param: def.name,
    namedPatients: [],
    matches: (resource) => stringValues(def, resource).some(test),
  };
}

// ---------------------------------------------------------------------------------------------
// Sorting (R4 search "Sorting (_sort)")

/** A sort key of a resource; undefined values sort last in either direction. */
export function sortValue(
  def: SearchParamDef,
  resource: Json,
  descending: boolean,
): number | string | undefined {
  if (def.kind === 'date') {
    const ranges = dateValues(def, resource);
    if (ranges.length === 0) return undefined;
    // Repeating values: the lowest for ascending, the highest for descending (R4 search, _sort).
    return descending ? Math.max(...ranges.map((r) => r.hi)) : Math.min(...ranges.map((r) => r.lo));
  }
  const strings =
    def.kind === 'string'
      ? stringValues(def, resource).map(normalizeText)
      : tokenValues(def, resource).map((t) => t.code);
  if (strings.length === 0) return undefined;
  strings.sort();
  return descending ? strings[strings.length - 1] : strings[0];
}

export function isSortable(def: SearchParamDef): boolean {
  return def.kind === 'date' || def.kind === 'string' || def.name === '_id';
}
