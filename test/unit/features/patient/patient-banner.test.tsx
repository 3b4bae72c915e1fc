import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PatientBanner, PatientContextLine } from '../../../../src/features/patient/patient-banner';
import { deceasedPatient, patientAna } from '../../fhir/fixtures';

const today = { year: 2026, month: 3, day: 15 };

describe('PatientBanner', () => {
  it('labels each fact so it can be read field by field', () => {
    render(<PatientBanner patient={patientAna} today={today} />);
    const banner = screen.getByRole('region', { name: 'Patient banner' });
    const terms = within(banner)
      .getAllByRole('term')
      .map((term) => term.textContent);
    const values = within(banner)
      .getAllByRole('definition')
      .map((value) => value.textContent);
    expect(terms).toEqual([
      'Age',
      'Date of birth',
      'Administrative sex',
      'MRN',
      'Preferred language',
    ]);
    expect(values).toEqual(['57 years', '1968-07-21', 'Female', 'MRN-004417', 'Not recorded']);
  });

  it('marks a deceased patient and gives the age at death', () => {
    render(<PatientBanner patient={deceasedPatient} today={today} />);
    expect(screen.getByTestId('patient-deceased').textContent).toBe('Deceased 2021-06-02');
    expect(screen.getByTestId('patient-age').textContent).toBe('81 years (at death)');
  });

  it('says what is missing instead of leaving blanks', () => {
    render(<PatientBanner patient={{ resourceType: 'Patient', id: 'bare' }} today={today} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Name not recorded');
    expect(screen.getByTestId('patient-age').textContent).toBe('Unknown');
    expect(screen.getByTestId('patient-birth-date').textContent).toBe('Not recorded');
    expect(screen.getByTestId('patient-sex').textContent).toBe('Not recorded');
    expect(screen.getByTestId('patient-identifier').textContent).toBe('Not recorded');
    expect(screen.queryByTestId('patient-deceased')).toBeNull();
  });
});

describe('PatientContextLine', () => {
  it('names the patient on one line for EHRs that show their own banner', () => {
    render(<PatientContextLine patient={deceasedPatient} today={today} />);
    const line = screen.getByRole('region', { name: 'Patient in context' });
    expect(within(line).getByRole('heading', { level: 1 }).textContent).toBe('Chidi Okafor');
    expect(line.textContent).toContain(
      '81 years (at death) · Male · Language: Not recorded · Deceased 2021-06-02',
    );
  });

  it('adds the preferred language and flags an interpreter need', () => {
    const patient: fhir4.Patient = {
      ...deceasedPatient,
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'vi' }] } }],
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
          valueBoolean: true,
        },
      ],
    };
    render(<PatientContextLine patient={patient} today={today} />);
    expect(screen.getByRole('region', { name: 'Patient in context' }).textContent).toContain(
      'Language: Vietnamese · Interpreter needed',
    );
  });
});

describe('PatientBanner language', () => {
  it('shows the preferred language and an interpreter chip only when one is needed', () => {
    const base: fhir4.Patient = {
      ...patientAna,
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'es-MX' }] } }],
    };
    const { unmount } = render(<PatientBanner patient={base} today={today} />);
    expect(screen.getByTestId('patient-language').textContent).toBe('Spanish');
    expect(screen.queryByTestId('patient-interpreter')).toBeNull();
    unmount();
    render(
      <PatientBanner
        patient={{
          ...base,
          extension: [
            {
              url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-interpreter-needed',
              valueCoding: { system: 'http://snomed.info/sct', code: '373066001' },
            },
          ],
        }}
        today={today}
      />,
    );
    expect(screen.getByTestId('patient-interpreter').textContent).toBe('Interpreter needed');
  });
});
