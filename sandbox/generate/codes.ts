// Code constants for the synthetic population, each with its source. Codes that a measure reads
// carry the eCQM value set they were taken from (`valueSet`): the codes were copied from the
// 2026 expansions in /work/shared/data/ecqm-2026/<measure>/valuesets.json, and a unit test checks
// that each one is still in that expansion, so the measure engine will put generated patients in
// its populations. SDOH codes follow ../shared/reference/sdoh.md §2 (Gravity SDOHCC IG 2.3.0).

export interface Code {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Where a measure-relevant code comes from: the value set's name, OID and the measure folder. */
export interface ValueSetSource {
  readonly name: string;
  readonly oid: string;
  readonly measure: string;
}

export interface ValueSetCode extends Code {
  readonly valueSet: ValueSetSource;
}

// ---------------------------------------------------------------- code systems
export const SYS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  cdcRace: 'urn:oid:2.16.840.1.113883.6.238',
  nullFlavor: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
  bcp47: 'urn:ietf:bcp:47',
  /** Source of Payment Typology, by its OID (as the brief and PHDSC publish it). */
  sopt: 'urn:oid:2.16.840.1.113883.3.221.5',
  /** The same typology under the URL the eCQM Payer Type value set (2.16.840.1.114222.4.11.3591) expands to. */
  soptNahdo: 'https://nahdo.org/sopt',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  usCoreCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  v20092: 'http://terminology.hl7.org/CodeSystem/v2-0092',
  v20203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
  sdohcc: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
  orgType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  /** 2.16.840.1.113883.19 is HL7's OID arc reserved for examples; .5.1 is our fictional clinic's MRN space. */
  clinicMrn: 'urn:oid:2.16.840.1.113883.19.5.1',
} as const;

export const EXT = {
  race: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
  ethnicity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
  birthSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
  /** US Core 6.1–8.0 (valueCode); deprecated by us-core-individual-sex in 8.0.1 (equity.md §3). */
  sex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex',
  individualSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex',
  genderIdentity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity',
  /** US Core 8.0+ (valueCoding); before that servers use the core boolean extension below. */
  interpreterNeeded: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-interpreter-needed',
  interpreterRequired: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
  dataAbsentReason: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
} as const;

const vs = (name: string, oid: string, measure: string): ValueSetSource => ({ name, oid, measure });
const CMS122 = 'CMS122FHIRDiabetesAssessGreaterThan9Percent';
const CMS125 = 'CMS125FHIRBreastCancerScreening';
const CMS130 = 'CMS130FHIRColorectalCancerScreening';
const CMS165 = 'CMS165FHIRControllingHighBloodPressure';
const CMS2 = 'CMS2FHIRPCSDepressionScreenAndFollowUp';

