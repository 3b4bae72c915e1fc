// Trends (issue 7 §4): the measure re-evaluated over the rolling 12-month period ending at each
// of the last completed quarters (./panel-periods.ts trendPoints), panel-wide and per stratum of
// the chosen stratifier, strata assigned for each period (payer, social need and age depend on it).
// Presentation mode publishes each point's table through the suppression engine.

import { publishContinuousStrata, publishEventStrata } from '../equity/publish-rate-strata';
import { eventRate, summarizeContinuous } from '../equity/rate-statistics';
import type { Estimate } from '../equity/interval';
import { publishMeasureStrata, stratumRate, type Rate } from '../equity/stratum-rates';
import type { SuppressionReason } from '../equity/suppression';
import { adverseNotation, panelMeasureInfo } from './panel-catalog';
import {
  COMPLETENESS_STRATIFIERS,
  evaluateMeasure,
  type EvaluatedPanel,
  type MeasureColumn,
} from './panel-evaluation';
import { trendPoints } from './panel-periods';
import { assignStrata, type StratumAssignment } from './panel-strata';
import { asStratifiedTable, continuousTable, eventTable, proportionTable } from './panel-tables';
import { cached } from './panel-tables-cache';
import type {
  DateRange,
  PanelStratifierId,
  StratumLabel,
  TrendParams,
  TrendView,
} from './panel-view-model';

type PointValue = Rate | Estimate | { kind: 'suppressed'; reason: SuppressionReason };

function strataFor(
  panel: EvaluatedPanel,
  id: PanelStratifierId,
  period: DateRange,
): StratumAssignment {
  return cached(panel, `trend-strata|${id}|${period.start}|${period.end}`, () =>
    assignStrata(id, panel.dataset.patients, period),
  );
}

interface PointTable {
  panel: PointValue;
  byKey: Map<string, PointValue>;
  labels: StratumLabel[];
}

function summaryMean(values: readonly number[]): Estimate {
  const summary = summarizeContinuous(values);
  return summary.kind === 'value' ? summary.mean : summary;
}

function pointTable(
  panel: EvaluatedPanel,
  column: MeasureColumn,
  axis: StratumAssignment,
  params: TrendParams,
): PointTable {
  const size = panel.dataset.patients.length;
  const byKey = new Map<string, PointValue>();
  const labels: StratumLabel[] = [];
  if (column.kind === 'proportion') {
    const notation = adverseNotation(panelMeasureInfo(params.measureId));
    const table = proportionTable(
      panel.dataset,
      column.column,
      [axis],
      notation,
      params.presentation,
    );
    const published = params.presentation
      ? publishMeasureStrata([asStratifiedTable(table.axes, table.cells, size)])
      : undefined;
    const cells = published?.tables[0]?.cells;
    table.cells.forEach((cell, i) => {
      if (cell.patientCount === 0) return;
      labels.push(cell.view);
      byKey.set(cell.key, cells?.[i]?.rate ?? stratumRate(cell.numerator, cell.eligible));
    });
    return {
      panel: published?.total.rate ?? stratumRate(table.total.numerator, table.total.eligible),
      byKey,
      labels,
    };
  }
  if (column.kind === 'event-rate') {
    const cells = eventTable(panel.dataset, column.column, [axis]);
    const published = params.presentation
      ? publishEventStrata(asStratifiedTable([axis], cells, size))
      : undefined;
    cells.forEach((cell, i) => {
      if (cell.patientCount === 0) return;
      labels.push(cell.view);
      byKey.set(
        cell.key,
        published?.[i]?.ratePer1000 ??
          eventRate({ events: cell.events, personYears: cell.personYears }),
      );
    });
    const events = cells.reduce((s, c) => s + c.events, 0);
    const patients = cells.reduce((s, c) => s + c.patientCount, 0);
    const small = (n: number) => n > 0 && n <= 10;
    return {
      panel:
        params.presentation && (small(events) || small(patients))
          ? { kind: 'suppressed', reason: 'small-cell' }
          : eventRate({ events, personYears: cells.reduce((s, c) => s + c.personYears, 0) }),
      byKey,
      labels,
    };
  }
  const cells = continuousTable(panel.dataset, column.column, [axis]);
  const published = params.presentation
    ? publishContinuousStrata(asStratifiedTable([axis], cells, size))
    : undefined;
  cells.forEach((cell, i) => {
    if (cell.patientCount === 0) return;
    labels.push(cell.view);
    const summary = published?.[i]?.summary;
    byKey.set(
      cell.key,
      summary === undefined
        ? summaryMean(cell.values)
        : summary.kind === 'value'
          ? summary.mean
          : summary,
    );
  });
  const values = cells.flatMap((c) => c.values);
  return {
    panel:
      params.presentation && values.length > 0 && values.length <= 10
        ? { kind: 'suppressed', reason: 'small-cell' }
        : summaryMean(values),
    byKey,
    labels,
  };
}

const absentPoint: PointValue = { kind: 'not-applicable', reason: 'empty-denominator' };

export function buildTrendView(
  panel: EvaluatedPanel,
  params: TrendParams,
  today: string,
): TrendView {
  const points = trendPoints(today, params.quarters);
  return cached(panel, `trend|${JSON.stringify(params)}|${today}`, () => {
    const tables = points.map((point) => {
      const strata = new Map<PanelStratifierId, StratumAssignment>();
      if (params.measureId === 'DEMOGRAPHIC-COMPLETENESS')
        for (const id of COMPLETENESS_STRATIFIERS)
          strata.set(id, strataFor(panel, id, point.period));
      const column = cached(
        panel,
        `trend-column|${params.measureId}|${point.period.start}|${point.period.end}`,
        () => evaluateMeasure(panel.dataset, params.measureId, point.period, strata),
      );
      return pointTable(panel, column, strataFor(panel, params.stratifierId, point.period), params);
    });
    const labels = new Map<string, StratumLabel>();
    for (const table of [...tables].reverse())
      for (const label of table.labels) if (!labels.has(label.key)) labels.set(label.key, label);
    return {
      measureId: params.measureId,
      stratifierId: params.stratifierId,
      points,
      panel: tables.map((t) => t.panel),
      series: [...labels.values()].map((label) => ({
        ...label,
        values: tables.map((t) => t.byKey.get(label.key) ?? absentPoint),
      })),
    };
  });
}
