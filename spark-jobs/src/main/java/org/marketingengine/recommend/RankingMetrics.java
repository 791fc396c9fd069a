package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Column;

/**
 * Ranking metrics of one user's list against the items they interacted with in the holdout, as
 * Spark expressions over two array columns: the recommended item ids in rank order and the relevant
 * (held-out) item ids. Relevance is binary. The evaluation averages them over users.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** The first k recommendations. */
  private static String top(String recommended, int k) {
    return "slice(" + recommended + ", 1, " + k + ")";
  }

  private static String hits(String recommended, String relevant, int k) {
    return "size(filter(" + top(recommended, k) + ", x -> array_contains(" + relevant + ", x)))";
  }

  /** Relevant items among the first k, over k. */
  public static Column precisionAt(String recommended, String relevant, int k) {
    return expr(hits(recommended, relevant, k) + " / " + k + "D");
  }

  /** Relevant items among the first k, over the number of relevant items. */
  public static Column recallAt(String recommended, String relevant, int k) {
    return expr(
        "IF(size("
            + relevant
            + ") = 0, 0D, "
            + hits(recommended, relevant, k)
            + " / size("
            + relevant
            + "))");
  }

  /** 1 when any of the first k is relevant. */
  public static Column hitAt(String recommended, String relevant, int k) {
    return expr("IF(" + hits(recommended, relevant, k) + " > 0, 1D, 0D)");
  }

  /**
   * Normalised discounted cumulative gain: the sum over relevant positions i (1-based) of 1 /
   * log2(i + 1), over the same sum for an ideal list with min(k, |relevant|) hits first.
   */
  public static Column ndcgAt(String recommended, String relevant, int k) {
    String dcg =
        "aggregate(transform("
            + top(recommended, k)
            + ", (x, i) -> IF(array_contains("
            + relevant
            + ", x), 1D / log2(i + 2), 0D)), 0D, (a, b) -> a + b)";
    String idealHits = "least(" + k + ", size(" + relevant + "))";
    String ideal =
        "aggregate(transform(sequence(1, "
            + idealHits
            + "), i -> 1D / log2(i + 1)), 0D, (a, b) -> a + b)";
    return expr("IF(" + idealHits + " = 0, 0D, " + dcg + " / " + ideal + ")");
  }

  /**
   * Average precision at k: the sum of precision@i over the positions i of the hits among the first
   * k, over min(k, |relevant|).
   */
  public static Column averagePrecisionAt(String recommended, String relevant, int k) {
    String list = top(recommended, k);
    String precisions =
        "transform("
            + list
            + ", (x, i) -> IF(array_contains("
            + relevant
            + ", x), size(filter(slice("
            + list
            + ", 1, i + 1), y -> array_contains("
            + relevant
            + ", y))) / (i + 1D), 0D))";
    String denominator = "least(" + k + ", size(" + relevant + "))";
    return expr(
        "IF("
            + denominator
            + " = 0, 0D, aggregate("
            + precisions
            + ", 0D, (a, b) -> a + b) / "
            + denominator
            + ")");
  }
}
