// Footnote markers for stratum size, shared by charts (lazy chunk) and tables (main chunk), so
// this file must not import recharts.

export const SMALL_MARKER = '‡';
export const UNRELIABLE_MARKER = '†';

/** "Asian ‡" for a small stratum, "Asian †" for an unreliable one, else the label. */
export function markedLabel(label: string, flags: { small: boolean; unreliable: boolean }): string {
  if (flags.small) return `${label} ${SMALL_MARKER}`;
  if (flags.unreliable) return `${label} ${UNRELIABLE_MARKER}`;
  return label;
}
