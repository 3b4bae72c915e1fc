// The dashboard's recharts charts. This module is the lazily loaded chart chunk (see
// ./lazy-charts.tsx): nothing else may import recharts, so the first paint does not wait for it.
// Charts are pictures of tables shown beside them; they take plain numbers and labels only.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { CHART_ROLES, OKABE_ITO, categoricalColour } from '../../ui/chart-palette';
import { markedLabel } from './panel-chart-markers';

/** One bar with its CI whisker. */
export interface IntervalPoint {
  key: string;
  label: string;
  value: number;
  lower: number;
  upper: number;
  small: boolean;
  unreliable: boolean;
  isReference: boolean;
}

export interface IntervalBarChartProps {
  points: readonly IntervalPoint[];
  width: number;
  /** The panel's own value, drawn as a reference line. */
  referenceValue: number | undefined;
  referenceLabel: string;
  format: (value: number) => string;
  /** Upper end of the value axis (e.g. 1 for proportions); default: from the data. */
  domainMax?: number;
}

const HATCH_UNRELIABLE = 'panel-hatch-unreliable';
const HATCH_SMALL = 'panel-hatch-small';

function HatchPatterns({ colour }: { colour: string }) {
  return (
    <defs>
      <pattern
        id={HATCH_UNRELIABLE}
        patternUnits="userSpaceOnUse"
        width="6"
        height="6"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill="#ffffff" />
        <rect width="3" height="6" fill={colour} />
      </pattern>
      <pattern
        id={HATCH_SMALL}
        patternUnits="userSpaceOnUse"
        width="8"
        height="8"
        patternTransform="rotate(45)"
      >
        <rect width="8" height="8" fill="#ffffff" />
        <rect width="2" height="8" fill={colour} />
      </pattern>
    </defs>
  );
}

function fillFor(point: IntervalPoint, colour: string): { fill: string; opacity: number } {
  if (point.small) return { fill: `url(#${HATCH_SMALL})`, opacity: 0.7 };
  if (point.unreliable) return { fill: `url(#${HATCH_UNRELIABLE})`, opacity: 0.9 };
  return { fill: colour, opacity: 1 };
}

const ROW_HEIGHT = 34;

/** Horizontal bars with CI whiskers and the panel value as a dashed reference line. */
export function IntervalBarChart({
  points,
  width,
  referenceValue,
  referenceLabel,
  format,
  domainMax,
}: IntervalBarChartProps) {
  const data = points.map((p) => ({
    ...p,
    label: markedLabel(p.label, p),
    error: [Math.max(0, p.value - p.lower), Math.max(0, p.upper - p.value)],
  }));
  const top = Math.max(domainMax ?? 0, ...points.map((p) => p.upper), referenceValue ?? 0);
  const labelWidth = Math.min(220, Math.max(90, Math.round(width * 0.32)));
  return (
    <BarChart
      layout="vertical"
      data={data}
      width={width}
      height={Math.max(120, data.length * ROW_HEIGHT + 70)}
      margin={{ top: 24, right: 24, bottom: 8, left: 8 }}
      accessibilityLayer={false}
    >
      <HatchPatterns colour={CHART_ROLES.rate} />
      <CartesianGrid horizontal={false} stroke={CHART_ROLES.grid} />
      <XAxis
        type="number"
        domain={[0, domainMax ?? (top > 0 ? top * 1.05 : 1)]}
        tickFormatter={format}
        tick={{ fill: CHART_ROLES.axisText, fontSize: 12 }}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={labelWidth}
        tick={{ fill: CHART_ROLES.axisText, fontSize: 12 }}
        interval={0}
      />
      <Tooltip formatter={(value) => (typeof value === 'number' ? format(value) : String(value))} />
      <Bar dataKey="value" name="Rate" isAnimationActive={false} stroke={CHART_ROLES.rate}>
        {data.map((p) => {
          const { fill, opacity } = fillFor(
            p,
            p.isReference ? CHART_ROLES.referenceStratum : CHART_ROLES.rate,
          );
          return <Cell key={p.key} fill={fill} fillOpacity={opacity} data-stratum={p.key} />;
        })}
        <ErrorBar
          dataKey="error"
          direction="x"
          width={6}
          stroke={CHART_ROLES.whisker}
          strokeWidth={1.5}
        />
      </Bar>
      {referenceValue !== undefined ? (
        <ReferenceLine
          x={referenceValue}
          stroke={CHART_ROLES.reference}
          strokeDasharray="6 4"
          strokeWidth={2}
          label={{
            value: `${referenceLabel} ${format(referenceValue)}`,
            position: 'top',
            fill: CHART_ROLES.axisText,
            fontSize: 12,
          }}
        />
      ) : null}
    </BarChart>
  );
}

