import { describe, expect, it } from 'vitest';
import type { SourceOutcome } from '../../../../src/features/patient/load-patient-data';
import { offeredOutcome } from '../../../../src/features/patient/load-patient-data';

const LOADED: SourceOutcome = { kind: 'loaded' };
const NOT_FOUND: SourceOutcome = { kind: 'not-available', reason: 'not-found' };
const FORBIDDEN: SourceOutcome = { kind: 'not-available', reason: 'forbidden' };
const BAD_REQUEST: SourceOutcome = {
  kind: 'failed',
  failure: { kind: 'server', status: 400 },
};
const SERVER_ERROR: SourceOutcome = {
  kind: 'failed',
  failure: { kind: 'server', status: 500 },
};
const served = new Set(['Observation', 'Encounter']);

describe('offeredOutcome: a search read against the CapabilityStatement', () => {
  it('calls a refused or empty search of an undeclared type "not offered"', () => {
    for (const outcome of [NOT_FOUND, BAD_REQUEST]) {
      expect(offeredOutcome(outcome, 0, 'DeviceRequest', served)).toEqual({ kind: 'not-offered' });
    }
    expect(offeredOutcome(LOADED, 0, 'DeviceRequest', served)).toEqual({ kind: 'not-offered' });
  });

  it('keeps data the server returned, and failures that are not about the type', () => {
    expect(offeredOutcome(LOADED, 2, 'DeviceRequest', served)).toEqual(LOADED);
    expect(offeredOutcome(FORBIDDEN, 0, 'DeviceRequest', served)).toEqual(FORBIDDEN);
    expect(offeredOutcome(SERVER_ERROR, 0, 'DeviceRequest', served)).toEqual(SERVER_ERROR);
  });

  it('keeps a 404 as missing data when the type is declared or the statement is unknown', () => {
    expect(offeredOutcome(NOT_FOUND, 0, 'Encounter', served)).toEqual(NOT_FOUND);
    expect(offeredOutcome(NOT_FOUND, 0, 'DeviceRequest', undefined)).toEqual(NOT_FOUND);
    expect(offeredOutcome(LOADED, 0, 'DeviceRequest', undefined)).toEqual(LOADED);
  });
});
