import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { CompletenessElementView, PanelStratifierId } from '../../analysis/panel-view-model';
import { COMPLETENESS_COLOURS } from '../../ui/chart-palette';
import { DataTable } from '../../ui/data-table';
import type { DataColumn } from '../../ui/data-table';
import { ChartFigure } from './chart-figure';
import { PartialDataChip, SectionNote } from './panel-badges';
import { countValue, formatCount, formatPercent, formatRate, formatRateCi } from './panel-format';
import type { PanelNavigation } from './panel-navigation';

export interface CompletenessTabProps {
  elements: readonly CompletenessElementView[];
  stratifierId: PanelStratifierId;
  partial: boolean;
  navigation: PanelNavigation;
}

const STATES = [
  { id: 'recorded', label: 'Recorded', colour: COMPLETENESS_COLOURS.recorded },
  { id: 'declined', label: 'Asked but declined', colour: COMPLETENESS_COLOURS.declined },
  { id: 'unknown', label: 'Unknown', colour: COMPLETENESS_COLOURS.unknown },
  { id: 'notCollected', label: 'Not collected', colour: COMPLETENESS_COLOURS.notCollected },
] as const;

/** Patients whose element is unknown or not collected: the ones to ask (declined was asked). */
function missingCount(element: CompletenessElementView): number | undefined {
  const unknown = countValue(element.unknown);
  const notCollected = countValue(element.notCollected);
  return unknown === undefined || notCollected === undefined ? undefined : unknown + notCollected;
}

/** Data completeness: how often each REaL / SOGI element is recorded, and who is missing it. */
export function CompletenessTab({
  elements,
  stratifierId,
  partial,
  navigation,
}: CompletenessTabProps) {
  const headingId = useId();
  const drillDown = navigation.drillDown;
  const chartRows = elements.flatMap((element) => {
    const total = countValue(element.total);
    if (total === undefined || total === 0) return [];
    const values: Record<string, number> = {};
    for (const state of STATES) {
      const n = countValue(element[state.id]);
      if (n === undefined) return [];
      values[state.id] = n / total;
    }
    return [{ key: element.element, label: element.label, values }];
  });
  const columns: DataColumn<CompletenessElementView>[] = [
    { id: 'element', header: 'Data element', text: (e) => e.label, rowHeader: true },
    ...STATES.map((state): DataColumn<CompletenessElementView> => ({
      id: state.id,
      header: state.label,
      text: (e) => formatCount(e[state.id]),
      sortValue: (e) => countValue(e[state.id]),
      align: 'right',
    })),
    {
      id: 'total',
      header: 'Patients',
      text: (e) => formatCount(e.total),
      sortValue: (e) => countValue(e.total),
      align: 'right',
    },
    {
      id: 'share',
      header: 'Recorded share',
      text: (e) => formatRate(e.recordedShare),
      sortValue: (e) => (e.recordedShare.kind === 'value' ? e.recordedShare.rate : undefined),
      align: 'right',
    },
    {
      id: 'share-ci',
      header: '95% CI',
      text: (e) => formatRateCi(e.recordedShare),
      align: 'right',
    },
    ...(drillDown
      ? [
          {
            id: 'actions',
            header: 'Outreach',
            exported: false,
            text: () => '',
            render: (e: CompletenessElementView) =>
              (missingCount(e) ?? 0) > 0 ? (
                <Button
                  size="small"
                  aria-label={`Patients missing this: ${e.label}`}
                  onClick={() =>
                    drillDown({
                      selection: { kind: 'completeness', element: e.element },
                      stratifierId,
                      secondStratifierId: undefined,
                      title: `Patients missing ${e.label.toLowerCase()}`,
                    })
                  }
                >
                  Patients missing this
                </Button>
              ) : null,
          } satisfies DataColumn<CompletenessElementView>,
        ]
      : []),
  ];
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography id={headingId} variant="h5" component="h2">
          Data completeness
        </Typography>
        {partial ? <PartialDataChip /> : null}
      </Box>
      <SectionNote>
        Stratified rates are only as good as the demographics behind them. &ldquo;Asked but
        declined&rdquo; counts as asked; &ldquo;unknown&rdquo; and &ldquo;not collected&rdquo; are
        the patients to ask at their next visit.
      </SectionNote>
      <ChartFigure
        title="Demographic data completeness"
        description="Stacked bar chart: for each data element, the share of patients with it recorded, declined, unknown or not collected. The table below lists the counts."
        spec={{
          kind: 'stacked-bars',
          props: {
            rows: chartRows,
            series: STATES.map((s) => ({ id: s.id, label: s.label, colour: s.colour })),
            format: (v) => formatPercent(v, 0),
            domainMax: 1,
          },
        }}
        note={
          chartRows.length < elements.length
            ? 'Elements with a withheld count are not drawn.'
            : undefined
        }
        testId="completeness-chart"
      />
      <DataTable
        caption="Demographic data completeness by element"
        columns={columns}
        rows={elements}
        rowKey={(e) => e.element}
        csv={{ filename: 'data-completeness.csv' }}
        testId="completeness-table"
      />
    </Box>
  );
}