export const VS = {
  officeVisit: vs('Office Visit', '2.16.840.1.113883.3.464.1003.101.12.1001', CMS122),
  preventiveEstablished18: vs(
    'Preventive Care Services Established Office Visit, 18 and Up',
    '2.16.840.1.113883.3.464.1003.101.12.1025',
    CMS122,
  ),
  preventiveInitial18: vs(
    'Preventive Care Services Initial Office Visit, 18 and Up',
    '2.16.840.1.113883.3.464.1003.101.12.1023',
    CMS122,
  ),
  telephoneVisits: vs('Telephone Visits', '2.16.840.1.113883.3.464.1003.101.12.1080', CMS122),
  encounterInpatient: vs('Encounter Inpatient', '2.16.840.1.113883.3.666.5.307', CMS165),
  edVisit: vs(
    'Emergency Department Evaluation and Management Visit',
    '2.16.840.1.113883.3.464.1003.101.12.1010',
    CMS165,
  ),
  diabetes: vs('Diabetes', '2.16.840.1.113883.3.464.1003.103.12.1001', CMS122),
  hba1c: vs('HbA1c Laboratory Test', '2.16.840.1.113883.3.464.1003.198.12.1013', CMS122),
  essentialHypertension: vs(
    'Essential Hypertension',
    '2.16.840.1.113883.3.464.1003.104.12.1011',
    CMS165,
  ),
  mammography: vs('Mammography', '2.16.840.1.113883.3.464.1003.108.12.1018', CMS125),
  colonoscopy: vs('Colonoscopy', '2.16.840.1.113883.3.464.1003.108.12.1020', CMS130),
  fobt: vs('Fecal Occult Blood Test (FOBT)', '2.16.840.1.113883.3.464.1003.198.12.1011', CMS130),
  depressionEncounter: vs(
    'Encounter to Screen for Depression',
    '2.16.840.1.113883.3.600.1916',
    CMS2,
  ),
  followUpAdultDepression: vs(
    'Follow Up for Adult Depression',
    '2.16.840.1.113883.3.526.3.1568',
    CMS2,
  ),
  dementiaMedications: vs(
    'Dementia Medications',
    '2.16.840.1.113883.3.464.1003.196.12.1510',
    CMS130,
  ),
  payerType: vs('Payer Type', '2.16.840.1.114222.4.11.3591', CMS122),
  race: vs('Race', '2.16.840.1.114222.4.11.836', CMS122),
  ethnicity: vs('Ethnicity', '2.16.840.1.114222.4.11.837', CMS122),
} as const;

const inVs = (
  valueSet: ValueSetSource,
  system: string,
  code: string,
  display: string,
): ValueSetCode => ({
  system,
  code,
  display,
  valueSet,
});

// ---------------------------------------------------------------- encounters
// Office visits: CPT E/M codes from Office Visit (…101.12.1001); adult preventive visits from
// …101.12.1025 (established, by age band 18–39/40–64/65+). All of 99213/99214/99395–99397 are
// also in CMS2's Encounter to Screen for Depression (2.16.840.1.113883.3.600.1916).
export const ENCOUNTER = {
  office99213: inVs(
    VS.officeVisit,
    SYS.cpt,
    '99213',
    'Office or other outpatient visit, established patient, low MDM',
  ),
  office99214: inVs(
    VS.officeVisit,
    SYS.cpt,
    '99214',
    'Office or other outpatient visit, established patient, moderate MDM',
  ),
  office99203: inVs(
    VS.officeVisit,
    SYS.cpt,
    '99203',
    'Office or other outpatient visit, new patient, low MDM',
  ),
  pediatricOffice: inVs(
    VS.officeVisit,
    SYS.snomed,
    '3391000175108',
    'Office visit for pediatric care and assessment (procedure)',
  ),
  preventive18to39: inVs(
    VS.preventiveEstablished18,
    SYS.cpt,
    '99395',
    'Periodic preventive medicine, established patient, 18-39 years',
  ),
  preventive40to64: inVs(
    VS.preventiveEstablished18,
    SYS.cpt,
    '99396',
    'Periodic preventive medicine, established patient, 40-64 years',
  ),
  preventive65up: inVs(
    VS.preventiveEstablished18,
    SYS.cpt,
    '99397',
    'Periodic preventive medicine, established patient, 65 years and older',
  ),
  telephone: inVs(VS.telephoneVisits, SYS.snomed, '185317003', 'Telephone encounter (procedure)'),
  edVisit99284: inVs(VS.edVisit, SYS.cpt, '99284', 'Emergency department visit, moderate MDM'),
  edVisitSnomed: inVs(
    VS.edVisit,
    SYS.snomed,
    '4525004',
    'Emergency department patient visit (procedure)',
  ),
  emergencyAdmission: inVs(
    VS.encounterInpatient,
    SYS.snomed,
    '183452005',
    'Emergency hospital admission (procedure)',
  ),
  hospitalAdmission: inVs(
    VS.encounterInpatient,
    SYS.snomed,
    '32485007',
    'Hospital admission (procedure)',
  ),
} as const;

