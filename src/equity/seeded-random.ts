// A small seeded pseudo-random generator so Monte Carlo intervals are reproducible: the same data
// and seed always give the same interval (no Math.random in pure code).

/** Uniform draws in [0, 1) from the Mulberry32 generator (Tommy Ettinger, public domain). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller). */
export function normalDraw(uniform: () => number): number {
  let u = uniform();
  while (u <= 0) u = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Gamma(shape, 1) draw (Marsaglia & Tsang 2000, ACM TOMS 26:363); for shape < 1 uses
 * Gamma(shape + 1)·U^{1/shape}.
 */
export function gammaDraw(shape: number, uniform: () => number): number {
  if (shape < 1) {
    let u = uniform();
    while (u <= 0) u = uniform();
    return gammaDraw(shape + 1, uniform) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) draw as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaDraw(a: number, b: number, uniform: () => number): number {
  const x = gammaDraw(a, uniform);
  const y = gammaDraw(b, uniform);
  return x / (x + y);
}
