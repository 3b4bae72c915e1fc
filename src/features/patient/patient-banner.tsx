import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { readInterpreterNeeded, readPreferredLanguage } from '../../clinical/demographics/language';
import { formatHumanName } from './human-name';
import type { CalendarDate } from './patient-demographics';
import {
  ageInYears,
  describeAdministrativeSex,
  formatAge,
  formatCalendarDate,
  parseFhirDate,
  pickBannerIdentifier,
  readDeceased,
} from './patient-demographics';

export interface PatientBannerProps {
  patient: fhir4.Patient;
  today: CalendarDate;
}

interface BannerFacts {
  name: string;
  age: string;
  birthDate: string;
  sex: string;
  identifier: { label: string; value: string };
  deceased: string | undefined;
  language: string;
  /** True only when an interpreter need is recorded as yes. */
  interpreter: boolean;
}

function describeLanguage(patient: fhir4.Patient): string {
  const language = readPreferredLanguage(patient);
  switch (language.status) {
    case 'recorded':
      return language.value.label;
    case 'asked-declined':
      return 'Declined to answer';
    case 'unknown':
      return 'Unknown';
    case 'not-collected':
      return 'Not recorded';
  }
}

function readBannerFacts(patient: fhir4.Patient, today: CalendarDate): BannerFacts {
  const deceased = readDeceased(patient);
  // A deceased patient's age is their age at death, when the date is known.
  const ageOn = deceased.kind === 'deceased' ? (deceased.on ?? today) : today;
  const age = formatAge(ageInYears(patient.birthDate, ageOn));
  const born = parseFhirDate(patient.birthDate);
  const identifier = pickBannerIdentifier(patient.identifier, today);
  return {
    name:
      formatHumanName(patient.name, formatCalendarDate(today), { withPrefix: true }) ??
      'Name not recorded',
    age: deceased.kind === 'deceased' && deceased.on ? `${age} (at death)` : age,
    // Show the date as recorded: a partial birthDate stays partial.
    birthDate: born ? (patient.birthDate ?? '').slice(0, 10) : 'Not recorded',
    sex: describeAdministrativeSex(patient.gender),
    identifier:
      identifier.kind === 'mrn'
        ? { label: 'MRN', value: identifier.value }
        : identifier.kind === 'other'
          ? { label: identifier.label, value: identifier.value }
          : { label: 'MRN', value: 'Not recorded' },
    deceased:
      deceased.kind === 'deceased'
        ? deceased.on
          ? `Deceased ${formatCalendarDate(deceased.on)}`
          : 'Deceased'
        : undefined,
    language: describeLanguage(patient),
    interpreter: (() => {
      const need = readInterpreterNeeded(patient);
      return need.status === 'recorded' && need.value === 'yes';
    })(),
  };
}

function Field({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography component="dt" variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, fontWeight: 500 }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/** The full patient banner, for EHRs that ask the app to show one (`need_patient_banner`). */
export function PatientBanner({ patient, today }: PatientBannerProps) {
  const facts = readBannerFacts(patient, today);
  return (
    <Paper
      component="section"
      aria-label="Patient banner"
      data-testid="patient-banner"
      variant="outlined"
      sx={{ p: 2.5, display: 'flex', flexDirection: 'column', gap: 1.5 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" data-testid="patient-name">
          {facts.name}
        </Typography>
        {facts.deceased ? (
          <Chip
            label={facts.deceased}
            color="default"
            size="small"
            data-testid="patient-deceased"
          />
        ) : null}
        {facts.interpreter ? (
          <Chip
            label="Interpreter needed"
            color="primary"
            size="small"
            data-testid="patient-interpreter"
          />
        ) : null}
      </Box>
      <Box
        component="dl"
        sx={{
          m: 0,
          display: 'grid',
          gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', sm: 'repeat(5, minmax(0, 1fr))' },
          gap: 2,
        }}
      >
        <Field label="Age" value={facts.age} testId="patient-age" />
        <Field label="Date of birth" value={facts.birthDate} testId="patient-birth-date" />
        <Field label="Administrative sex" value={facts.sex} testId="patient-sex" />
        <Field
          label={facts.identifier.label}
          value={facts.identifier.value}
          testId="patient-identifier"
        />
        <Field label="Preferred language" value={facts.language} testId="patient-language" />
      </Box>
    </Paper>
  );
}

/** One line naming the patient, for EHRs that already show their own banner. */
export function PatientContextLine({ patient, today }: PatientBannerProps) {
  const facts = readBannerFacts(patient, today);
  const parts = [
    facts.age,
    facts.sex,
    `Language: ${facts.language}`,
    ...(facts.interpreter ? ['Interpreter needed'] : []),
    ...(facts.deceased ? [facts.deceased] : []),
  ];
  return (
    <Box
      component="section"
      aria-label="Patient in context"
      data-testid="patient-context-line"
      sx={{ display: 'flex', alignItems: 'baseline', gap: 1, flexWrap: 'wrap', px: 0.5 }}
    >
      <Typography component="h1" variant="subtitle1" sx={{ fontWeight: 600 }}>
        {facts.name}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {parts.join(' · ')}
      </Typography>
    </Box>
  );
}
