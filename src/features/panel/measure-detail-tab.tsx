import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type {
  ContinuousRow,
  EventRateRow,
  HeatMapView,
  IndexView,
  MeasureDetail,
  PanelMeasureInfo,
  PanelStratifierId,
  RootCauseView,
  StratumLabel,
  StratumRow,
} from '../../analysis/panel-view-model';
import type { Estimate } from '../../equity/interval';
import { categoricalColour, sequentialColour } from '../../ui/chart-palette';
import { DataTable } from '../../ui/data-table';
import type { DataColumn } from '../../ui/data-table';
import { fileSlug } from '../../ui/download';
import { ChartFigure } from './chart-figure';
import { countColumn, estimateColumns, groupColumn, sizeColumn } from './panel-columns';
import type { IntervalPoint } from './panel-charts';
import { markedLabel } from './panel-chart-markers';
import { PartialDataChip, SectionNote, SizeLegend } from './panel-badges';
import { usePanelCatalog } from './panel-catalog-context';
import {
  countValue,
  formatCount,
  formatInteger,
  formatMeasureCi,
  formatMeasureValue,
  formatPValue,
  formatPercent,
  formatRate,
  formatRateCi,
  formatRateDifferenceCell,
  formatRateRatioCell,
  formatTestCell,
  plottedValue,
  suppressionLabel,
} from './panel-format';
import type { Suppressed } from './panel-format';
import type { PanelNavigation } from './panel-navigation';

export interface MeasureDetailTabProps {
  detail: MeasureDetail;
  partial: boolean;
  presentation: boolean;
  navigation: PanelNavigation;
}

function referenceHow(how: 'largest' | 'best' | 'chosen'): string {
  switch (how) {
    case 'largest':
      return 'the largest group';
    case 'best':
      return 'the best-performing group';
    case 'chosen':
      return 'chosen';
  }
}

function stratumTitle(detail: MeasureDetail, stratifierLabel: (id: PanelStratifierId) => string) {
  return detail.stratifierIds.map(stratifierLabel).join(' × ');
}

/** Why some strata are not drawn: a chart can only draw a value. */
function notDrawn(rows: readonly { label: string; reason: string | undefined }[]): string {
  const missing = rows.filter((r) => r.reason !== undefined);
  if (missing.length === 0) return '';
  return ` Not drawn: ${missing.map((r) => `${r.label} (${r.reason ?? ''})`).join('; ')}.`;
}

