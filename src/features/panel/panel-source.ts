// From the source the user picked to the loader's `PanelSource`: ids come from the signed-in user
// and the Group / List fields, "seen by me" looks back 24 months from today (issue 7 §3).

import type { FhirUserRef } from '../../fhir/fhir-session';
import type { PanelSource } from '../../fhir/rest/panel-load-types';
import type { CalendarDate } from '../patient/patient-demographics';
import type { SourceChoice } from './panel-url-state';

/** YYYY-MM-DD of a calendar date. */
export function isoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The same day 24 months earlier (the last day of the month when that day does not exist). */
export function monthsBefore(date: CalendarDate, months: number): CalendarDate {
  const total = date.year * 12 + (date.month - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, lastDay) };
}

export const SEEN_BY_ME_MONTHS = 24;

export type ResolvedSource =
  | { kind: 'ready'; source: PanelSource; description: string }
  | { kind: 'needs-input'; message: string };

function practitionerId(user: FhirUserRef | undefined): string | undefined {
  return user?.resourceType === 'Practitioner' ? user.id : undefined;
}

/** Whether a source can be offered to this user at all (the first two need a Practitioner). */
export function sourceAvailable(
  kind: SourceChoice['kind'],
  user: FhirUserRef | undefined,
): boolean {
  return kind === 'my-patients' || kind === 'seen-by-me'
    ? practitionerId(user) !== undefined
    : true;
}

export function sourceLabel(kind: SourceChoice['kind']): string {
  switch (kind) {
    case 'my-patients':
      return 'My patients';
    case 'seen-by-me':
      return `Patients I saw in the last ${SEEN_BY_ME_MONTHS} months`;
    case 'group':
      return 'A Group';
    case 'list':
      return 'A List';
    case 'all':
      return 'All patients I can see';
  }
}

export function resolveSource(
  choice: SourceChoice,
  user: FhirUserRef | undefined,
  today: CalendarDate,
): ResolvedSource {
  const practitioner = practitionerId(user);
  switch (choice.kind) {
    case 'my-patients':
      return practitioner === undefined
        ? { kind: 'needs-input', message: 'Only a signed-in practitioner has "my patients".' }
        : {
            kind: 'ready',
            source: { kind: 'my-patients', practitionerId: practitioner },
            description: 'your patients (you are their general practitioner)',
          };
    case 'seen-by-me': {
      if (practitioner === undefined) {
        return { kind: 'needs-input', message: 'Only a signed-in practitioner has visits.' };
      }
      const since = isoDate(monthsBefore(today, SEEN_BY_ME_MONTHS));
      return {
        kind: 'ready',
        source: { kind: 'seen-by-me', practitionerId: practitioner, since },
        description: `patients you saw since ${since}`,
      };
    }
    case 'group':
      return choice.groupId === undefined
        ? { kind: 'needs-input', message: 'Enter the Group id.' }
        : {
            kind: 'ready',
            source: { kind: 'group', groupId: choice.groupId },
            description: `the members of Group ${choice.groupId}`,
          };
    case 'list':
      return choice.listId === undefined
        ? { kind: 'needs-input', message: 'Enter the List id.' }
        : {
            kind: 'ready',
            source: { kind: 'list', listId: choice.listId },
            description: `the patients on List ${choice.listId}`,
          };
    case 'all':
      return {
        kind: 'ready',
        source: { kind: 'all', cap: choice.cap },
        description: `all patients you can see (up to ${choice.cap.toLocaleString('en-US')})`,
      };
  }
}
