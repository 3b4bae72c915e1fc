// Files the user downloads are built in memory and handed over through a Blob URL: the data never
// goes into the page's URL, history or storage (PHI hygiene).
import { toCsv } from './csv';

/** Starts a download of `blob` named `filename`. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoke after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A CSV Blob (UTF-8 with a byte-order mark so spreadsheet programs read accents correctly). */
export function csvBlob(rows: readonly (readonly string[])[]): Blob {
  return new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' });
}

export function downloadCsv(rows: readonly (readonly string[])[], filename: string): void {
  downloadBlob(csvBlob(rows), filename);
}

/** A file-name-safe slug: "CMS122 × Race" → "cms122-race". */
export function fileSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'export';
}