/** Encounter.class (v3 ActCode, the R4 binding). */
export const ENCOUNTER_CLASS = {
  AMB: { system: SYS.actCode, code: 'AMB', display: 'ambulatory' },
  EMER: { system: SYS.actCode, code: 'EMER', display: 'emergency' },
  IMP: { system: SYS.actCode, code: 'IMP', display: 'inpatient encounter' },
  VR: { system: SYS.actCode, code: 'VR', display: 'virtual' },
} as const satisfies Record<string, Code>;

/** Reasons for the synthetic hospital stays (SNOMED CT clinical findings; not measure-relevant). */
export const ADMISSION_REASONS: readonly Code[] = [
  { system: SYS.snomed, code: '233604007', display: 'Pneumonia (disorder)' },
  { system: SYS.snomed, code: '84114007', display: 'Heart failure (disorder)' },
  {
    system: SYS.snomed,
    code: '195951007',
    display: 'Acute exacerbation of chronic obstructive airways disease (disorder)',
  },
  { system: SYS.snomed, code: '91302008', display: 'Sepsis (disorder)' },
  { system: SYS.snomed, code: '128045006', display: 'Cellulitis (disorder)' },
];

// ---------------------------------------------------------------- conditions
// Diabetes (…103.12.1001): SNOMED + ICD-10-CM pair per condition, both in the expansion.
export const CONDITION = {
  diabetesT2: inVs(VS.diabetes, SYS.snomed, '44054006', 'Diabetes mellitus type 2 (disorder)'),
  diabetesT2Icd: inVs(
    VS.diabetes,
    SYS.icd10cm,
    'E11.9',
    'Type 2 diabetes mellitus without complications',
  ),
  diabetesT2HyperIcd: inVs(
    VS.diabetes,
    SYS.icd10cm,
    'E11.65',
    'Type 2 diabetes mellitus with hyperglycemia',
  ),
  // Essential Hypertension (…104.12.1011).
  hypertension: inVs(
    VS.essentialHypertension,
    SYS.snomed,
    '59621000',
    'Essential hypertension (disorder)',
  ),
  hypertensionIcd: inVs(
    VS.essentialHypertension,
    SYS.icd10cm,
    'I10',
    'Essential (primary) hypertension',
  ),
  // Depression: no measure in scope reads a depression diagnosis; SNOMED CT + ICD-10-CM FY2022+.
  depression: { system: SYS.snomed, code: '35489007', display: 'Depressive disorder (disorder)' },
  depressionIcd: { system: SYS.icd10cm, code: 'F32.A', display: 'Depression, unspecified' },
  // SDOH conditions: sdoh.md §2 domain table / SDOHCC IG 2.3.0 examples.
  foodInsecurity: { system: SYS.snomed, code: '733423003', display: 'Food insecurity (finding)' },
  foodInsecurityIcd: { system: SYS.icd10cm, code: 'Z59.41', display: 'Food insecurity' },
  transportInsecurity: {
    system: SYS.snomed,
    code: '713458007',
    display: 'Lack of access to transportation (finding)',
  },
  transportInsecurityIcd: {
    system: SYS.icd10cm,
    code: 'Z59.82',
    display: 'Transportation insecurity',
  },
} as const;