function StratumSection({
  detail,
  info,
  presentation,
  partial,
  navigation,
}: {
  detail: MeasureDetail;
  info: PanelMeasureInfo;
  presentation: boolean;
  partial: boolean;
  navigation: PanelNavigation;
}) {
  const { stratifier } = usePanelCatalog();
  const by = stratumTitle(detail, (id) => stratifier(id).label);
  const panelValue = plottedValue(detail.panel);
  const points: IntervalPoint[] = detail.rows.flatMap((row) =>
    row.rate.kind === 'value'
      ? [
          {
            key: row.key,
            label: row.label,
            value: row.rate.rate,
            lower: row.rate.ci.lower,
            upper: row.rate.ci.upper,
            small: row.flags.small,
            unreliable: row.flags.unreliable,
            isReference: row.isReference,
          },
        ]
      : [],
  );
  const [first, second] = detail.stratifierIds;
  const drillDown = navigation.drillDown;
  // The drill-down lists the adverse outcome: the numerator of an inverse measure (CMS122 counts
  // poor control), the patients not in it otherwise (Keppel & Pearcy adverse framing).
  const adverseCount = (r: StratumRow) =>
    info.improvementNotation === 'increase' ? r.notMet : r.numerator;
  const columns: DataColumn<StratumRow>[] = [
    groupColumn((r) => (r.isReference ? `${r.label} (reference)` : r.label)),
    countColumn('patients', 'Patients', (r) => r.patients),
    countColumn('eligible', 'Eligible (n)', (r) => r.eligible),
    countColumn('numerator', 'In numerator', (r) => r.numerator),
    countColumn('not-met', 'Not in numerator', (r) => r.notMet),
    {
      id: 'rate',
      header: 'Rate',
      text: (r) => formatRate(r.rate),
      sortValue: (r) => (r.rate.kind === 'value' ? r.rate.rate : undefined),
      align: 'right',
    },
    {
      id: 'ci',
      header: '95% CI (Wilson)',
      text: (r) => formatRateCi(r.rate),
      align: 'right',
    },
    {
      id: 'difference',
      header: `Gap in ${info.adverseLabel} (pts, 95% CI)`,
      text: (r) => formatRateDifferenceCell(r.rateDifference, r.isReference),
      sortValue: (r) => (r.rateDifference.kind === 'value' ? r.rateDifference.value : undefined),
      align: 'right',
    },
    {
      id: 'ratio',
      header: 'Rate ratio (95% CI)',
      text: (r) => formatRateRatioCell(r.rateRatio, r.isReference),
      sortValue: (r) => (r.rateRatio.kind === 'value' ? r.rateRatio.value : undefined),
      align: 'right',
    },
    {
      id: 'p',
      header: 'p-value',
      text: (r) => formatTestCell(r.test, r.isReference),
      sortValue: (r) => (r.test.kind === 'value' ? r.test.pValue : undefined),
      align: 'right',
    },
    sizeColumn(true),
    ...(drillDown && first
      ? [
          {
            id: 'actions',
            header: 'Patients',
            exported: false,
            text: () => '',
            render: (r: StratumRow) =>
              (countValue(adverseCount(r)) ?? 0) > 0 ? (
                <Button
                  size="small"
                  aria-label={`Patients: ${r.label}, ${info.adverseLabel}`}
                  onClick={() =>
                    drillDown({
                      selection: {
                        kind: 'measure',
                        measureId: detail.measureId,
                        stratumKey: r.key,
                      },
                      stratifierId: first,
                      secondStratifierId: second,
                      title: `${info.shortTitle} — ${r.label} (${info.adverseLabel})`,
                    })
                  }
                >
                  Patients
                </Button>
              ) : null,
          } satisfies DataColumn<StratumRow>,
        ]
      : []),
  ];
  const omitted = notDrawn(
    detail.rows.map((r) => ({
      label: r.label,
      reason: r.rate.kind === 'value' ? undefined : formatRate(r.rate).toLowerCase(),
    })),
  );
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <ChartFigure
        title={`${info.shortTitle} by ${by}`}
        description={`Bar chart of the ${info.shortTitle} rate for each group by ${by}, with 95% confidence intervals and the panel rate as a dashed line. The table below lists the same numbers.`}
        spec={{
          kind: 'interval-bars',
          props: {
            points,
            referenceValue: panelValue?.value,
            referenceLabel: 'Panel',
            format: (v) => formatPercent(v, 0),
            domainMax: 1,
          },
        }}
        note={
          <>
            <SizeLegend /> The dashed line is the panel rate.
            {detail.reference ? ' The reference group is drawn in green.' : ''}
            {omitted}
          </>
        }
        testId="stratum-chart"
      />
      <DataTable
        caption={`${info.shortTitle} by ${by}`}
        columns={columns}
        rows={detail.rows}
        rowKey={(r) => r.key}
        csv={{ filename: `${fileSlug(`${info.id} by ${by}`)}.csv` }}
        emptyText="No strata to show."
        testId="stratum-table"
      />
      <SectionNote>
        Rate: {info.numeratorLabel}. Gaps are measured on the adverse outcome ({info.adverseLabel}):
        a positive gap means the group does worse than the reference. Differences use the Newcombe
        hybrid score interval; ratios the Katz log interval, or the Koopman score interval when a
        count is 0 (named in the cell); p-values Fisher&apos;s exact test when any count is under
        30, otherwise the two-proportion z test.
        {presentation
          ? ' Presentation mode: counts of 1 to 10, and any count that would reveal one, are suppressed.'
          : ' Staff view: every count is shown; small and unreliable groups are marked.'}
      </SectionNote>
      {partial ? (
        <Box>
          <PartialDataChip />
        </Box>
      ) : null}
    </Box>
  );
}

function formatIndexNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

function formatIndexEstimate(estimate: Estimate): string {
  return estimate.kind === 'value'
    ? formatIndexNumber(estimate.value)
    : `Not estimable: ${estimate.reason}`;
}

function formatIndexCi(estimate: Estimate): string {
  if (estimate.kind !== 'value') return '';
  const ci = `${formatIndexNumber(estimate.ci.lower)} to ${formatIndexNumber(estimate.ci.upper)}`;
  return estimate.note ? `${ci} (${estimate.note})` : ci;
}

function IndicesSection({ detail, title }: { detail: MeasureDetail; title: string }) {
  const headingId = useId();
  const columns: DataColumn<IndexView>[] = [
    { id: 'name', header: 'Index', text: (i) => i.name, rowHeader: true },
    { id: 'definition', header: 'Definition', text: (i) => i.definition },
    {
      id: 'estimate',
      header: 'Estimate',
      text: (i) => formatIndexEstimate(i.estimate),
      align: 'right',
    },
    { id: 'ci', header: '95% CI', text: (i) => formatIndexCi(i.estimate), align: 'right' },
  ];
  const homogeneity = detail.homogeneity;
  let homogeneityText: string;
  switch (homogeneity.kind) {
    case 'value':
      homogeneityText = `Do the groups differ at all? Test of one common rate: p = ${formatPValue(homogeneity.pValue)}.`;
      break;
    case 'not-estimable':
      homogeneityText = `Test of one common rate: not estimable (${homogeneity.reason}).`;
      break;
    case 'suppressed':
      homogeneityText = `Test of one common rate: ${suppressionLabel(homogeneity.reason).toLowerCase()}.`;
      break;
  }
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}
    >
      <Typography id={headingId} variant="h6" component="h3">
        Summary disparity indices
      </Typography>
      <DataTable
        caption={`Disparity indices: ${title}`}
        columns={columns}
        rows={detail.indices}
        rowKey={(i) => i.name}
        csv={{ filename: `${fileSlug(`${title} indices`)}.csv` }}
        emptyText="No index can be computed for this view (fewer than two groups with a rate)."
        testId="indices-table"
      />
      <SectionNote>{homogeneityText}</SectionNote>
    </Box>
  );
}

interface HeatRow extends StratumLabel {
  cells: HeatMapView['cells'][number];
}

function heatCellText(cell: HeatMapView['cells'][number][number] | undefined): string {
  if (!cell) return '';
  const rate = formatRate(cell.rate);
  if (cell.rate.kind !== 'value') return rate;
  return `${markedLabel(rate, cell.flags)} (n ${formatCount(cell.eligible)})`;
}

