package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Ranking metrics of one user's list against the items they interacted with in the holdout, as
 * column expressions over two array columns: the recommended item ids in rank order and the
 * relevant (held-out) item ids. Relevance is binary; the definitions are those of MLlib's {@code
 * RankingMetrics} (the tests check they agree), written as expressions so that every metric of
 * every k comes from one aggregation over the users instead of one pass each.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** The first k recommendations. */
  private static Column top(Column recommended, int k) {
    return slice(recommended, 1, k);
  }

  private static Column hits(Column recommended, Column relevant, int k) {
    return size(filter(top(recommended, k), x -> array_contains(relevant, x)));
  }

  private static Column sum(Column doubles) {
    return aggregate(doubles, lit(0.0), (a, b) -> a.plus(b));
  }

  /** Relevant items among the first k, over k. */
  public static Column precisionAt(Column recommended, Column relevant, int k) {
    return hits(recommended, relevant, k).divide((double) k);
  }

  /** Relevant items among the first k, over the number of relevant items. */
  public static Column recallAt(Column recommended, Column relevant, int k) {
    return when(size(relevant).equalTo(0), lit(0.0))
        .otherwise(hits(recommended, relevant, k).divide(size(relevant)));
  }

  /** 1 when any of the first k is relevant. */
  public static Column hitAt(Column recommended, Column relevant, int k) {
    return when(hits(recommended, relevant, k).gt(0), lit(1.0)).otherwise(lit(0.0));
  }

  /**
   * Normalised discounted cumulative gain: the sum over relevant positions i (1-based) of 1 /
   * log2(i + 1), over the same sum for an ideal list with min(k, |relevant|) hits first.
   */
  public static Column ndcgAt(Column recommended, Column relevant, int k) {
    Column dcg =
        sum(
            transform(
                top(recommended, k),
                (x, i) ->
                    when(array_contains(relevant, x), lit(1.0).divide(log2(i.plus(2))))
                        .otherwise(lit(0.0))));
    Column idealHits = least(lit(k), size(relevant));
    Column ideal =
        sum(transform(sequence(lit(1), idealHits), i -> lit(1.0).divide(log2(i.plus(1)))));
    return when(idealHits.equalTo(0), lit(0.0)).otherwise(dcg.divide(ideal));
  }

  /**
   * Average precision at k: the sum of precision@i over the positions i of the hits among the first
   * k, over min(k, |relevant|).
   */
  public static Column averagePrecisionAt(Column recommended, Column relevant, int k) {
    Column list = top(recommended, k);
    Column precisions =
        transform(
            list,
            (x, i) ->
                when(
                        array_contains(relevant, x),
                        size(filter(
                                slice(list, lit(1), i.plus(1)), y -> array_contains(relevant, y)))
                            .divide(i.plus(1).cast("double")))
                    .otherwise(lit(0.0)));
    Column denominator = least(lit(k), size(relevant));
    return when(denominator.equalTo(0), lit(0.0)).otherwise(sum(precisions).divide(denominator));
  }
}
