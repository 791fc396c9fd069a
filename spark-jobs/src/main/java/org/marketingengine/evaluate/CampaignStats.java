package org.marketingengine.evaluate;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of a treatment-control comparison, from the group sizes, conversions and revenue
 * sums (computed on the driver from one aggregated row per group).
 */
public final class CampaignStats {
  private static final NormalDistribution NORMAL = new NormalDistribution();
  static final double Z95 = NORMAL.inverseCumulativeProbability(0.975);

  private CampaignStats() {}

  /** Conversion uplift of treatment over control. */
  public record Uplift(
      double treatmentRate,
      double controlRate,
      double uplift,
      double lower,
      double upper,
      double relativeUplift,
      double pValue) {}

  /**
   * Absolute uplift with a 95% Wald interval (unpooled standard error) and the two-sided p-value of
   * the two-proportion z-test (pooled standard error). Relative uplift is uplift over the control
   * rate (NaN when that is 0).
   */
  public static Uplift uplift(long nT, long convT, long nC, long convC) {
    double pT = nT == 0 ? Double.NaN : convT / (double) nT;
    double pC = nC == 0 ? Double.NaN : convC / (double) nC;
    double diff = pT - pC;
    double se = Math.sqrt(pT * (1 - pT) / nT + pC * (1 - pC) / nC);
    double pooled = (convT + convC) / (double) (nT + nC);
    double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / nT + 1.0 / nC));
    double p;
    if (sePooled == 0 || Double.isNaN(sePooled)) {
      p = diff == 0 || Double.isNaN(diff) ? 1.0 : 0.0;
    } else {
      p = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(diff / sePooled)));
    }
    return new Uplift(
        pT, pC, diff, diff - Z95 * se, diff + Z95 * se, pC == 0 ? Double.NaN : diff / pC, p);
  }

  /** Difference of mean revenue per user with a 95% Welch interval. */
  public record Welch(double meanT, double meanC, double difference, double lower, double upper) {}

  /**
   * Welch's interval from the sums: n, sum and sum of squares of revenue per user in each group.
   */
  public static Welch welch(
      long nT, double sumT, double sumSqT, long nC, double sumC, double sumSqC) {
    double meanT = sumT / nT;
    double meanC = sumC / nC;
    double varT = nT > 1 ? Math.max(0, (sumSqT - nT * meanT * meanT) / (nT - 1)) : 0;
    double varC = nC > 1 ? Math.max(0, (sumSqC - nC * meanC * meanC) / (nC - 1)) : 0;
    double a = varT / nT;
    double b = varC / nC;
    double se = Math.sqrt(a + b);
    double diff = meanT - meanC;
    if (se == 0 || nT < 2 || nC < 2) {
      return new Welch(meanT, meanC, diff, diff, diff);
    }
    double df = (a + b) * (a + b) / (a * a / (nT - 1) + b * b / (nC - 1));
    double t = new TDistribution(df).inverseCumulativeProbability(0.975);
    return new Welch(meanT, meanC, diff, diff - t * se, diff + t * se);
  }

  /**
   * A rate shrunk toward {@code prior} with the weight of {@code strength} observations: (conv +
   * strength x prior) / (n + strength).
   */
  public static double shrunk(long n, long conversions, double prior, double strength) {
    return n + strength == 0 ? prior : (conversions + strength * prior) / (n + strength);
  }
}