function HeatMapSection({ heatMap, title }: { heatMap: HeatMapView; title: string }) {
  const { stratifier } = usePanelCatalog();
  const headingId = useId();
  const values = heatMap.cells
    .flat()
    .flatMap((c) => (c.rate.kind === 'value' ? [c.rate.rate] : []));
  const max = Math.max(0, ...values);
  const min = Math.min(max, ...values);
  const rows: HeatRow[] = heatMap.rows.map((row, r) => ({ ...row, cells: heatMap.cells[r] ?? [] }));
  const columns: DataColumn<HeatRow>[] = [
    {
      id: 'row',
      header: `${stratifier(heatMap.rowStratifierId).label} \\ ${stratifier(heatMap.columnStratifierId).label}`,
      text: (r) => r.label,
      rowHeader: true,
    },
    ...heatMap.columns.map((column, c): DataColumn<HeatRow> => ({
      id: `c-${column.key}`,
      header: column.label,
      text: (r) => heatCellText(r.cells[c]),
      align: 'right',
      cellSx: (r) => {
        const cell = r.cells[c];
        if (!cell || cell.rate.kind !== 'value') return { bgcolor: '#f5f5f5', color: '#424242' };
        const t = max > min ? (cell.rate.rate - min) / (max - min) : 0.5;
        const colour = sequentialColour(t);
        return {
          bgcolor: colour.background,
          color: colour.text,
          fontWeight: cell.flags.unreliable ? 400 : 600,
        };
      },
    })),
  ];
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}
    >
      <Typography id={headingId} variant="h6" component="h3">
        Two-way heat map
      </Typography>
      <DataTable
        caption={`Heat map of ${title}`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.key}
        csv={{ filename: `${fileSlug(`${title} heat map`)}.csv` }}
        testId="heat-map"
      />
      <SectionNote>
        Darker cells have higher rates (
        {values.length > 0 ? `${formatPercent(min)} to ${formatPercent(max)}` : 'no rates'}
        ). Each cell gives the rate and its eligible patients (n). <SizeLegend />
      </SectionNote>
    </Box>
  );
}

type CauseRow = RootCauseView['rows'][number];

function RootCauseSection({
  rootCauses,
  info,
  detail,
  navigation,
}: {
  rootCauses: RootCauseView;
  info: PanelMeasureInfo;
  detail: MeasureDetail;
  navigation: PanelNavigation;
}) {
  const headingId = useId();
  const [first, second] = detail.stratifierIds;
  const drillDown = navigation.drillDown;
  const series = rootCauses.categories.map((category, i) => ({
    id: category.id,
    label: category.label,
    colour: categoricalColour(i),
  }));
  const chartRows = rootCauses.rows.flatMap((row) => {
    const adverse = countValue(row.adverse);
    if (adverse === undefined || adverse === 0) return [];
    const values: Record<string, number> = {};
    for (const category of rootCauses.categories) {
      const count = row.counts[category.id];
      const n = count ? countValue(count) : 0;
      if (n === undefined) return [];
      values[category.id] = n / adverse;
    }
    return [{ key: row.key, label: row.label, values }];
  });
  const share = (row: CauseRow, categoryId: string): string => {
    const count = row.counts[categoryId];
    if (!count) return '0';
    const n = countValue(count);
    const adverse = countValue(row.adverse);
    if (n === undefined || adverse === undefined || adverse === 0) return formatCount(count);
    return `${formatInteger(n)} (${formatPercent(n / adverse, 0)})`;
  };
  const columns: DataColumn<CauseRow>[] = [
    groupColumn(),
    {
      id: 'adverse',
      header: `All ${info.adverseLabel}`,
      text: (r) => formatCount(r.adverse),
      sortValue: (r) => countValue(r.adverse),
      align: 'right',
    },
    ...rootCauses.categories.map((category): DataColumn<CauseRow> => ({
      id: `cause-${category.id}`,
      header: category.label,
      text: (r) => share(r, category.id),
      sortValue: (r) => {
        const count = r.counts[category.id];
        return count ? countValue(count) : 0;
      },
      align: 'right',
      render: (r) => {
        const text = share(r, category.id);
        const count = r.counts[category.id];
        const n = count ? countValue(count) : 0;
        if (!drillDown || !first || n === undefined || n === 0) return text;
        return (
          <Button
            size="small"
            sx={{ minWidth: 0, p: 0, textTransform: 'none', textDecoration: 'underline' }}
            aria-label={`Patients: ${r.label}, ${category.label}, ${text}`}
            onClick={() =>
              drillDown({
                selection: {
                  kind: 'measure',
                  measureId: detail.measureId,
                  stratumKey: r.key,
                  rootCause: category.id,
                },
                stratifierId: first,
                secondStratifierId: second,
                title: `${info.shortTitle} — ${r.label}: ${category.label}`,
              })
            }
          >
            {text}
          </Button>
        );
      },
    })),
  ];
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}
    >
      <Typography id={headingId} variant="h6" component="h3">
        Why the gap
      </Typography>
      <SectionNote>
        The patients with the adverse outcome ({info.adverseLabel}) in each group, split by the
        reason the measure gives. Different reasons call for different fixes: a missing test is an
        outreach problem, a result out of range a treatment one.
      </SectionNote>
      <ChartFigure
        title={`Why the gap: ${info.shortTitle}`}
        description={`Stacked bar chart: for each group, the share of patients with ${info.adverseLabel} by reason. The table below lists the counts.`}
        spec={{
          kind: 'stacked-bars',
          props: { rows: chartRows, series, format: (v) => formatPercent(v, 0), domainMax: 1 },
        }}
        note={
          chartRows.length < rootCauses.rows.length
            ? 'Groups with nobody to split, or with a withheld count, are not drawn.'
            : undefined
        }
        testId="root-cause-chart"
      />
      <DataTable
        caption={`Reasons for ${info.adverseLabel}: ${info.shortTitle}`}
        columns={columns}
        rows={rootCauses.rows}
        rowKey={(r) => r.key}
        csv={{ filename: `${fileSlug(`${info.id} root causes`)}.csv` }}
        testId="root-cause-table"
      />
    </Box>
  );
}

