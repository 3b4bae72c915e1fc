// Special functions the interval methods need: log-gamma, the regularized incomplete gamma and
// beta functions and their inverses, the normal, chi-square and Student t distributions. Written
// here (no numeric library) so src/equity stays dependency-free and runs in a Worker or in Node.
// Algorithms: Lanczos approximation (Lanczos 1964, coefficients g = 7, n = 9 as in Godfrey's
// table); series / Lentz continued fractions for P(a, x) and I_x(a, b) (Abramowitz & Stegun
// 6.5.29, 6.5.31, 26.5.8); Acklam's rational approximation for the normal quantile refined by a
// Halley step; the inverses are safeguarded Newton iterations inside a bisection bracket.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection formula Γ(x)Γ(1−x) = π / sin(πx) keeps the approximation in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10_000;

/** Series for P(a, x) (A&S 6.5.29), best for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITER; n += 1) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction for Q(a, x) (A&S 6.5.31, modified Lentz), best for x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/**
 * Finds x in [lo, hi] with f(x) = target for an increasing f, by Newton steps that fall back to
 * bisection whenever a step would leave the bracket.
 */
function solveIncreasing(
  f: (x: number) => number,
  derivative: (x: number) => number,
  target: number,
  lo: number,
  hi: number,
  start: number,
): number {
  let a = lo;
  let b = hi;
  let x = Math.min(Math.max(start, a), b);
  for (let i = 0; i < 400; i += 1) {
    const fx = f(x) - target;
    if (fx === 0) return x;
    if (fx < 0) a = x;
    else b = x;
    const slope = derivative(x);
    let next = slope > 0 && Number.isFinite(slope) ? x - fx / slope : Number.NaN;
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x)) || b - a <= 1e-15 * Math.max(1, b))
      return next;
    x = next;
  }
  return x;
}

/** The x with P(a, x) = p (the gamma(a, 1) quantile). */
export function inverseRegularizedGammaP(p: number, a: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  let hi = Math.max(1, a);
  while (regularizedGammaP(a, hi) < p) hi *= 2;
  const lnGa = logGamma(a);
  const density = (x: number) => Math.exp((a - 1) * Math.log(x) - x - lnGa);
  // Wilson–Hilferty starting value (A&S 26.4.17) for the chi-square with 2a degrees of freedom.
  const z = normalQuantile(p);
  const wh = a * (1 - 1 / (9 * a) + z / (3 * Math.sqrt(a))) ** 3;
  const start = wh > 0 ? wh : hi / 2;
  return solveIncreasing((x) => regularizedGammaP(a, x), density, p, 0, hi, start);
}

/** Continued fraction for I_x(a, b) (A&S 26.5.8, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Regularized incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The x with I_x(a, b) = p (the beta(a, b) quantile). */
export function inverseRegularizedBeta(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnB = logBeta(a, b);
  const density = (x: number) =>
    x <= 0 || x >= 1 ? 0 : Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB);
  return solveIncreasing((x) => regularizedBeta(x, a, b), density, p, 0, 1, a / (a + b));
}

/** Standard normal CDF Φ(z), via erf(x) = P(1/2, x²) (A&S 6.5.17) so both tails stay accurate. */
export function normalCdf(z: number): number {
  if (z < 0) return regularizedGammaQ(0.5, (z * z) / 2) / 2;
  return 0.5 + regularizedGammaP(0.5, (z * z) / 2) / 2;
}

/** Standard normal upper tail 1 − Φ(z), accurate for large z. */
export function normalUpperTail(z: number): number {
  if (z < 0) return 1 - normalUpperTail(-z);
  return regularizedGammaQ(0.5, (z * z) / 2) / 2;
}

const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function poly(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((acc, c) => acc * x + c, 0);
}

/** Standard normal quantile Φ⁻¹(p) (Acklam 2003, then one Halley step on the accurate CDF). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(ACKLAM_A, r) * q) / (poly(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  }
  for (let i = 0; i < 2; i += 1) {
    const e = p < 0.5 ? normalCdf(x) - p : 1 - p - normalUpperTail(x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

/** Chi-square CDF with k degrees of freedom: P(k/2, x/2). */
export function chiSquareCdf(x: number, k: number): number {
  return regularizedGammaP(k / 2, x / 2);
}

/** Chi-square upper tail (the p-value of a χ² statistic): Q(k/2, x/2). */
export function chiSquareUpperTail(x: number, k: number): number {
  return regularizedGammaQ(k / 2, x / 2);
}

/** Chi-square quantile with k degrees of freedom. */
export function chiSquareQuantile(p: number, k: number): number {
  return 2 * inverseRegularizedGammaP(p, k / 2);
}

/**
 * Student t quantile for p > 0.5 with ν degrees of freedom, from the two-sided tail
 * P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2) (A&S 26.7.1 with 26.5.27).
 */
export function studentTQuantile(p: number, nu: number): number {
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  const x = inverseRegularizedBeta(2 * (1 - p), nu / 2, 0.5);
  return Math.sqrt((nu * (1 - x)) / x);
}
