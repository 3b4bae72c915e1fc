// Chart colours for the whole app, kept out of domain code (architecture.md "Things to avoid":
// domain config carrying chart colours). Categorical colours are the Okabe–Ito palette (Okabe &
// Ito 2008, "Color Universal Design"), distinguishable with the common colour-vision deficiencies.

/** Okabe–Ito, ordered for white backgrounds: yellow (low contrast on white) comes last. */
export const OKABE_ITO = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  bluishGreen: '#009E73',
  reddishPurple: '#CC79A7',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  black: '#000000',
  yellow: '#F0E442',
} as const;

export const CATEGORICAL: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];

/** The n-th categorical colour, cycling. */
export function categoricalColour(index: number): string {
  return (
    CATEGORICAL[((index % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length] ??
    OKABE_ITO.blue
  );
}

/** Fixed roles, so the same thing looks the same in every chart. */
export const CHART_ROLES = {
  /** A stratum's rate bar. */
  rate: OKABE_ITO.blue,
  /** The panel rate (reference line) and CI whiskers. */
  reference: '#333333',
  whisker: '#1a1a1a',
  /** The comparison (reference) stratum. */
  referenceStratum: OKABE_ITO.bluishGreen,
  grid: '#d9d9d9',
  axisText: '#333333',
} as const;

/**
 * Data-completeness states: recorded (a value), declined (asked), unknown, not collected.
 * Order and contrast follow the meaning: the darker, the more complete.
 */
export const COMPLETENESS_COLOURS = {
  recorded: OKABE_ITO.blue,
  declined: OKABE_ITO.skyBlue,
  unknown: OKABE_ITO.orange,
  notCollected: OKABE_ITO.vermillion,
} as const;

// Viridis stops (van der Walt & Smith, matplotlib): perceptually uniform and colour-blind safe.
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function channel(value: number): string {
  return Math.round(Math.min(255, Math.max(0, value)))
    .toString(16)
    .padStart(2, '0');
}

/**
 * A sequential colour for t in [0, 1] (viridis, reversed so higher = darker) and a text colour
 * that keeps WCAG AA contrast on it.
 */
export function sequentialColour(t: number): { background: string; text: string } {
  const x = 1 - Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const scaled = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const a = VIRIDIS[i] ?? [0, 0, 0];
  const b = VIRIDIS[i + 1] ?? a;
  const rgb = [0, 1, 2].map((k) => (a[k] ?? 0) + ((b[k] ?? 0) - (a[k] ?? 0)) * f);
  const [r = 0, g = 0, bl = 0] = rgb;
  return {
    background: `#${channel(r)}${channel(g)}${channel(bl)}`,
    text: relativeLuminance(r, g, bl) > 0.18 ? '#000000' : '#ffffff',
  };
}

/** WCAG 2.x relative luminance of an sRGB colour (0–255 channels). */
export function relativeLuminance(r: number, g: number, b: number): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}
