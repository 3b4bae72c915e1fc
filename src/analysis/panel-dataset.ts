// The panel as the dashboard keeps it: FHIR resources stream in (any order, any mix of patients)
// and are read at once into ONE compact record per patient (the eCQM engine's record builder),
// the few resources the demographic strata read (./demographic-strata), and a slim directory
// entry for drill-down lists. The raw resources are never kept: memory is bounded by the records.

import { createPatientRecordBuilder } from '../clinical/build-patient-records';
import type { CodeKey, PatientRecord, ValueSetRegistry } from '../clinical/patient-record';
import { CROSS_DOMAIN_INTERVENTION_CODES, INTERVENTION_CODES } from '../clinical/sdoh-screening';
import { SCREENING_QUESTIONS } from '../clinical/sdoh-screening';
import {
  GENDER_IDENTITY_LOINC,
  SEXUAL_ORIENTATION_LOINC,
} from '../clinical/demographics/sex-gender';
import { acceptsCodesIn } from '../clinical/value-set-registry';
import type { StratificationFacts } from '../measures/measure-report';
import { MEASURE_DIRECT_CODES } from '../measures/value-sets';
import {
  DemographicStrata,
  type CollectedStratifierId,
  type DemographicInput,
} from './demographic-strata';
import { patientOnlyStrata, stratificationFactsOfRecord, type PanelStratum } from './panel-strata';
import type { PanelStratifierId } from './panel-view-model';

const LOINC = 'http://loinc.org|';
const SNOMED = 'http://snomed.info/sct|';

/**
 * Codes the panel's own measures and stratifiers read besides the eCQMs' value sets and direct
 * codes (which `acceptsCodesIn` already covers):
 * - social-needs screening questions (src/clinical/sdoh-screening.ts SCREENING_QUESTIONS), read by
 *   SDOH-1, SDOH-2 and SNS-E from Observation.code (the answers are values, never filtered);
 * - sexual orientation 76690-7 and gender identity 76691-5 (the completeness measure);
 * - the SNS-E intervention codes (ServiceRequest is never filtered; Procedure is).
 * Blood-pressure panels are kept by the builder whatever their code.
 */
export const PANEL_DIRECT_CODES: readonly CodeKey[] = [
  ...[...SCREENING_QUESTIONS.keys()].map((loinc) => `${LOINC}${loinc}`),
  `${LOINC}${SEXUAL_ORIENTATION_LOINC}`,
  `${LOINC}${GENDER_IDENTITY_LOINC}`,
  ...Object.values(INTERVENTION_CODES).flatMap((codes) => codes.map((c) => `${SNOMED}${c}`)),
  ...CROSS_DOMAIN_INTERVENTION_CODES.map((c) => `${SNOMED}${c}`),
];

/** The record builder's filter for the panel: every code some panel measure can read. */
export function panelKeepCodes(
  valueSets: ValueSetRegistry,
): (codes: readonly CodeKey[]) => boolean {
  return acceptsCodesIn(valueSets, [...MEASURE_DIRECT_CODES, ...PANEL_DIRECT_CODES]);
}

/** A patient as drill-down lists show them. */
export interface PatientDirectoryEntry {
  id: string;
  /** "Given Family" from the official (else first) name, or the name's text; '' when none. */
  name: string;
  /** Medical record number: the identifier typed v2-0203 MR. */
  mrn: string | undefined;
  birthDate: string | undefined;
  /** deceasedDateTime, `true` for deceasedBoolean, else false. */
  deceased: string | boolean;
}

export interface DatasetPatient {
  id: string;
  record: PatientRecord;
  facts: StratificationFacts;
  demographics: DemographicInput;
  /** The Patient-only strata, read when the Patient arrived (panel-strata patientOnlyStrata). */
  knownStrata: ReadonlyMap<PanelStratifierId, PanelStratum>;
  entry: PatientDirectoryEntry;
}

export interface PanelDataset {
  /** Patients in the order their Patient resource was first seen. */
  readonly patients: readonly DatasetPatient[];
  readonly valueSets: ValueSetRegistry;
  /** Resources added (Bundle entries counted one by one). */
  readonly resources: number;
  /** Record shells built from resources whose Patient never arrived: left out of the panel. */
  readonly withoutPatient: number;
}

export interface PanelDatasetBuilder {
  /** Adds a resource (or a Bundle of them); the caller may drop it right after. */
  add(resource: unknown): void;
  /** `Medication/<id>` references still unanswered (fetch each once and `add` it). */
  unresolvedMedicationReferences(): string[];
  /** Builds the records; the builder is finished after this. */
  finish(): PanelDataset;
}

export interface PanelDatasetOptions {
  /**
   * `panel` (default): keep only facts coded in a value set or code a panel measure reads.
   * `everything`: keep every fact (tests prove the filter changes no result).
   */
  keep?: 'panel' | 'everything';
}