function estimatePoint(
  row: StratumLabel & { flags: { small: boolean; unreliable: boolean } },
  estimate: Estimate | Suppressed,
  isReference: boolean,
): IntervalPoint[] {
  if (estimate.kind !== 'value') return [];
  return [
    {
      key: row.key,
      label: row.label,
      value: estimate.value,
      lower: estimate.ci.lower,
      upper: estimate.ci.upper,
      small: row.flags.small,
      unreliable: row.flags.unreliable,
      isReference,
    },
  ];
}

function EventRateSection({
  detail,
  info,
  by,
}: {
  detail: MeasureDetail;
  info: PanelMeasureInfo;
  by: string;
}) {
  const panel = plottedValue(detail.panel);
  const columns: DataColumn<EventRateRow>[] = [
    groupColumn(),
    countColumn('patients', 'Patients', (r) => r.patients),
    countColumn('events', 'Events', (r) => r.events),
    {
      id: 'person-years',
      header: 'Patient-years',
      text: (r) =>
        r.personYears.kind === 'value'
          ? r.personYears.value.toFixed(1)
          : suppressionLabel(r.personYears.reason),
      sortValue: (r) => countValue(r.personYears),
      align: 'right',
    },
    ...estimateColumns(
      { id: 'rate', header: 'Rate per 1,000 patient-years' },
      { id: 'ci', header: '95% CI (exact Poisson)' },
      (r: EventRateRow) => r.ratePer1000,
    ),
    sizeColumn(),
  ];
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <ChartFigure
        title={`${info.shortTitle} by ${by}`}
        description={`Bar chart of ${info.shortTitle} per 1,000 patient-years for each group by ${by}, with 95% confidence intervals and the panel rate as a dashed line.`}
        spec={{
          kind: 'interval-bars',
          props: {
            points: detail.eventRows.flatMap((r) => estimatePoint(r, r.ratePer1000, false)),
            referenceValue: panel?.value,
            referenceLabel: 'Panel',
            format: (v) => v.toFixed(0),
          },
        }}
        note={<SizeLegend />}
        testId="event-rate-chart"
      />
      <DataTable
        caption={`${info.shortTitle} per 1,000 patient-years by ${by}`}
        columns={columns}
        rows={detail.eventRows}
        rowKey={(r) => r.key}
        csv={{ filename: `${fileSlug(`${info.id} by ${by}`)}.csv` }}
        testId="event-rate-table"
      />
    </Box>
  );
}

