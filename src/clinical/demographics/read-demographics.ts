// Every demographics reader over one patient's resources, for strata and completeness summaries.

import { DEFAULT_AGE_BANDS, readAgeBand, type AgeBand, type RecordedAge } from './age-band';
import {
  readInterpreterNeeded,
  readPreferredLanguage,
  type InterpreterNeed,
  type PreferredLanguage,
} from './language';
import { readPayer, type PayerPeriod, type ReadPayerOptions, type RecordedPayer } from './payer';
import {
  readEthnicity,
  readRace,
  readSpd15Categories,
  type Ethnicity,
  type Race,
  type Spd15Category,
} from './race-ethnicity';
import type { Reading } from './reading';
import {
  readAdministrativeGender,
  readBirthSex,
  readGenderIdentity,
  readSex,
  readSexualOrientation,
  type AdministrativeGender,
  type RecordedGenderIdentity,
  type RecordedSex,
  type RecordedSexualOrientation,
  type Sex,
} from './sex-gender';
import { readSocialNeed, type RecordedSocialNeed, type ScreeningWindow } from './social-need';

export interface DemographicsInput {
  patient: fhir4.Patient;
  /** The patient's Observations (gender identity, sexual orientation, social-needs screening). */
  observations: readonly fhir4.Observation[];
  coverages: readonly fhir4.Coverage[];
}

export interface DemographicsOptions {
  /** 'YYYY-MM-DD': the date ages are computed at (e.g. the measurement period end). */
  asOf: string;
  /** Payer period (e.g. the measurement period). */
  period: PayerPeriod;
  /** Screening look-back; defaults to `period`. */
  screeningWindow?: ScreeningWindow;
  ageBands?: readonly AgeBand[];
  noCoverage?: ReadPayerOptions['noCoverage'];
}

export interface Demographics {
  race: Reading<Race>;
  ethnicity: Reading<Ethnicity>;
  raceEthnicitySpd15: Reading<Spd15Category[]>;
  birthSex: Reading<Sex>;
  sex: Reading<RecordedSex>;
  administrativeGender: Reading<AdministrativeGender>;
  genderIdentity: Reading<RecordedGenderIdentity>;
  sexualOrientation: Reading<RecordedSexualOrientation>;
  preferredLanguage: Reading<PreferredLanguage>;
  interpreterNeeded: Reading<InterpreterNeed>;
  age: Reading<RecordedAge>;
  payer: Reading<RecordedPayer>;
  socialNeed: Reading<RecordedSocialNeed>;
}

export function readDemographics(
  input: DemographicsInput,
  options: DemographicsOptions,
): Demographics {
  const { patient, observations, coverages } = input;
  const race = readRace(patient);
  const ethnicity = readEthnicity(patient);
  return {
    race,
    ethnicity,
    raceEthnicitySpd15: readSpd15Categories(race, ethnicity),
    birthSex: readBirthSex(patient),
    sex: readSex(patient),
    administrativeGender: readAdministrativeGender(patient),
    genderIdentity: readGenderIdentity(patient, observations),
    sexualOrientation: readSexualOrientation(observations),
    preferredLanguage: readPreferredLanguage(patient),
    interpreterNeeded: readInterpreterNeeded(patient),
    age: readAgeBand(patient, options.asOf, options.ageBands ?? DEFAULT_AGE_BANDS),
    payer: readPayer(coverages, options.period, {
      ...(options.noCoverage === undefined ? {} : { noCoverage: options.noCoverage }),
    }),
    socialNeed: readSocialNeed(observations, options.screeningWindow ?? options.period),
  };
}
