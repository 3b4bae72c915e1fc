import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type {
  PanelMeasureGroup,
  PanelMeasureId,
  PanelMeasureInfo,
  PanelStratifierId,
  PanelStratifierInfo,
} from '../../analysis/panel-view-model';

/** What the dashboard offers: the measures and stratifiers the analysis layer defines. */
export interface PanelCatalog {
  measures: readonly PanelMeasureInfo[];
  stratifiers: readonly PanelStratifierInfo[];
}

export interface PanelCatalogLookup extends PanelCatalog {
  measure: (id: PanelMeasureId) => PanelMeasureInfo;
  stratifier: (id: PanelStratifierId) => PanelStratifierInfo;
}

const CatalogContext = createContext<PanelCatalog>({ measures: [], stratifiers: [] });

export function PanelCatalogProvider({
  catalog,
  children,
}: {
  catalog: PanelCatalog;
  children: ReactNode;
}) {
  return <CatalogContext value={catalog}>{children}</CatalogContext>;
}

export function measureGroupLabel(group: PanelMeasureGroup): string {
  switch (group) {
    case 'ecqm':
      return 'Clinical quality (eCQMs)';
    case 'social-needs':
      return 'Social needs screening and intervention';
    case 'encounters':
      return 'Encounter outcomes';
    case 'data-quality':
      return 'Data quality';
  }
}

export const MEASURE_GROUPS: readonly PanelMeasureGroup[] = [
  'ecqm',
  'social-needs',
  'encounters',
  'data-quality',
];

/** Lookups by id; an id the catalog lacks still gets a readable entry (its id). */
export function usePanelCatalog(): PanelCatalogLookup {
  const catalog = useContext(CatalogContext);
  return useMemo(() => {
    const measures = new Map(catalog.measures.map((m) => [m.id, m]));
    const stratifiers = new Map(catalog.stratifiers.map((s) => [s.id, s]));
    return {
      ...catalog,
      measure: (id) =>
        measures.get(id) ?? {
          id,
          title: id,
          shortTitle: id,
          group: 'ecqm',
          kind: 'proportion',
          role: 'quality',
          improvementNotation: 'none',
          numeratorLabel: id,
          adverseLabel: 'adverse outcome',
          source: id,
        },
      stratifier: (id) => stratifiers.get(id) ?? { id, label: id, description: '' },
    };
  }, [catalog]);
}
