package org.marketingengine.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.marketingengine.features.FeatureExpressions.CATEGORY;
import static org.marketingengine.features.FeatureExpressions.TOP_CATEGORIES;
import static org.marketingengine.features.FeatureExpressions.optional;
import static org.marketingengine.features.FeatureExpressions.weighted;

import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Users;

/** Market trend, competitor price and promotion of the categories a user favours, as of a date. */
final class MarketContext {
  private MarketContext() {}

  /**
   * Trend index, competitor price index and promotion intensity of the user's top categories,
   * weighted by affinity, as of the window's end: for each category the latest market row dated
   * before the day the window ends (by the user's region where the market data has one, else
   * national).
   */
  static Dataset<Row> marketContext(
      Optional<Dataset<Row>> market,
      Dataset<Row> anchors,
      Dataset<Row> affinity,
      Optional<Dataset<Row>> users) {
    if (market.isEmpty()) {
      return anchors
          .select(col(Features.ANCHOR_ID))
          .withColumn(Features.MARKET_TREND, lit(null).cast(DataTypes.DoubleType))
          .withColumn(Features.MARKET_COMPETITOR_PRICE, lit(null).cast(DataTypes.DoubleType))
          .withColumn(Features.MARKET_PROMO, lit(null).cast(DataTypes.DoubleType));
    }
    Dataset<Row> asOf = latestBefore(market.get(), anchors);
    Dataset<Row> top = topCategories(anchors, affinity, users);
    Dataset<Row> matched =
        top.join(
                broadcast(asOf),
                col("_end_day")
                    .equalTo(col("_asof_day"))
                    .and(col("_top_category").equalTo(col("_m_category")))
                    .and(
                        col("_m_region")
                            .isNull()
                            .or(col("_m_region").equalTo(col("_user_region")))))
            .withColumn(
                "_rn",
                row_number()
                    .over(
                        Window.partitionBy(col(Features.ANCHOR_ID), col("_top_category"))
                            .orderBy(col("_m_region").isNull())))
            .where(col("_rn").equalTo(1));
    Column weight = col("_share");
    return matched
        .groupBy(col(Features.ANCHOR_ID))
        .agg(
            weighted(col("_trend"), weight).as(Features.MARKET_TREND),
            weighted(col("_cpi"), weight).as(Features.MARKET_COMPETITOR_PRICE),
            weighted(col("_promo"), weight).as(Features.MARKET_PROMO));
  }

  /** Per window-end day, category and region: the latest market row dated before that day. */
  private static Dataset<Row> latestBefore(Dataset<Row> m, Dataset<Row> anchors) {
    Column marketRegion = optional(m, Market.REGION).cast(DataTypes.StringType);
    Dataset<Row> ends =
        anchors.select(to_date(col(Features.WINDOW_END)).as("_asof_day")).distinct();
    return ends.join(
            broadcast(
                m.select(
                    col(Market.DATE),
                    col(Market.CATEGORY).as("_m_category"),
                    marketRegion.as("_m_region"),
                    optional(m, Market.TREND_INDEX).cast(DataTypes.DoubleType).as("_trend"),
                    optional(m, Market.COMPETITOR_PRICE_INDEX)
                        .cast(DataTypes.DoubleType)
                        .as("_cpi"),
                    optional(m, Market.PROMO_INTENSITY).cast(DataTypes.DoubleType).as("_promo"))),
            col(Market.DATE).lt(col("_asof_day")))
        .withColumn(
            "_rn",
            row_number()
                .over(
                    Window.partitionBy(col("_asof_day"), col("_m_category"), col("_m_region"))
                        .orderBy(col(Market.DATE).desc())))
        .where(col("_rn").equalTo(1))
        .drop("_rn", Market.DATE);
  }

  /** Each anchor's top categories with their share and the user's region (null if unknown). */
  private static Dataset<Row> topCategories(
      Dataset<Row> anchors, Dataset<Row> affinity, Optional<Dataset<Row>> users) {
    Dataset<Row> regions =
        users.isPresent() && Arrays.asList(users.get().columns()).contains(Users.REGION)
            ? users
                .get()
                .select(col(Users.USER_ID).as("_r_user"), col(Users.REGION).as("_user_region"))
            : null;
    Dataset<Row> top =
        anchors
            .select(
                col(Features.ANCHOR_ID),
                col(Features.USER_ID),
                to_date(col(Features.WINDOW_END)).as("_end_day"))
            .join(
                affinity.select(col(Features.ANCHOR_ID), explode(col(TOP_CATEGORIES)).as("_top")),
                Features.ANCHOR_ID)
            .select(
                col(Features.ANCHOR_ID),
                col(Features.USER_ID),
                col("_end_day"),
                col("_top._share").as("_share"),
                col("_top." + CATEGORY).as("_top_category"));
    if (regions != null) {
      return top.join(regions, col(Features.USER_ID).equalTo(col("_r_user")), "left")
          .drop("_r_user");
    }
    return top.withColumn("_user_region", lit(null).cast(DataTypes.StringType));
  }
}