function ContinuousSection({
  detail,
  info,
  by,
}: {
  detail: MeasureDetail;
  info: PanelMeasureInfo;
  by: string;
}) {
  const panel = plottedValue(detail.panel);
  const columns: DataColumn<ContinuousRow>[] = [
    groupColumn(),
    countColumn('patients', 'Patients', (r) => r.patients),
    countColumn('values', 'Values', (r) => r.values),
    ...estimateColumns(
      { id: 'mean', header: 'Mean' },
      { id: 'mean-ci', header: 'Mean 95% CI (t)' },
      (r: ContinuousRow) => r.mean,
    ),
    ...estimateColumns(
      { id: 'median', header: 'Median' },
      { id: 'median-ci', header: 'Median 95% CI (order statistics)' },
      (r: ContinuousRow) => r.median,
    ),
    sizeColumn(),
  ];
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <ChartFigure
        title={`${info.shortTitle} by ${by}`}
        description={`Bar chart of the mean ${info.shortTitle} for each group by ${by}, with 95% confidence intervals and the panel mean as a dashed line.`}
        spec={{
          kind: 'interval-bars',
          props: {
            points: detail.continuousRows.flatMap((r) => estimatePoint(r, r.mean, false)),
            referenceValue: panel?.value,
            referenceLabel: 'Panel',
            format: (v) => v.toFixed(1),
          },
        }}
        note={<SizeLegend />}
        testId="continuous-chart"
      />
      <DataTable
        caption={`${info.shortTitle} by ${by}`}
        columns={columns}
        rows={detail.continuousRows}
        rowKey={(r) => r.key}
        csv={{ filename: `${fileSlug(`${info.id} by ${by}`)}.csv` }}
        testId="continuous-table"
      />
    </Box>
  );
}

/** One measure in depth: strata with CIs and gap statistics, indices, heat map, root causes. */
export function MeasureDetailTab({
  detail,
  partial,
  presentation,
  navigation,
}: MeasureDetailTabProps) {
  const { measure, stratifier } = usePanelCatalog();
  const info = measure(detail.measureId);
  const headingId = useId();
  const by = stratumTitle(detail, (id) => stratifier(id).label);
  const panelText = formatMeasureValue(detail.panel, detail.kind);
  const panelCi = formatMeasureCi(detail.panel, detail.kind);
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 3 }}
      data-testid={`measure-detail-${detail.measureId}`}
    >
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography id={headingId} variant="h5" component="h2">
            {info.title}
          </Typography>
          {partial ? <PartialDataChip /> : null}
        </Box>
        <Typography variant="body2" color="text.secondary">
          {info.source}. Stratified by {by}.
        </Typography>
        <Typography data-testid="detail-panel-rate">
          Panel: <strong>{panelText}</strong>
          {panelCi ? ` (95% CI ${panelCi})` : ''}
          {detail.reference
            ? `. Reference group: ${detail.reference.label} (${referenceHow(detail.reference.how)}).`
            : '. No reference group: fewer than two groups have a rate.'}
        </Typography>
      </Box>
      {detail.kind === 'proportion' ? (
        <>
          <StratumSection
            detail={detail}
            info={info}
            presentation={presentation}
            partial={partial}
            navigation={navigation}
          />
          <IndicesSection detail={detail} title={`${info.shortTitle} by ${by}`} />
          {detail.heatMap ? (
            <HeatMapSection heatMap={detail.heatMap} title={`${info.shortTitle} by ${by}`} />
          ) : null}
          {detail.rootCauses ? (
            <RootCauseSection
              rootCauses={detail.rootCauses}
              info={info}
              detail={detail}
              navigation={navigation}
            />
          ) : null}
        </>
      ) : null}
      {detail.kind === 'event-rate' ? (
        <EventRateSection detail={detail} info={info} by={by} />
      ) : null}
      {detail.kind === 'continuous' ? (
        <ContinuousSection detail={detail} info={info} by={by} />
      ) : null}
    </Box>
  );
}
