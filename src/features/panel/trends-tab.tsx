import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { PanelMeasureKind, TrendView } from '../../analysis/panel-view-model';
import { DataTable } from '../../ui/data-table';
import type { DataColumn } from '../../ui/data-table';
import { fileSlug } from '../../ui/download';
import { ChartFigure } from './chart-figure';
import type { RunSeries } from './panel-charts';
import { PartialDataChip, SectionNote } from './panel-badges';
import { usePanelCatalog } from './panel-catalog-context';
import { formatMeasureCi, formatMeasureValue, formatPercent, plottedValue } from './panel-format';
import type { MeasureValue } from './panel-format';

export interface TrendsTabProps {
  trend: TrendView;
  partial: boolean;
}

interface TrendRow {
  key: string;
  label: string;
  values: readonly MeasureValue[];
}

function cellText(value: MeasureValue | undefined, kind: PanelMeasureKind): string {
  if (!value) return '';
  const text = formatMeasureValue(value, kind);
  const ci = formatMeasureCi(value, kind);
  return ci ? `${text} (${ci})` : text;
}

/** Quarterly rolling 12-month rates for one measure by one stratifier (a run chart and its table). */
export function TrendsTab({ trend, partial }: TrendsTabProps) {
  const { measure, stratifier } = usePanelCatalog();
  const info = measure(trend.measureId);
  const by = stratifier(trend.stratifierId).label;
  const headingId = useId();
  const rows: TrendRow[] = [
    { key: 'panel', label: 'Whole panel', values: trend.panel },
    ...trend.series.map((s) => ({ key: s.key, label: s.label, values: s.values })),
  ];
  const series: RunSeries[] = rows.map((row) => ({
    key: row.key,
    label: row.label,
    values: row.values.map((v) => plottedValue(v)),
    isPanel: row.key === 'panel',
  }));
  const format =
    info.kind === 'proportion' ? (v: number) => formatPercent(v, 0) : (v: number) => v.toFixed(0);
  const columns: DataColumn<TrendRow>[] = [
    { id: 'group', header: 'Group', text: (r) => r.label, rowHeader: true },
    ...trend.points.map((point, i): DataColumn<TrendRow> => ({
      id: `q-${point.label}`,
      header: point.label,
      text: (r) => cellText(r.values[i], info.kind),
      align: 'right',
    })),
  ];
  const first = trend.points[0];
  const last = trend.points.at(-1);
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography id={headingId} variant="h5" component="h2">
          Trends: {info.shortTitle} by {by}
        </Typography>
        {partial ? <PartialDataChip /> : null}
      </Box>
      <SectionNote>
        Each point is the measure over the 12 months ending with that quarter (a rolling annual
        rate), so points are comparable with the overview
        {first && last ? `; from ${first.period.start} to ${last.period.end}` : ''}. Whiskers are
        95% confidence intervals; a group&apos;s line breaks where its value is withheld or nobody
        is eligible.
      </SectionNote>
      <ChartFigure
        title={`Run chart: ${info.shortTitle} by ${by}`}
        description={`Line chart of ${info.shortTitle} per quarter for the whole panel and each group by ${by}, with 95% confidence intervals. The table below lists the same numbers.`}
        spec={{
          kind: 'run',
          props: {
            pointLabels: trend.points.map((p) => p.label),
            series,
            format,
            ...(info.kind === 'proportion' ? { domainMax: 1 } : {}),
          },
        }}
        testId="trend-chart"
      />
      <DataTable
        caption={`${info.shortTitle} by ${by}, per quarter (rolling 12 months)`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.key}
        csv={{ filename: `${fileSlug(`${info.id} trend by ${by}`)}.csv` }}
        testId="trend-table"
      />
    </Box>
  );
}