/** Every stratifier read from collected resources. */
const COLLECTED: readonly CollectedStratifierId[] = [
  'race',
  'ethnicity',
  'spd15',
  'language',
  'interpreter',
  'sex',
  'sexual-orientation',
  'gender-identity',
  'payer',
  'social-need',
];

const MRN_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function displayName(patient: fhir4.Patient): string {
  const names = patient.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (name === undefined) return '';
  const parts = [...(name.given ?? []), ...(name.family === undefined ? [] : [name.family])];
  return parts.length > 0 ? parts.join(' ') : (name.text ?? '');
}

function directoryEntry(patient: fhir4.Patient, id: string): PatientDirectoryEntry {
  const mrn = patient.identifier?.find((i) =>
    i.type?.coding?.some((c) => c.system === MRN_SYSTEM && c.code === 'MR'),
  )?.value;
  return {
    id,
    name: displayName(patient),
    mrn,
    birthDate: patient.birthDate,
    deceased: patient.deceasedDateTime ?? patient.deceasedBoolean ?? false,
  };
}

const PATIENT_LINKS = ['subject', 'patient', 'beneficiary', 'for'] as const;

/** The id after `Patient/` (relative or absolute, a version dropped), or a Bundle alias. */
function patientOfReference(
  reference: string,
  aliases: ReadonlyMap<string, string>,
): string | undefined {
  const alias = aliases.get(reference);
  if (alias !== undefined) return alias;
  const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match?.[1];
}

function patientIdOf(
  resource: fhir4.FhirResource,
  aliases: ReadonlyMap<string, string>,
): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const record = resource as unknown as Record<string, unknown>;
  for (const key of PATIENT_LINKS) {
    const link = record[key];
    const reference = isObject(link) ? link.reference : undefined;
    if (typeof reference !== 'string') continue;
    const id = patientOfReference(reference, aliases);
    if (id !== undefined) return id;
  }
  return undefined;
}

export function createPanelDatasetBuilder(
  valueSets: ValueSetRegistry,
  options: PanelDatasetOptions = {},
): PanelDatasetBuilder {
  const records = createPatientRecordBuilder(
    (options.keep ?? 'panel') === 'panel' ? { keepCodes: panelKeepCodes(valueSets) } : {},
  );
  // Payer and social need are read per measurement period later: the period here is unused.
  const demographics = new DemographicStrata(COLLECTED, {
    period: { start: '0001-01-01', end: '9999-12-31' },
  });
  const directory = new Map<string, PatientDirectoryEntry>();
  const knownStrata = new Map<string, ReadonlyMap<PanelStratifierId, PanelStratum>>();
  /** Bundle fullUrls of Patients → Patient.id (Synthea's urn:uuid references). */
  const aliases = new Map<string, string>();
  let resources = 0;
  let finished = false;

  const read = (resource: fhir4.FhirResource) => {
    resources += 1;
    const patientId = patientIdOf(resource, aliases);
    demographics.collect(resource, patientId);
    if (
      resource.resourceType === 'Patient' &&
      patientId !== undefined &&
      !directory.has(patientId)
    ) {
      directory.set(patientId, directoryEntry(resource, patientId));
      // Read now, while later pages are still on their way, not after the last one.
      knownStrata.set(patientId, patientOnlyStrata(demographics.inputOf(patientId)));
    }
  };

  return {
    add(input) {
      if (finished) throw new Error('the panel dataset is already built');
      if (!isObject(input) || typeof input.resourceType !== 'string') return;
      if (input.resourceType === 'Bundle') {
        const entries = Array.isArray(input.entry) ? input.entry : [];
        for (const entry of entries) {
          if (!isObject(entry) || !isObject(entry.resource)) continue;
          const resource = entry.resource as unknown as fhir4.FhirResource;
          if (
            resource.resourceType === 'Patient' &&
            typeof entry.fullUrl === 'string' &&
            resource.id !== undefined
          )
            aliases.set(entry.fullUrl, resource.id);
          read(resource);
        }
      } else read(input as unknown as fhir4.FhirResource);
      records.add(input);
    },
    unresolvedMedicationReferences: () => records.unresolvedMedicationReferences(),
    finish() {
      finished = true;
      const built = records.build();
      const patients: DatasetPatient[] = [];
      let withoutPatient = 0;
      for (const record of built) {
        const entry = directory.get(record.id);
        if (entry === undefined) {
          withoutPatient += 1;
          continue;
        }
        patients.push({
          id: record.id,
          record,
          facts: stratificationFactsOfRecord(record),
          demographics: demographics.inputOf(record.id),
          knownStrata: knownStrata.get(record.id) ?? new Map(),
          entry,
        });
      }
      return { patients, valueSets, resources, withoutPatient };
    },
  };
}
