import type {
  DrillDownSelection,
  PanelMeasureId,
  PanelStratifierId,
} from '../../analysis/panel-view-model';

/** A patient list the user asked for, with the heading it will carry. */
export interface DrillDownRequest {
  selection: DrillDownSelection;
  stratifierId: PanelStratifierId;
  secondStratifierId: PanelStratifierId | undefined;
  /** What the list is, e.g. "HbA1c > 9% — Black or African American". */
  title: string;
}

/** What the tabs can ask of the dashboard. */
export interface PanelNavigation {
  /** Opens a measure's detail, optionally switching the stratifier (a gap on another one). */
  openDetail(measureId: PanelMeasureId, stratifierId?: PanelStratifierId): void;
  /** Opens a patient list; undefined in presentation mode (no patient lists are shown). */
  drillDown: ((request: DrillDownRequest) => void) | undefined;
}
