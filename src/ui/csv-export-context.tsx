import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';

/**
 * How every table below exports: presentation mode turns each CSV into a "share" export (a file
 * name prefix and a first line saying the numbers are suppressed), without each table knowing.
 */
export interface CsvExportSettings {
  /** Put before every file name, e.g. "share-". */
  filenamePrefix: string;
  /** Lines put before every table's own preamble. */
  preamble: readonly (readonly string[])[];
}

const CsvExportContext = createContext<CsvExportSettings>({ filenamePrefix: '', preamble: [] });

export function CsvExportProvider({
  settings,
  children,
}: {
  settings: CsvExportSettings;
  children: ReactNode;
}) {
  return <CsvExportContext value={settings}>{children}</CsvExportContext>;
}

export function useCsvExportSettings(): CsvExportSettings {
  return useContext(CsvExportContext);
}
