package org.marketingengine.interactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Events;
import org.marketingengine.config.RecommendConfig;

/**
 * Implicit feedback from events: one row per (user, item) with the summed weight of the user's
 * events on the item. Each event weighs by its type, a review additionally by {@code rating / 3} (a
 * 1-star review counts a third, a 5-star one five thirds; unless {@code recommend.rating-scaling}
 * is off), and halves every half-life days before the window's end. Shared by the features (item
 * vectors), profile (profile vectors), recommend and strategy (usual send times) stages.
 */
public final class Interactions {
  public static final String WEIGHT = "weight";
  public static final String BOUGHT = "bought";
  public static final String LAST_TIME = "last_time";
  private static final double DAY_SECONDS = 86_400.0;

  private Interactions() {}

  /**
   * The weighted interactions of the {@code settings.windowDays()} days before {@code end}, as
   * {@code recommend} and {@code profile} use them.
   */
  public static Dataset<Row> of(Dataset<Row> events, LocalDate end, RecommendConfig settings) {
    return weighted(
        window(events, end, settings.windowDays()),
        settings.eventWeights(),
        settings.ratingScaling(),
        settings.halfLifeDays(),
        end);
  }

  /** Midnight (UTC) starting the given date. */
  static Timestamp midnight(LocalDate date) {
    return Timestamp.from(date.atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  /** The events in {@code [end - days, end)}. */
  public static Dataset<Row> window(Dataset<Row> events, LocalDate end, int days) {
    Column time = col(Events.EVENT_TIME);
    return events.where(
        time.geq(lit(midnight(end.minusDays(days)))).and(time.lt(lit(midnight(end)))));
  }

  /**
   * The weight of each event: type weight x rating factor (when {@code ratingScaling}) x time decay
   * to {@code end}.
   */
  public static Column eventWeight(
      Map<String, Double> weights, boolean ratingScaling, double halfLifeDays, LocalDate end) {
    Column type = col(Events.EVENT_TYPE);
    Column typeWeight = lit(0.0);
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      typeWeight = when(type.equalTo(e.getKey()), lit(e.getValue())).otherwise(typeWeight);
    }
    Column rating = col(Events.RATING);
    Column ratingFactor =
        ratingScaling
            ? when(
                    type.equalTo("review").and(rating.isNotNull()),
                    rating.cast("double").divide(3.0))
                .otherwise(1.0)
            : lit(1.0);
    Column ageDays =
        lit(midnight(end).getTime() / 1000.0)
            .minus(unix_timestamp(col(Events.EVENT_TIME)))
            .divide(DAY_SECONDS);
    Column decay = exp(ageDays.multiply(-Math.log(2) / halfLifeDays));
    return typeWeight.multiply(ratingFactor).multiply(decay);
  }

  /**
   * Per (user, item): summed weight, whether the user bought the item, and the last event time.
   * Pairs whose weight is zero (only zero-weight event types) are left out.
   */
  public static Dataset<Row> weighted(
      Dataset<Row> events, Map<String, Double> weights, double halfLifeDays, LocalDate end) {
    return weighted(events, weights, true, halfLifeDays, end);
  }

  /** As {@link #weighted(Dataset, Map, double, LocalDate)}, the rating factor optional. */
  public static Dataset<Row> weighted(
      Dataset<Row> events,
      Map<String, Double> weights,
      boolean ratingScaling,
      double halfLifeDays,
      LocalDate end) {
    return events
        .where(col(Events.USER_ID).isNotNull().and(col(Events.ITEM_ID).isNotNull()))
        .withColumn(WEIGHT, eventWeight(weights, ratingScaling, halfLifeDays, end))
        .groupBy(col(Events.USER_ID), col(Events.ITEM_ID))
        .agg(
            sum(col(WEIGHT)).as(WEIGHT),
            max(when(col(Events.EVENT_TYPE).equalTo("purchase"), true).otherwise(false)).as(BOUGHT),
            max(col(Events.EVENT_TIME)).as(LAST_TIME))
        .where(col(WEIGHT).gt(0));
  }
}
