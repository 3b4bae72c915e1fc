// Drill-down lists (issue 7 §4): from a stratum or a gap, the eligible patients with the adverse
// outcome (for CMS122 "HbA1c > 9% or not tested", for a screening measure "not screened") with the
// root cause and the deciding evidence; from a completeness element, the living patients whose
// value is unknown or not collected (declined is an answer: they are not asked again). Staff only:
// the page never asks for a list in presentation mode.

import { adverseNotation, panelMeasureInfo } from './panel-catalog';
import { inNumerator, isEligible, type EvaluatedPanel } from './panel-evaluation';
import { assignment, axesOf, proportionColumn } from './panel-tables-cache';
import { completenessState } from './panel-view';
import type {
  CompletenessElementView,
  DrillDownParams,
  DrillDownRow,
  DrillDownView,
} from './panel-view-model';

const STATE_LABEL = { unknown: 'Unknown', notCollected: 'Not collected' } as const;

const ELEMENT_TITLES: Readonly<Record<CompletenessElementView['element'], string>> = {
  race: 'Race',
  ethnicity: 'Ethnicity',
  language: 'Preferred language',
  interpreter: 'Interpreter needed',
  'sexual-orientation': 'Sexual orientation',
  'gender-identity': 'Gender identity',
};

function rowOf(
  panel: EvaluatedPanel,
  i: number,
  stratumLabel: string,
  reason: string,
  evidence: DrillDownRow['evidence'],
): DrillDownRow | undefined {
  const patient = panel.dataset.patients[i];
  if (patient === undefined) return undefined;
  return {
    patientId: patient.id,
    name: patient.entry.name,
    mrn: patient.entry.mrn,
    birthDate: patient.entry.birthDate,
    stratumLabel,
    reason,
    evidence,
  };
}

const byName = (a: DrillDownRow, b: DrillDownRow) =>
  a.name.localeCompare(b.name) || a.patientId.localeCompare(b.patientId);

export function buildDrillDownView(panel: EvaluatedPanel, params: DrillDownParams): DrillDownView {
  const { selection } = params;
  const rows: DrillDownRow[] = [];
  if (selection.kind === 'completeness') {
    const strata = assignment(panel, selection.element);
    panel.dataset.patients.forEach((_, i) => {
      if (panel.living[i] !== 1) return;
      const state = completenessState(panel, selection.element, i);
      if (state !== 'unknown' && state !== 'notCollected') return;
      const label = strata.strata[strata.index[i] ?? 0]?.label ?? STATE_LABEL[state];
      const row = rowOf(panel, i, label, STATE_LABEL[state], undefined);
      if (row !== undefined) rows.push(row);
    });
    return {
      title: `${ELEMENT_TITLES[selection.element]}: unknown or not collected`,
      rows: rows.sort(byName),
      containsPhi: true,
    };
  }
  const info = panelMeasureInfo(selection.measureId);
  const column = proportionColumn(panel, selection.measureId);
  const increase = adverseNotation(info) === 'increase';
  const axes = axesOf(panel, params.stratifierId, params.secondStratifierId);
  const wantedCause =
    selection.rootCause === undefined
      ? undefined
      : column.categories.findIndex((c) => c.id === selection.rootCause) + 1;
  for (let i = 0; i < column.flags.length; i += 1) {
    const flags = column.flags[i] ?? 0;
    if (!isEligible(flags) || inNumerator(flags) !== !increase) continue;
    const strata = axes.map((a) => a.strata[a.index[i] ?? 0]);
    const key = strata.map((s) => s?.key ?? '').join('|');
    if (selection.stratumKey !== undefined && key !== selection.stratumKey) continue;
    const cause = column.rootCause[i] ?? 0;
    if (wantedCause !== undefined && cause !== wantedCause) continue;
    const detail = column.details.get(i);
    const reason = detail?.detail ?? column.categories[cause - 1]?.label ?? info.adverseLabel;
    const row = rowOf(
      panel,
      i,
      strata.map((s) => s?.label ?? '').join(' × '),
      reason,
      detail?.evidence,
    );
    if (row !== undefined) rows.push(row);
  }
  return {
    title: `${info.shortTitle}: ${info.adverseLabel}`,
    rows: rows.sort(byName),
    containsPhi: true,
  };
}
