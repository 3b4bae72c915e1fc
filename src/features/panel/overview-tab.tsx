import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useDeferredValue, useId, useState } from 'react';
import type {
  GapRankingView,
  MeasureCard,
  PanelStratifierId,
  PanelView,
  RankedGap,
} from '../../analysis/panel-view-model';
import { DataTable } from '../../ui/data-table';
import type { DataColumn } from '../../ui/data-table';
import { fileSlug } from '../../ui/download';
import { StatusChip } from '../../ui/status-chip';
import { PartialDataChip, SectionNote, SizeFlagChip } from './panel-badges';
import { usePanelCatalog } from './panel-catalog-context';
import {
  formatCount,
  formatDifference,
  formatInteger,
  formatMeasureCi,
  formatMeasureValue,
  formatPValue,
  formatPercent,
  formatPoints,
  formatRatio,
  improvementArrow,
  improvementWords,
  measureUnit,
  suppressionExplanation,
} from './panel-format';
import type { PanelNavigation } from './panel-navigation';
import { groupColumn, sizeColumn } from './panel-columns';

export interface OverviewTabProps {
  view: PanelView;
  stratifierId: PanelStratifierId;
  navigation: PanelNavigation;
}

/**
 * Cards and the gap table below the fold are not laid out or painted until they scroll near the
 * viewport (CSS content-visibility; they stay in the accessibility tree and find-in-page): the
 * first render of the overview, and every later re-layout of the page, skips them.
 */
const OFFSCREEN_SKIPPED = {
  contentVisibility: 'auto',
  containIntrinsicSize: 'auto 320px',
} as const;

function gapSentence(gap: RankedGap, adverseLabel: string): string {
  const ratio = gap.rateRatio.kind === 'value' ? `, ${gap.rateRatio.value.toFixed(2)}×` : '';
  return `${gap.label}: ${adverseLabel} ${formatPercent(gap.adverseRate)} vs ${formatPercent(gap.referenceAdverseRate)} for ${gap.referenceLabel} (${formatPoints(gap.rateDifference.value)}${ratio})`;
}

function CardValue({ card }: { card: MeasureCard }) {
  const value = formatMeasureValue(card.rate, card.kind);
  const ci = formatMeasureCi(card.rate, card.kind);
  switch (card.rate.kind) {
    case 'not-applicable':
      return (
        <Box data-testid="card-empty">
          <Typography sx={{ fontWeight: 600 }}>No eligible patients</Typography>
          {card.emptyReasons.length > 0 ? (
            <Box component="ul" sx={{ m: 0, pl: 2.5 }} aria-label="Why nobody is eligible">
              {card.emptyReasons.map((r) => (
                <Typography component="li" variant="body2" key={r.reason}>
                  {r.reason}: {formatInteger(r.patients)} patients
                </Typography>
              ))}
            </Box>
          ) : null}
        </Box>
      );
    case 'suppressed':
      return (
        <Box>
          <Typography sx={{ fontWeight: 600 }}>{value}</Typography>
          <Typography variant="body2" color="text.secondary">
            {suppressionExplanation(card.rate.reason)}
          </Typography>
        </Box>
      );
    case 'not-estimable':
      return <Typography sx={{ fontWeight: 600 }}>{value}</Typography>;
    case 'value':
      return (
        <Box>
          <Typography
            component="p"
            variant="h4"
            sx={{ fontWeight: 600, lineHeight: 1.1 }}
            data-testid="card-rate"
          >
            {value}
          </Typography>
          {ci ? (
            <Typography variant="body2" color="text.secondary" data-testid="card-ci">
              95% CI {ci}
            </Typography>
          ) : null}
        </Box>
      );
  }
}

