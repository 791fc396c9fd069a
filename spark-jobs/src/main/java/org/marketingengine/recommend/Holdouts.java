package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.interactions.Interactions;

/**
 * Holds out interactions for the ranking evaluation: the last days ({@code time}), a seeded share
 * of each user's items ({@code fraction}), or each user's last items ({@code leave-last}).
 */
final class Holdouts {
  private Holdouts() {}

  /** Training interactions (user, item, weight, bought, last_time) and held-out pairs. */
  record Split(Dataset<Row> training, Dataset<Row> relevant, LocalDate fitEnd) {}

  static Split split(Dataset<Row> events, LocalDate runDate, RecommendConfig settings) {
    RecommendConfig.Evaluation e = settings.evaluation();
    if (e.holdout() == RecommendConfig.Holdout.TIME) {
      LocalDate cut = runDate.minusDays(e.holdoutDays());
      Dataset<Row> training = Interactions.of(events, cut, settings);
      Dataset<Row> later =
          Interactions.weighted(
                  Interactions.window(events, runDate, e.holdoutDays()),
                  settings.eventWeights(),
                  settings.ratingScaling(),
                  settings.halfLifeDays(),
                  runDate)
              .select(Recommender.USER_ID, Recommender.ITEM_ID);
      Dataset<Row> relevant =
          later.join(
              training.select(Recommender.USER_ID, Recommender.ITEM_ID),
              new String[] {Recommender.USER_ID, Recommender.ITEM_ID},
              "left_anti");
      return new Split(training, relevant, cut);
    }
    return carve(Interactions.of(events, runDate, settings), e, runDate);
  }

  /**
   * The validation split of {@code tune-recs}: the same kind of holdout again, inside the training
   * side of {@code outer}, so that nothing of the test holdout is read. A time holdout moves the
   * cut back by {@code holdout-days} (the events of the test days are never read); the others hold
   * out items of the training interactions.
   */
  static Split validation(Dataset<Row> events, Split outer, RecommendConfig settings) {
    RecommendConfig.Evaluation e = settings.evaluation();
    return e.holdout() == RecommendConfig.Holdout.TIME
        ? split(events, outer.fitEnd(), settings)
        : carve(outer.training(), e, outer.fitEnd());
  }

  /** Holds out each user's hashed share or last items of {@code all} (interactions). */
  private static Split carve(Dataset<Row> all, RecommendConfig.Evaluation e, LocalDate end) {
    Column order =
        e.holdout() == RecommendConfig.Holdout.FRACTION
            ? xxhash64(lit(e.seed()), col(Recommender.USER_ID), col(Recommender.ITEM_ID))
            : col(Interactions.LAST_TIME).desc();
    Dataset<Row> ranked =
        all.withColumn(
                "_position",
                row_number()
                    .over(
                        Window.partitionBy(col(Recommender.USER_ID))
                            .orderBy(order, col(Recommender.ITEM_ID))))
            .withColumn("_items", count(lit(1)).over(Window.partitionBy(col(Recommender.USER_ID))));
    Column heldOut =
        e.holdout() == RecommendConfig.Holdout.FRACTION
            ? col("_position")
                .leq(
                    greatest(
                        lit(1),
                        floor(
                            col("_items")
                                .multiply(
                                    lit(new BigDecimal(Double.toString(e.holdoutFraction())))))))
                .and(col("_items").geq(2))
            : col("_position").leq(e.leaveLast()).and(col("_position").lt(col("_items")));
    Dataset<Row> marked = ranked.withColumn("_held_out", heldOut);
    return new Split(
        marked.where(not(col("_held_out"))).drop("_position", "_items", "_held_out"),
        marked.where(col("_held_out")).select(Recommender.USER_ID, Recommender.ITEM_ID),
        end);
  }
}
