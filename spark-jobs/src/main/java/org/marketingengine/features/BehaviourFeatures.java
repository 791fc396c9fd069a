package org.marketingengine.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.features.FeatureExpressions.CATEGORY;
import static org.marketingengine.features.FeatureExpressions.DAY_SECONDS;
import static org.marketingengine.features.FeatureExpressions.inWindow;
import static org.marketingengine.features.FeatureExpressions.ratio;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.FeaturesConfig;
import org.marketingengine.interactions.SparseVectors;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.quality.StageCounts;

/** RFM, counts and rates per event type, activity, channel mix and rating, per anchor. */
final class BehaviourFeatures {
  private BehaviourFeatures() {}

  /** RFM, counts and rates per event type, order value, activity, channel mix, trend, rating. */
  static Dataset<Row> behaviour(Dataset<Row> events, Dataset<Row> anchors, FeaturesConfig config) {
    Dataset<Row> inWindow = inWindow(events, Events.EVENT_TIME, anchors);
    Column type = col(Events.EVENT_TYPE);
    Column purchase = type.equalTo("purchase");
    Column amount =
        coalesce(col(Events.PRICE), lit(0.0)).multiply(coalesce(col(Events.QUANTITY), lit(1L)));
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as(Features.EVENTS));
    for (String eventType : InputSchemas.EVENT_TYPES) {
      aggregates.add(
          StageCounts.countWhere(type.equalTo(eventType)).as(Features.COUNT_PREFIX + eventType));
    }
    aggregates.add(max(col(Events.EVENT_TIME)).as("_last_event"));
    aggregates.add(sum(when(purchase, amount).otherwise(0.0)).as(Features.MONETARY));
    // Distinct counts as the size of a set: countDistinct of three columns beside plain
    // aggregates makes Spark expand every joined row four times and aggregate twice.
    aggregates.add(distinctCount(to_date(col(Events.EVENT_TIME))).as(Features.DAYS_ACTIVE));
    aggregates.add(distinctCount(col(Events.ITEM_ID)).as(Features.DISTINCT_ITEMS));
    aggregates.add(distinctCount(col(CATEGORY)).as(Features.DISTINCT_CATEGORIES));
    aggregates.add(
        StageCounts.countWhere(
                unix_timestamp(col(Features.WINDOW_END))
                    .minus(unix_timestamp(col(Events.EVENT_TIME)))
                    .lt(config.recentDays() * DAY_SECONDS))
            .as("_recent_events"));
    aggregates.add(avg(when(type.equalTo("review"), col(Events.RATING))).as(Features.AVG_RATING));
    Column channel = col(Events.CHANNEL);
    for (String c : config.channels()) {
      aggregates.add(StageCounts.countWhere(channel.equalTo(c)).as("_channel_" + c));
    }
    return inWindow
        .groupBy(col(Features.ANCHOR_ID))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /** The number of distinct non-null values, as countDistinct counts them (a long). */
  private static Column distinctCount(Column value) {
    return size(collect_set(value)).cast(DataTypes.LongType);
  }

  /** Zeros for anchors without events, and the ratios derived from the counts. */
  static Dataset<Row> fillBehaviour(Dataset<Row> rows, FeaturesConfig config, int categories) {
    Dataset<Row> result = rows;
    List<String> counts =
        new ArrayList<>(
            List.of(
                Features.EVENTS,
                Features.MONETARY,
                Features.DAYS_ACTIVE,
                Features.DISTINCT_ITEMS,
                Features.DISTINCT_CATEGORIES,
                "_recent_events"));
    for (String eventType : InputSchemas.EVENT_TYPES) {
      counts.add(Features.COUNT_PREFIX + eventType);
    }
    for (String c : config.channels()) {
      counts.add("_channel_" + c);
    }
    for (String c : counts) {
      result = result.withColumn(c, coalesce(col(c), lit(0)));
    }
    Column events = col(Features.EVENTS);
    Column purchases = col(Features.COUNT_PREFIX + "purchase");
    result =
        result
            .withColumn(
                Features.RECENCY_DAYS,
                coalesce(
                    unix_timestamp(col(Features.WINDOW_END))
                        .minus(unix_timestamp(col("_last_event")))
                        .divide((double) DAY_SECONDS),
                    lit((double) config.featureDays())))
            .withColumn(Features.FREQUENCY, purchases)
            .withColumn(Features.AVG_ORDER_VALUE, ratio(col(Features.MONETARY), purchases))
            .withColumn(
                Features.VIEW_TO_PURCHASE, ratio(purchases, col(Features.COUNT_PREFIX + "view")))
            .withColumn(
                Features.ACTIVITY_TREND,
                ratio(
                    col("_recent_events").divide((double) config.recentDays()),
                    events.divide((double) config.featureDays())));
    for (String eventType : InputSchemas.EVENT_TYPES) {
      result =
          result.withColumn(
              Features.RATE_PREFIX + eventType,
              ratio(col(Features.COUNT_PREFIX + eventType), events));
    }
    Column listed = lit(0L);
    for (String c : config.channels()) {
      result =
          result.withColumn(Features.CHANNEL_SHARE_PREFIX + c, ratio(col("_channel_" + c), events));
      listed = listed.plus(col("_channel_" + c));
    }
    result =
        result.withColumn(
            Features.CHANNEL_SHARE_PREFIX + "other", ratio(events.minus(listed), events));
    result =
        result.withColumn(
            Features.CATEGORY_AFFINITY,
            coalesce(col(Features.CATEGORY_AFFINITY), SparseVectors.zeros(categories)));
    List<String> internal = new ArrayList<>(List.of("_last_event", "_recent_events"));
    for (String c : config.channels()) {
      internal.add("_channel_" + c);
    }
    return result.drop(internal.toArray(String[]::new));
  }
}
