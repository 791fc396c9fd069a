package org.marketingengine.report;

import java.util.ArrayList;
import java.util.List;
import org.marketingengine.report.ReportSummary.Point;

/**
 * The ROC and cumulative gains curves of a classifier from its test rows binned by score ({@code
 * metrics/model_score_bins}): each bin is one threshold, taken from the highest score down, so the
 * page draws the curves from a hundred points instead of the rows.
 */
public final class Curves {
  private Curves() {}

  /** Rows and positives of one score bin. */
  public record Bin(int bin, long rows, long positives) {}

  /** (false positive rate, true positive rate) from (0, 0) to (1, 1). */
  public static List<Point> roc(List<Bin> bins) {
    long positives = bins.stream().mapToLong(Bin::positives).sum();
    long negatives = bins.stream().mapToLong(b -> b.rows() - b.positives()).sum();
    List<Point> curve = new ArrayList<>();
    curve.add(new Point(0, 0));
    long tp = 0;
    long fp = 0;
    for (Bin b : highestFirst(bins)) {
      tp += b.positives();
      fp += b.rows() - b.positives();
      curve.add(new Point(ratio(fp, negatives), ratio(tp, positives)));
    }
    return curve;
  }

  /** (share of rows contacted, share of positives reached), highest scores first. */
  public static List<Point> gains(List<Bin> bins) {
    long rows = bins.stream().mapToLong(Bin::rows).sum();
    long positives = bins.stream().mapToLong(Bin::positives).sum();
    List<Point> curve = new ArrayList<>();
    curve.add(new Point(0, 0));
    long seen = 0;
    long reached = 0;
    for (Bin b : highestFirst(bins)) {
      seen += b.rows();
      reached += b.positives();
      curve.add(new Point(ratio(seen, rows), ratio(reached, positives)));
    }
    return curve;
  }

  /** The area under a curve by the trapezoid rule (ties inside a bin count as half). */
  public static double area(List<Point> curve) {
    double area = 0;
    for (int i = 1; i < curve.size(); i++) {
      Point a = curve.get(i - 1);
      Point b = curve.get(i);
      area += (b.x() - a.x()) * (a.y() + b.y()) / 2;
    }
    return area;
  }

  private static List<Bin> highestFirst(List<Bin> bins) {
    List<Bin> sorted = new ArrayList<>(bins);
    sorted.sort((a, b) -> Integer.compare(b.bin(), a.bin()));
    return sorted;
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : part / (double) whole;
  }
}
