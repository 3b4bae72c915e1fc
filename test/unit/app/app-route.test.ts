import { describe, expect, it } from 'vitest';
import type { AppRoute, PanelAccess, RequestedView } from '../../../src/app/app-route';
import {
  canonicalView,
  hrefWithView,
  readRequestedView,
  resolveRoute,
} from '../../../src/app/app-route';

const allowed: PanelAccess = { kind: 'allowed' };
const patientUser: PanelAccess = { kind: 'denied', reason: 'patient-user' };
const noAccess: PanelAccess = { kind: 'denied', reason: 'no-panel-access' };

describe('readRequestedView', () => {
  it.each([
    ['', undefined],
    ['?view=panel', 'panel'],
    ['?measure=CMS122&view=chart', 'chart'],
    ['?view=patient', undefined],
    ['?view=', undefined],
  ])('reads %j as %s', (search, view) => {
    expect(readRequestedView(search)).toBe(view);
  });
});

describe('hrefWithView', () => {
  it('sets view and keeps the parameters the dashboard owns and the hash', () => {
    expect(hrefWithView('https://app.example/?measure=CMS122&stratifier=race#top', 'panel')).toBe(
      'https://app.example/?measure=CMS122&stratifier=race&view=panel#top',
    );
  });

  it('replaces an existing view and removes it for the launch screen', () => {
    expect(hrefWithView('https://app.example/?view=panel&measure=CMS2', 'chart')).toBe(
      'https://app.example/?view=chart&measure=CMS2',
    );
    expect(hrefWithView('https://app.example/?view=panel', undefined)).toBe('https://app.example/');
  });
});

describe('resolveRoute', () => {
  it.each<[string, RequestedView, boolean, PanelAccess, string | undefined, AppRoute]>([
    ['a patient launch', undefined, true, allowed, undefined, { kind: 'launch-patient' }],
    ['a launch without a patient', undefined, false, allowed, undefined, { kind: 'panel' }],
    [
      'the panel asked for on a patient launch',
      'panel',
      true,
      allowed,
      undefined,
      { kind: 'panel' },
    ],
    [
      'a chart opened from the dashboard',
      'chart',
      false,
      allowed,
      'pat-2',
      { kind: 'chart', patientId: 'pat-2' },
    ],
    [
      'a chart whose patient was lost on reload',
      'chart',
      true,
      allowed,
      undefined,
      { kind: 'panel' },
    ],
    [
      'the panel asked for without user-level reads',
      'panel',
      true,
      noAccess,
      undefined,
      { kind: 'launch-patient' },
    ],
    [
      'a patient user without a patient',
      undefined,
      false,
      patientUser,
      undefined,
      { kind: 'no-panel', reason: 'patient-user' },
    ],
    [
      'a patient user asking for the panel',
      'panel',
      false,
      patientUser,
      undefined,
      { kind: 'no-panel', reason: 'patient-user' },
    ],
    [
      'no patient and no user-level reads',
      'chart',
      false,
      noAccess,
      'pat-2',
      { kind: 'no-panel', reason: 'no-panel-access' },
    ],
  ])('shows %s', (_name, requested, hasLaunchPatient, panel, chartPatientId, route) => {
    expect(resolveRoute(requested, { hasLaunchPatient, panel, chartPatientId })).toEqual(route);
  });
});

describe('canonicalView', () => {
  it.each<[RequestedView, AppRoute, RequestedView]>([
    ['panel', { kind: 'panel' }, 'panel'],
    [undefined, { kind: 'panel' }, undefined],
    ['chart', { kind: 'panel' }, 'panel'],
    ['chart', { kind: 'chart', patientId: 'p' }, 'chart'],
    ['panel', { kind: 'launch-patient' }, undefined],
    ['panel', { kind: 'no-panel', reason: 'patient-user' }, undefined],
  ])('puts %s shown as %j in the URL as %s', (requested, route, view) => {
    expect(canonicalView(requested, route)).toBe(view);
  });
});