// ---------------------------------------------------------------- observations
export const OBS = {
  // HbA1c Laboratory Test (…198.12.1013).
  hba1c: inVs(VS.hba1c, SYS.loinc, '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
  // Blood pressure: US Core / QI-Core BP profile (LOINC 85354-9 panel) with the two components CMS165 reads.
  bpPanel: {
    system: SYS.loinc,
    code: '85354-9',
    display: 'Blood pressure panel with all children optional',
  },
  systolic: { system: SYS.loinc, code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { system: SYS.loinc, code: '8462-4', display: 'Diastolic blood pressure' },
  // Mammography (…108.12.1018); CMS125 reads it as an ObservationClinicalResult with category imaging.
  mammogramScreening: inVs(VS.mammography, SYS.loinc, '24606-6', 'MG Breast Screening'),
  mammogramBilateral: inVs(VS.mammography, SYS.loinc, '26175-0', 'MG Breast - bilateral Screening'),
  mammogramTomo: inVs(VS.mammography, SYS.loinc, '72142-3', 'DBT Breast - bilateral screening'),
  // FOBT (…198.12.1011), a LaboratoryResultObservation in CMS130.
  fit: inVs(
    VS.fobt,
    SYS.loinc,
    '29771-3',
    'Hemoglobin.gastrointestinal.lower [Presence] in Stool by Immunoassay',
  ),
  // CMS2 direct-reference codes (CMS2FHIRPCSDepressionScreenAndFollowUp.cql `code` declarations).
  adultDepressionScreen: {
    system: SYS.loinc,
    code: '73832-8',
    display: 'Adult depression screening assessment',
  },
  adolescentDepressionScreen: {
    system: SYS.loinc,
    code: '73831-0',
    display: 'Adolescent depression screening assessment',
  },
  // PHQ instrument totals (LOINC), kept as the evidence the CMS2 assessment is derived from.
  phq2Total: {
    system: SYS.loinc,
    code: '55758-7',
    display: 'Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]',
  },
  phq9Total: {
    system: SYS.loinc,
    code: '44261-6',
    display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
  },
  // US Core SOGI observations (equity.md §3).
  sexualOrientation: { system: SYS.loinc, code: '76690-7', display: 'Sexual orientation' },
  genderIdentity: { system: SYS.loinc, code: '76691-5', display: 'Gender identity' },
} as const;

/** CMS2 result codes (same CQL file). */
export const DEPRESSION_RESULT = {
  positive: {
    system: SYS.snomed,
    code: '428181000124104',
    display: 'Depression screening positive (finding)',
  },
  negative: {
    system: SYS.snomed,
    code: '428171000124102',
    display: 'Depression screening negative (finding)',
  },
} as const;

export const FIT_NEGATIVE: Code = {
  system: SYS.snomed,
  code: '260385009',
  display: 'Negative (qualifier value)',
};

// ---------------------------------------------------------------- procedures
export const PROCEDURE = {
  // Colonoscopy (…108.12.1020): both codes are in the expansion; CMS130 reads Procedure.
  colonoscopy: inVs(VS.colonoscopy, SYS.snomed, '73761001', 'Colonoscopy (procedure)'),
  colonoscopyCpt: inVs(VS.colonoscopy, SYS.cpt, '45378', 'Colonoscopy, flexible; diagnostic'),
  // Follow Up for Adult Depression (2.16.840.1.113883.3.526.3.1568); also in the adolescent set (…3.1569).
  depressionCareManagement: inVs(
    VS.followUpAdultDepression,
    SYS.snomed,
    '768835002',
    'Depression care management (procedure)',
  ),
} as const;

// ---------------------------------------------------------------- medications
// Dementia Medications (2.16.840.1.113883.3.464.1003.196.12.1510, RxNorm), as the eCQM library
// AdvancedIllnessandFrailty reads it: an active order whose CumulativeMedicationDuration period
// overlaps the measurement period or the year before counts towards the "advanced illness and
// frailty" exclusion of CMS122/125/130/165, for patients 66+ who also show frailty.
export const MEDICATION = {
  donepezil5: inVs(
    VS.dementiaMedications,
    SYS.rxnorm,
    '997229',
    'donepezil hydrochloride 5 MG Oral Tablet',
  ),
  donepezil10: inVs(
    VS.dementiaMedications,
    SYS.rxnorm,
    '997223',
    'donepezil hydrochloride 10 MG Oral Tablet',
  ),
  memantine5: inVs(
    VS.dementiaMedications,
    SYS.rxnorm,
    '996571',
    'memantine hydrochloride 5 MG Oral Tablet',
  ),
  memantine10: inVs(
    VS.dementiaMedications,
    SYS.rxnorm,
    '996561',
    'memantine hydrochloride 10 MG Oral Tablet',
  ),
  rivastigmine3: inVs(
    VS.dementiaMedications,
    SYS.rxnorm,
    '312835',
    'rivastigmine 3 MG Oral Capsule',
  ),
  galantamine8: inVs(VS.dementiaMedications, SYS.rxnorm, '310437', 'galantamine 8 MG Oral Tablet'),
} as const;

// ---------------------------------------------------------------- demographics (US Core, equity.md §3)
export const OMB_RACE = {
  aian: { system: SYS.cdcRace, code: '1002-5', display: 'American Indian or Alaska Native' },
  asian: { system: SYS.cdcRace, code: '2028-9', display: 'Asian' },
  black: { system: SYS.cdcRace, code: '2054-5', display: 'Black or African American' },
  nhpi: {
    system: SYS.cdcRace,
    code: '2076-8',
    display: 'Native Hawaiian or Other Pacific Islander',
  },
  white: { system: SYS.cdcRace, code: '2106-3', display: 'White' },
  other: { system: SYS.cdcRace, code: '2131-1', display: 'Other Race' },
} as const satisfies Record<string, Code>;

/** CDC Race & Ethnicity detailed codes (urn:oid:2.16.840.1.113883.6.238). MENA codes sit under White. */
export const DETAILED_RACE = {
  africanAmerican: { system: SYS.cdcRace, code: '2058-6', display: 'African American' },
  african: { system: SYS.cdcRace, code: '2060-2', display: 'African' },
  asianIndian: { system: SYS.cdcRace, code: '2029-7', display: 'Asian Indian' },
  chinese: { system: SYS.cdcRace, code: '2034-7', display: 'Chinese' },
  filipino: { system: SYS.cdcRace, code: '2036-2', display: 'Filipino' },
  korean: { system: SYS.cdcRace, code: '2040-4', display: 'Korean' },
  vietnamese: { system: SYS.cdcRace, code: '2047-9', display: 'Vietnamese' },
  nativeHawaiian: { system: SYS.cdcRace, code: '2079-2', display: 'Native Hawaiian' },
  samoan: { system: SYS.cdcRace, code: '2080-0', display: 'Samoan' },
  mena: { system: SYS.cdcRace, code: '2118-8', display: 'Middle Eastern or North African' },
  egyptian: { system: SYS.cdcRace, code: '2120-4', display: 'Egyptian' },
  iranian: { system: SYS.cdcRace, code: '2121-2', display: 'Iranian' },
  lebanese: { system: SYS.cdcRace, code: '2123-8', display: 'Lebanese' },
} as const satisfies Record<string, Code>;

export const OMB_ETHNICITY = {
  hispanic: { system: SYS.cdcRace, code: '2135-2', display: 'Hispanic or Latino' },
  notHispanic: { system: SYS.cdcRace, code: '2186-5', display: 'Not Hispanic or Latino' },
} as const satisfies Record<string, Code>;

export const DETAILED_ETHNICITY = {
  mexican: { system: SYS.cdcRace, code: '2148-5', display: 'Mexican' },
  puertoRican: { system: SYS.cdcRace, code: '2180-8', display: 'Puerto Rican' },
  cuban: { system: SYS.cdcRace, code: '2182-4', display: 'Cuban' },
  dominican: { system: SYS.cdcRace, code: '2184-0', display: 'Dominican' },
  salvadoran: { system: SYS.cdcRace, code: '2161-8', display: 'Salvadoran' },
} as const satisfies Record<string, Code>;

/** v3 NullFlavor: ASKU/UNK must stand alone in the race extension (US Core invariant us-core-23). */
export const NULL_FLAVOR = {
  ASKU: { system: SYS.nullFlavor, code: 'ASKU', display: 'asked but unknown' },
  UNK: { system: SYS.nullFlavor, code: 'UNK', display: 'unknown' },
  OTH: { system: SYS.nullFlavor, code: 'OTH', display: 'other' },
} as const satisfies Record<string, Code>;

/** us-core-sex (valueCode) and us-core-individual-sex (valueCoding): SNOMED CT, VSAC 2.16.840.1.113762.1.4.1240.3. */
export const SEX = {
  female: { system: SYS.snomed, code: '248152002', display: 'Female (finding)' },
  male: { system: SYS.snomed, code: '248153007', display: 'Male (finding)' },
} as const satisfies Record<string, Code>;

/** Gender identity, VSAC 2.16.840.1.113762.1.4.1021.32 (SNOMED CT). */
export const GENDER_IDENTITY = {
  female: {
    system: SYS.snomed,
    code: '446141000124107',
    display: 'Identifies as female gender (finding)',
  },
  male: {
    system: SYS.snomed,
    code: '446151000124109',
    display: 'Identifies as male gender (finding)',
  },
  nonbinary: {
    system: SYS.snomed,
    code: '33791000087105',
    display: 'Identifies as nonbinary gender (finding)',
  },
} as const satisfies Record<string, Code>;

/** Sexual orientation answers as in US Core 6.1 (equity.md §3). */
export const SEXUAL_ORIENTATION = {
  heterosexual: { system: SYS.snomed, code: '20430005', display: 'Heterosexual (finding)' },
  homosexual: { system: SYS.snomed, code: '38628009', display: 'Homosexual (finding)' },
  bisexual: { system: SYS.snomed, code: '42035005', display: 'Bisexual (finding)' },
} as const satisfies Record<string, Code>;

/**
 * Interpreter needed (US Core 8.0 us-core-interpreter-needed, VSAC 2.16.840.1.113762.1.4.1267.16
 * "Yes/No/Unknown"). SNOMED CT qualifier values as in the US Core example; *(unverified against the
 * current VSAC expansion)*.
 */
export const INTERPRETER = {
  yes: { system: SYS.snomed, code: '373066001', display: 'Yes (qualifier value)' },
  no: { system: SYS.snomed, code: '373067005', display: 'No (qualifier value)' },
} as const satisfies Record<string, Code>;

export const ASKED_DECLINED: Code = {
  system: SYS.dataAbsentReason,
  code: 'asked-declined',
  display: 'Asked But Declined',
};

// ---------------------------------------------------------------- payers (Source of Payment Typology)
// Every code below is in the eCQM Payer Type value set (2.16.840.1.114222.4.11.3591); the first
// digit is the typology's top level (1 Medicare, 2 Medicaid, 5 private, 8 no payment).
export type PayerKind = 'medicare' | 'medicaid' | 'commercial' | 'uninsured';
export const PAYER_SOPT: Readonly<Record<PayerKind, readonly { code: string; display: string }[]>> =
  {
    medicare: [
      { code: '1', display: 'MEDICARE' },
      { code: '11', display: 'Medicare Managed Care (Includes Medicare Advantage Plans)' },
    ],
    medicaid: [
      { code: '2', display: 'MEDICAID' },
      { code: '21', display: 'Medicaid (Managed Care)' },
    ],
    commercial: [
      { code: '5', display: 'PRIVATE HEALTH INSURANCE' },
      { code: '511', display: 'Commercial Managed Care - HMO' },
      { code: '512', display: 'Commercial Managed Care - PPO' },
    ],
    uninsured: [
      {
        code: '81',
        display: 'Self-pay (Includes applicants for insurance and Medicaid applicants)',
      },
    ],
  };

// ---------------------------------------------------------------- referrals (sdoh.md §2, SDOHCC IG 2.3.0)
export const SOCIAL_SERVICE_PROCEDURE: Code = {
  system: SYS.snomed,
  code: '410606002',
  display: 'Social service procedure (procedure)',
};

export const TASK_FULFILL: Code = {
  system: SYS.taskCode,
  code: 'fulfill',
  display: 'Fulfill the focal request',
};