export interface StackedSeries {
  id: string;
  label: string;
  colour: string;
}

export interface StackedRow {
  key: string;
  label: string;
  values: Record<string, number>;
}

export interface StackedBarChartProps {
  rows: readonly StackedRow[];
  series: readonly StackedSeries[];
  width: number;
  format: (value: number) => string;
  /** Upper end of the axis (1 for shares). */
  domainMax?: number;
}

/** Horizontal stacked bars (root causes per stratum, completeness states per element). */
export function StackedBarChart({ rows, series, width, format, domainMax }: StackedBarChartProps) {
  const data = rows.map((row) => ({ label: row.label, ...row.values }));
  const labelWidth = Math.min(220, Math.max(90, Math.round(width * 0.3)));
  return (
    <BarChart
      layout="vertical"
      data={data}
      width={width}
      height={Math.max(140, rows.length * ROW_HEIGHT + 90)}
      margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      accessibilityLayer={false}
    >
      <CartesianGrid horizontal={false} stroke={CHART_ROLES.grid} />
      <XAxis
        type="number"
        domain={domainMax !== undefined ? [0, domainMax] : [0, 'auto']}
        tickFormatter={format}
        tick={{ fill: CHART_ROLES.axisText, fontSize: 12 }}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={labelWidth}
        tick={{ fill: CHART_ROLES.axisText, fontSize: 12 }}
        interval={0}
      />
      <Tooltip formatter={(value) => (typeof value === 'number' ? format(value) : String(value))} />
      <Legend wrapperStyle={{ fontSize: 12, color: CHART_ROLES.axisText }} />
      {series.map((s) => (
        <Bar
          key={s.id}
          dataKey={s.id}
          name={s.label}
          stackId="stack"
          fill={s.colour}
          stroke="#ffffff"
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

export interface RunSeries {
  key: string;
  label: string;
  /** One value per point; undefined where there is none to draw (suppressed, nobody eligible). */
  values: readonly ({ value: number; lower: number; upper: number } | undefined)[];
  /** The panel's own series: drawn black and dashed. */
  isPanel: boolean;
}

export interface RunChartProps {
  pointLabels: readonly string[];
  series: readonly RunSeries[];
  width: number;
  format: (value: number) => string;
  domainMax?: number;
}

/** A run chart: one line per series over the quarters, with CI whiskers at each point. */
export function RunChart({ pointLabels, series, width, format, domainMax }: RunChartProps) {
  const data = pointLabels.map((label, i) => {
    const point: Record<string, string | number | number[] | undefined> = { label };
    for (const s of series) {
      const v = s.values[i];
      point[s.key] = v?.value;
      point[`${s.key}~ci`] = v ? [v.value - v.lower, v.upper - v.value] : undefined;
    }
    return point;
  });
  let colourIndex = 0;
  return (
    <LineChart
      data={data}
      width={width}
      height={340}
      margin={{ top: 16, right: 24, bottom: 8, left: 8 }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={CHART_ROLES.grid} />
      <XAxis dataKey="label" tick={{ fill: CHART_ROLES.axisText, fontSize: 12 }} />
      <YAxis
        domain={[0, domainMax ?? 'auto']}
        tickFormatter={format}
        tick={{ fill: CHART_ROLES.axisText, fontSize: 12 }}
        width={64}
      />
      <Tooltip formatter={(value) => (typeof value === 'number' ? format(value) : String(value))} />
      <Legend wrapperStyle={{ fontSize: 12, color: CHART_ROLES.axisText }} />
      {series.map((s) => {
        const colour = s.isPanel ? OKABE_ITO.black : categoricalColour(colourIndex++);
        return (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stroke={colour}
            strokeWidth={s.isPanel ? 3 : 2}
            strokeDasharray={s.isPanel ? '6 4' : undefined}
            dot={{ r: 3, fill: colour }}
            connectNulls={false}
            isAnimationActive={false}
          >
            <ErrorBar dataKey={`${s.key}~ci`} width={4} stroke={colour} strokeWidth={1} />
          </Line>
        );
      })}
    </LineChart>
  );
}
