// Reference values: scipy 1.17.1 (scipy.stats / scipy.special, printed with repr) unless a closed
// form is given; closed forms are independent of both implementations.
import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareUpperTail,
  inverseRegularizedBeta,
  inverseRegularizedGammaP,
  logGamma,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTQuantile,
} from '../../../src/equity/special-functions';

const close = (actual: number, expected: number, tol = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

describe('special functions', () => {
  it.each([
    [0.5, 0.5 * Math.log(Math.PI)], // ln Γ(½) = ln √π
    [10, Math.log(362880)], // ln 9!
    [0.1, 2.252712651734206], // scipy.special.gammaln(0.1)
    [123.4, 469.3360974421906], // scipy.special.gammaln(123.4)
  ])('logGamma(%f)', (x, expected) => close(logGamma(x), expected, 1e-12));

  it('regularized incomplete gamma matches scipy.special.gammainc / gammaincc', () => {
    close(regularizedGammaP(3.5, 2), 0.22022259152428406, 1e-12);
    close(regularizedGammaQ(10, 25), 0.0002214766382487835, 1e-12);
    // P(1, x) = 1 − e^{−x} (closed form).
    close(regularizedGammaP(1, 2.7), 1 - Math.exp(-2.7), 1e-14);
  });

  it('inverts the incomplete gamma', () => {
    close(inverseRegularizedGammaP(0.3, 0.7), 0.17251980033360842, 1e-10); // gammaincinv(0.7, 0.3)
    close(inverseRegularizedGammaP(0.975, 1), -Math.log(0.025), 1e-12); // exponential quantile
  });

  it('regularized incomplete beta and its inverse', () => {
    close(regularizedBeta(0.3, 2.5, 4), 0.3521975859067672, 1e-12); // betainc(2.5, 4, 0.3)
    close(regularizedBeta(0.4, 1, 3), 1 - 0.6 ** 3, 1e-14); // I_x(1, b) = 1 − (1−x)^b
    close(inverseRegularizedBeta(0.025, 30, 70), 0.2146679929679869, 1e-10); // betaincinv
    close(inverseRegularizedBeta(0.5, 4, 1), 0.5 ** 0.25, 1e-12); // I_x(a, 1) = x^a
  });

  it('normal distribution', () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-13);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-11);
    close(normalCdf(-3), 0.0013498980316300933, 1e-12);
    close(normalUpperTail(8) / 6.22096057427174e-16, 1, 1e-9);
    close(normalCdf(0), 0.5, 1e-15);
  });

  it('chi-square distribution', () => {
    close(chiSquareQuantile(0.95, 1), 3.841458820694124, 1e-11);
    close(chiSquareQuantile(0.99, 7), 18.475306906582357, 1e-11);
    close(chiSquareUpperTail(12.3, 5), 0.03090046463546092, 1e-12);
    close(chiSquareCdf(0.2, 3), 0.02241070223835061, 1e-12);
    // df = 2: F(x) = 1 − e^{−x/2}; df = 4: F(x) = 1 − e^{−x/2}(1 + x/2) (closed forms).
    close(chiSquareCdf(5.3, 2), 1 - Math.exp(-2.65), 1e-14);
    close(chiSquareCdf(5.3, 4), 1 - Math.exp(-2.65) * (1 + 2.65), 1e-14);
  });

  it('Student t quantiles', () => {
    close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-11);
    close(studentTQuantile(0.995, 3), 5.840909309733355, 1e-11);
    close(studentTQuantile(0.975, 29), 2.045229642132703, 1e-11);
    // ν = 1 is Cauchy: tan(π(p − ½)); ν = 2: (2p−1)/√(2p(1−p)) (closed forms).
    close(studentTQuantile(0.975, 1), Math.tan(Math.PI * 0.475), 1e-11);
    close(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025), 1e-12);
  });
});