function MeasureCardView({
  card,
  partial,
  stratifierLabel,
  navigation,
}: {
  card: MeasureCard;
  partial: boolean;
  stratifierLabel: string;
  navigation: PanelNavigation;
}) {
  const { measure } = usePanelCatalog();
  const info = measure(card.measureId);
  const titleId = useId();
  const n = card.n;
  const unreliable =
    card.rate.kind === 'value' && 'unreliable' in card.rate ? card.rate.unreliable : false;
  const gap = card.largestGap;
  return (
    <Card
      variant="outlined"
      component="section"
      aria-labelledby={titleId}
      data-testid={`measure-card-${card.measureId}`}
      sx={{ display: 'flex', flexDirection: 'column', height: '100%', ...OFFSCREEN_SKIPPED }}
    >
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1, flexGrow: 1 }}>
        <Box>
          <Typography id={titleId} variant="h6" component="h3" sx={{ lineHeight: 1.3 }}>
            {info.shortTitle}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {info.title}
          </Typography>
        </Box>
        <CardValue card={card} />
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <Typography variant="body2" data-testid="card-n">
            n = {formatCount(n)}
            {card.kind === 'proportion' ? ' eligible' : ' patients'}
          </Typography>
          {card.kind !== 'proportion' ? (
            <Typography variant="body2" color="text.secondary">
              ({measureUnit(card.kind)})
            </Typography>
          ) : null}
          {unreliable ? (
            <SizeFlagChip
              flags={{ small: n.kind === 'value' && n.value <= 10, unreliable: true }}
            />
          ) : null}
          {partial ? <PartialDataChip /> : null}
        </Box>
        <Typography variant="body2" data-testid="card-direction">
          <Box component="span" aria-hidden="true" sx={{ fontWeight: 700, mr: 0.5 }}>
            {improvementArrow(card.improvementNotation)}
          </Box>
          {improvementWords(card.improvementNotation)}
        </Typography>
        <Box
          sx={{ borderTop: 1, borderColor: 'divider', pt: 1, mt: 'auto' }}
          data-testid="card-gap"
        >
          {gap ? (
            <>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                Largest meaningful gap by {stratifierLabel}
              </Typography>
              <Typography variant="body2">{gapSentence(gap, info.adverseLabel)}</Typography>
              <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', mt: 0.5 }}>
                {gap.significantAfterFdr ? (
                  <StatusChip tone="error">Significant after FDR</StatusChip>
                ) : (
                  <StatusChip tone="neutral">Not significant after FDR</StatusChip>
                )}
                <SizeFlagChip flags={gap.flags} />
              </Box>
            </>
          ) : (
            <Typography variant="body2" color="text.secondary">
              {info.role === 'context'
                ? 'Describes need: not ranked as a care gap.'
                : `No meaningful gap by ${stratifierLabel}.`}
            </Typography>
          )}
        </Box>
      </CardContent>
      <CardActions sx={{ px: 2, pb: 2, pt: 0, flexWrap: 'wrap', gap: 1 }}>
        <Button
          size="small"
          variant="outlined"
          aria-label={`Details: ${info.shortTitle}`}
          onClick={() => navigation.openDetail(card.measureId)}
        >
          Details
        </Button>
        {gap && navigation.drillDown ? (
          <Button
            size="small"
            aria-label={`Patients: ${info.shortTitle}, ${gap.label}`}
            onClick={() =>
              navigation.drillDown?.({
                selection: { kind: 'measure', measureId: gap.measureId, stratumKey: gap.key },
                stratifierId: gap.stratifierId,
                secondStratifierId: undefined,
                title: `${info.shortTitle} — ${gap.label} (${info.adverseLabel})`,
              })
            }
          >
            Patients
          </Button>
        ) : null}
      </CardActions>
    </Card>
  );
}

const SHORT_LIST = 10;

