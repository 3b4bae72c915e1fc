// CSV text for downloads (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or
// line break quoted with doubled quotes).

/**
 * Spreadsheet programs run a cell that starts with = + - @ as a formula (OWASP "CSV Injection"), so
 * such text gets a leading apostrophe. Numbers such as "-3.2" are left alone so the file keeps the
 * exact values shown on screen.
 */
function neutraliseFormula(field: string): string {
  if (!/^[=+\-@\t\r]/.test(field)) return field;
  if (/^[+-]?\d+(\.\d+)?%?$/.test(field)) return field;
  return `'${field}`;
}

export function csvField(field: string): string {
  const safe = neutraliseFormula(field);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows of fields to CSV text, each line ending in CRLF. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** Reads CSV text back into rows (the inverse of `toCsv` for its own output; tests and checks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
