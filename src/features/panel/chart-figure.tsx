import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { Component, Suspense, lazy, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { fileSlug } from '../../ui/download';
import { useFileSaver } from '../../ui/file-saver';
import { svgToPngBlob } from '../../ui/svg-png';
import { useElementWidth } from '../../ui/use-element-width';
import type { IntervalBarChartProps, RunChartProps, StackedBarChartProps } from './panel-charts';

// recharts is loaded on first use, in its own chunk (issue 7 §4 "The chart library loads lazily").
const IntervalBarChart = lazy(() =>
  import('./panel-charts').then((m) => ({ default: m.IntervalBarChart })),
);
const StackedBarChart = lazy(() =>
  import('./panel-charts').then((m) => ({ default: m.StackedBarChart })),
);
const RunChart = lazy(() => import('./panel-charts').then((m) => ({ default: m.RunChart })));

export type ChartSpec =
  | { kind: 'interval-bars'; props: Omit<IntervalBarChartProps, 'width'> }
  | { kind: 'stacked-bars'; props: Omit<StackedBarChartProps, 'width'> }
  | { kind: 'run'; props: Omit<RunChartProps, 'width'> };

function renderChart(spec: ChartSpec, width: number): ReactNode {
  switch (spec.kind) {
    case 'interval-bars':
      return <IntervalBarChart {...spec.props} width={width} />;
    case 'stacked-bars':
      return <StackedBarChart {...spec.props} width={width} />;
    case 'run':
      return <RunChart {...spec.props} width={width} />;
  }
}

/** A chart chunk that failed to load (offline after an update) must not take the page with it. */
class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <Typography color="text.secondary" sx={{ py: 2 }}>
          The chart could not be drawn; the table below has the same numbers.
        </Typography>
      );
    }
    return this.props.children;
  }
}

export interface ChartFigureProps {
  /** Visible title, also the PNG's name and title. */
  title: string;
  /** What the chart shows, in words, for screen readers (they get the table below too). */
  description: string;
  spec: ChartSpec;
  /** A legend or note under the chart (size markers, the reference line). */
  note?: ReactNode;
  testId?: string;
}

/**
 * A chart in a `<figure>`: title, the (lazily loaded) chart as one labelled image, a PNG
 * download, and a note. The table alternative is rendered by the caller next to it.
 */
export function ChartFigure({ title, description, spec, note, testId }: ChartFigureProps) {
  const titleId = useId();
  const [ref, width] = useElementWidth<HTMLDivElement>(640);
  const save = useFileSaver();
  const [pngError, setPngError] = useState<string | undefined>(undefined);

  const downloadPng = async () => {
    const svg = ref.current?.querySelector('svg.recharts-surface');
    if (!(svg instanceof SVGSVGElement)) {
      setPngError('The chart is not drawn yet.');
      return;
    }
    try {
      save(await svgToPngBlob(svg, title), `${fileSlug(title)}.png`);
      setPngError(undefined);
    } catch (error) {
      setPngError(error instanceof Error ? error.message : 'The image could not be made.');
    }
  };

  return (
    <Box
      component="figure"
      aria-labelledby={titleId}
      data-testid={testId}
      sx={{ m: 0, display: 'flex', flexDirection: 'column', gap: 1, minWidth: 0 }}
    >
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          gap: 1,
          flexWrap: 'wrap',
        }}
      >
        <Typography
          id={titleId}
          component="figcaption"
          variant="subtitle1"
          sx={{ fontWeight: 600 }}
        >
          {title}
        </Typography>
        <Button
          size="small"
          variant="outlined"
          aria-label={`Download PNG: ${title}`}
          onClick={() => void downloadPng()}
        >
          Download PNG
        </Button>
      </Box>
      <Box ref={ref} role="img" aria-label={description} sx={{ width: '100%', overflow: 'hidden' }}>
        <ChartBoundary>
          <Suspense
            fallback={
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 4 }}>
                <CircularProgress size={20} aria-hidden="true" />
                <Typography color="text.secondary">Drawing the chart…</Typography>
              </Box>
            }
          >
            {renderChart(spec, width)}
          </Suspense>
        </ChartBoundary>
      </Box>
      {pngError ? (
        <Typography role="alert" color="error" variant="body2">
          {pngError}
        </Typography>
      ) : null}
      {note ? (
        <Typography component="div" variant="body2" color="text.secondary">
          {note}
        </Typography>
      ) : null}
    </Box>
  );
}