function GapRanking({
  ranking,
  partial,
  presentation,
  navigation,
}: {
  ranking: GapRankingView;
  partial: boolean;
  presentation: boolean;
  navigation: PanelNavigation;
}) {
  const { measure, stratifier } = usePanelCatalog();
  const [showAll, setShowAll] = useState(false);
  const headingId = useId();
  const shown = showAll ? ranking.gaps : ranking.gaps.slice(0, SHORT_LIST);
  const fdrPercent = `${(ranking.fdrLevel * 100).toFixed(0)}%`;

  const columns: DataColumn<RankedGap & { rank: number }>[] = [
    {
      id: 'rank',
      header: 'Rank',
      text: (g) => String(g.rank),
      sortValue: (g) => g.rank,
      align: 'right',
    },
    {
      id: 'measure',
      header: 'Measure',
      text: (g) => measure(g.measureId).shortTitle,
      sortValue: (g) => measure(g.measureId).shortTitle,
    },
    {
      id: 'stratifier',
      header: 'Stratified by',
      text: (g) => stratifier(g.stratifierId).label,
      sortValue: (g) => stratifier(g.stratifierId).label,
    },
    groupColumn(),
    {
      id: 'reference',
      header: 'Compared with',
      text: (g) => g.referenceLabel,
    },
    {
      id: 'adverse',
      header: 'Adverse outcome',
      text: (g) => measure(g.measureId).adverseLabel,
    },
    {
      id: 'rates',
      header: 'Group vs reference',
      text: (g) => `${formatPercent(g.adverseRate)} vs ${formatPercent(g.referenceAdverseRate)}`,
      align: 'right',
    },
    {
      id: 'difference',
      header: 'Difference (95% CI)',
      text: (g) => formatDifference(g.rateDifference),
      sortValue: (g) => g.rateDifference.value,
      align: 'right',
    },
    {
      id: 'ratio',
      header: 'Rate ratio (95% CI)',
      text: (g) => formatRatio(g.rateRatio),
      sortValue: (g) => (g.rateRatio.kind === 'value' ? g.rateRatio.value : undefined),
      align: 'right',
    },
    {
      id: 'q',
      header: 'Adjusted p (BH)',
      text: (g) => formatPValue(g.qValue),
      sortValue: (g) => g.qValue,
      align: 'right',
    },
    {
      id: 'significance',
      header: 'Significance',
      text: (g) => (g.significantAfterFdr ? 'Significant after FDR' : 'Not significant'),
      render: (g) =>
        g.significantAfterFdr ? (
          <StatusChip tone="error">Significant after FDR</StatusChip>
        ) : (
          'Not significant'
        ),
      sortValue: (g) => (g.significantAfterFdr ? 0 : 1),
    },
    {
      id: 'meaningful',
      header: 'Size of gap',
      text: (g) => (g.meaningful ? 'Meaningful' : 'Below threshold'),
      render: (g) =>
        g.meaningful ? <StatusChip tone="warning">Meaningful</StatusChip> : 'Below threshold',
      sortValue: (g) => (g.meaningful ? 0 : 1),
    },
    {
      id: 'eligible',
      header: 'Eligible',
      text: (g) => formatInteger(g.eligible),
      sortValue: (g) => g.eligible,
      align: 'right',
    },
    sizeColumn(),
    {
      id: 'actions',
      header: 'Actions',
      exported: false,
      text: () => '',
      render: (g) => {
        const info = measure(g.measureId);
        return (
          <Box sx={{ display: 'flex', gap: 0.5 }}>
            <Button
              size="small"
              aria-label={`Details: ${info.shortTitle} by ${stratifier(g.stratifierId).label}`}
              onClick={() => navigation.openDetail(g.measureId, g.stratifierId)}
            >
              Details
            </Button>
            {navigation.drillDown ? (
              <Button
                size="small"
                aria-label={`Patients: ${info.shortTitle}, ${g.label}`}
                onClick={() =>
                  navigation.drillDown?.({
                    selection: { kind: 'measure', measureId: g.measureId, stratumKey: g.key },
                    stratifierId: g.stratifierId,
                    secondStratifierId: undefined,
                    title: `${info.shortTitle} — ${g.label} (${info.adverseLabel})`,
                  })
                }
              >
                Patients
              </Button>
            ) : null}
          </Box>
        );
      },
    },
  ];

  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      sx={{
        display: 'flex',
        flexDirection: 'column',
        gap: 1,
        ...OFFSCREEN_SKIPPED,
        containIntrinsicSize: 'auto 900px',
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography id={headingId} variant="h5" component="h2">
          Top gaps
        </Typography>
        {partial ? <PartialDataChip /> : null}
      </Box>
      <Typography data-testid="fdr-summary">
        {ranking.significantAfterFdr} of {ranking.gaps.length}{' '}
        {ranking.gaps.length === 1 ? 'gap is' : 'gaps are'} significant after accounting for{' '}
        {formatInteger(ranking.comparisons)} comparisons (Benjamini–Hochberg false discovery rate{' '}
        {fdrPercent}).
      </Typography>
      <SectionNote>
        A gap is a group whose rate of the adverse outcome is above its reference group&apos;s.
        &ldquo;Meaningful&rdquo; means at least 5 percentage points or a rate ratio of at least 1.2;
        &ldquo;significant after FDR&rdquo; means it stays significant once every comparison on this
        page is taken into account, so chance findings do not rise to the top.
        {presentation && ranking.withheldComparisons > 0
          ? ` ${formatInteger(ranking.withheldComparisons)} comparisons are left out because presentation mode withholds a count behind them.`
          : ''}
      </SectionNote>
      <DataTable
        caption={`Ranked gaps across measures and stratifiers (${showAll ? 'all' : `top ${Math.min(SHORT_LIST, ranking.gaps.length)}`} of ${ranking.gaps.length})`}
        columns={columns}
        rows={shown.map((g, i) => ({ ...g, rank: i + 1 }))}
        rowKey={(g) => `${g.measureId}|${g.stratifierId}|${g.key}`}
        csv={{ filename: `${fileSlug('top gaps')}.csv` }}
        emptyText="No group is worse off than its reference on the selected measures."
        testId="gap-table"
      />
      {ranking.gaps.length > SHORT_LIST ? (
        <Box>
          <Button size="small" onClick={() => setShowAll((v) => !v)}>
            {showAll ? `Show the top ${SHORT_LIST}` : `Show all ${ranking.gaps.length} gaps`}
          </Button>
        </Box>
      ) : null}
    </Box>
  );
}

/** Overview: one card per measure, then the ranked gaps across measures × stratifiers. */
export function OverviewTab({ view, stratifierId, navigation }: OverviewTabProps) {
  const { stratifier } = usePanelCatalog();
  const headingId = useId();
  // The ranked gaps mount in a second, background render: the overview's first commit (and the
  // layout after it) is about half as large, so neither is one long main-thread task.
  const gapsMounted = useDeferredValue(true, false);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 3 }}>
      <Box component="section" aria-labelledby={headingId}>
        <Typography id={headingId} variant="h5" component="h2" sx={{ mb: 1 }}>
          Measures
        </Typography>
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
          }}
        >
          {view.cards.map((card) => (
            <MeasureCardView
              key={card.measureId}
              card={card}
              partial={view.partial}
              stratifierLabel={stratifier(stratifierId).label}
              navigation={navigation}
            />
          ))}
        </Box>
      </Box>
      {gapsMounted ? (
        <GapRanking
          ranking={view.gaps}
          partial={view.partial}
          presentation={view.presentation}
          navigation={navigation}
        />
      ) : (
        <Typography color="text.secondary">Ranking the gaps…</Typography>
      )}
    </Box>
  );
}
