package org.marketingengine.interactions;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.ItemVectors;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Profiles;

/**
 * Content vectors of items and users in one space, so that their cosine says how well an item fits
 * a user. An item's vector is, in this order: its category one-hot (in the order of {@code
 * features/category_index}), its price band within its category one-hot (low, mid, high: below the
 * 33rd, up to the 66th, above), its brand one-hot hashed into {@code brandBuckets} slots, its
 * popularity ({@code log1p} of its interaction weight over the maximum, 0..1) and the market trend
 * of its category (mean {@code trend_index} of the last 14 days over the maximum, 0..1). A user's
 * profile vector is the interaction-weighted mean of the vectors of the items they interacted with;
 * a user without interactions has none.
 */
public final class ContentVectors {
  public static final String CONTENT_VECTOR = ItemVectors.CONTENT_VECTOR;
  public static final String PROFILE_VECTOR = Profiles.PROFILE_VECTOR;
  public static final String POPULARITY = ItemVectors.POPULARITY;
  public static final String TREND = ItemVectors.TREND;
  static final int PRICE_BANDS = 3;
  static final int TREND_DAYS = 14;

  private ContentVectors() {}

  /** Size of the vectors for this many categories and brand buckets. */
  public static int size(int categories, int brandBuckets) {
    return categories + PRICE_BANDS + brandBuckets + 2;
  }

  /**
   * Items with {@code item_id}, {@code category}, {@code popularity} (summed interaction weight),
   * {@code trend} (0..1) and {@code content_vector}.
   */
  public static Dataset<Row> items(
      Dataset<Row> items,
      Dataset<Row> interactions,
      Optional<Dataset<Row>> market,
      List<String> categories,
      int brandBuckets,
      LocalDate runDate) {
    // Optional catalog columns a source may lack count as unknown.
    for (String optional : List.of(Items.BRAND, Items.PRICE)) {
      if (!java.util.Arrays.asList(items.columns()).contains(optional)) {
        items =
            items.withColumn(
                optional,
                lit(null)
                    .cast(
                        optional.equals(Items.PRICE)
                            ? DataTypes.DoubleType
                            : DataTypes.StringType));
      }
    }
    Dataset<Row> popularity =
        interactions.groupBy(col(Items.ITEM_ID)).agg(sum(col(Interactions.WEIGHT)).as(POPULARITY));
    Dataset<Row> bands =
        items
            .where(col(Items.PRICE).isNotNull())
            .groupBy(col(Items.CATEGORY))
            .agg(
                percentile_approx(col(Items.PRICE), lit(0.33), lit(10_000)).as("_p33"),
                percentile_approx(col(Items.PRICE), lit(0.66), lit(10_000)).as("_p66"));
    Dataset<Row> trend = categoryTrend(market, runDate, items.sparkSession());

    Dataset<Row> joined =
        items
            .select(col(Items.ITEM_ID), col(Items.CATEGORY), col(Items.BRAND), col(Items.PRICE))
            .join(popularity, Items.ITEM_ID, "left")
            .join(bands, Items.CATEGORY, "left")
            .join(trend, Items.CATEGORY, "left")
            .withColumn(POPULARITY, coalesce(col(POPULARITY), lit(0.0)))
            .withColumn(TREND, coalesce(col(TREND), lit(0.0)));
    double maxPopularity =
        Optional.ofNullable(joined.agg(max(log1p(col(POPULARITY)))).first().<Object>getAs(0))
            .map(v -> ((Number) v).doubleValue())
            .orElse(0.0);
    Column vector = itemVector(categories.size(), brandBuckets, maxPopularity);
    joined =
        joined.join(
            SparseVectors.positions(items.sparkSession(), categories, Items.CATEGORY),
            Items.CATEGORY,
            "left");
    return joined
        .withColumn(CONTENT_VECTOR, vector)
        .select(
            col(Items.ITEM_ID),
            col(Items.CATEGORY),
            col(POPULARITY),
            col(TREND),
            col(CONTENT_VECTOR));
  }

  /**
   * The content vector of an item row with {@code _p33}, {@code _p66} (its category's price bands),
   * {@code popularity}, {@code trend} and the {@code index} of its category.
   */
  private static Column itemVector(int categories, int brandBuckets, double maxPopularity) {
    Column price = col(Items.PRICE);
    Column band =
        when(price.isNull().or(col("_p33").isNull()), lit(-1))
            .when(price.leq(col("_p33")), lit(0))
            .when(price.leq(col("_p66")), lit(1))
            .otherwise(lit(2));
    Column brand =
        brandBuckets == 0
            ? lit(-1)
            : when(col(Items.BRAND).isNull(), lit(-1))
                .otherwise(pmod(xxhash64(col(Items.BRAND)), lit(brandBuckets)).cast("int"));
    Column popular = maxPopularity > 0 ? log1p(col(POPULARITY)).divide(maxPopularity) : lit(0.0);
    int bandsStart = categories;
    int brandsStart = bandsStart + PRICE_BANDS;
    int popularSlot = brandsStart + brandBuckets;
    return SparseVectors.of(size(categories, brandBuckets))
        .apply(
            array(
                SparseVectors.entry(col(SparseVectors.INDEX), lit(1.0)),
                SparseVectors.entry(when(band.geq(0), band.plus(bandsStart)), lit(1.0)),
                SparseVectors.entry(when(brand.geq(0), brand.plus(brandsStart)), lit(1.0)),
                SparseVectors.entry(lit(popularSlot), popular),
                SparseVectors.entry(lit(popularSlot + 1), col(TREND))));
  }

  /** Per category the mean trend index of the last days before the run date, over the maximum. */
  private static Dataset<Row> categoryTrend(
      Optional<Dataset<Row>> market, LocalDate runDate, org.apache.spark.sql.SparkSession spark) {
    if (market.isEmpty()) {
      return spark.createDataFrame(
          List.of(),
          new org.apache.spark.sql.types.StructType()
              .add(Items.CATEGORY, DataTypes.StringType)
              .add(TREND, DataTypes.DoubleType));
    }
    Dataset<Row> recent =
        market
            .get()
            .where(
                col(Market.DATE)
                    .geq(lit(java.sql.Date.valueOf(runDate.minusDays(TREND_DAYS))))
                    .and(col(Market.DATE).lt(lit(java.sql.Date.valueOf(runDate)))))
            .groupBy(col(Market.CATEGORY).as(Items.CATEGORY))
            .agg(avg(col(Market.TREND_INDEX)).as("_trend"));
    return recent
        .crossJoin(recent.agg(max(col("_trend")).as("_max")))
        .select(
            col(Items.CATEGORY),
            when(col("_max").gt(0), col("_trend").divide(col("_max"))).otherwise(0.0).as(TREND));
  }

  /**
   * Per user the interaction-weighted mean of the content vectors of their items: {@code user_id},
   * {@code profile_vector}. Users without interactions are absent.
   */
  public static Dataset<Row> users(Dataset<Row> interactions, Dataset<Row> itemVectors) {
    return interactions
        .join(itemVectors.select(Items.ITEM_ID, CONTENT_VECTOR), Items.ITEM_ID)
        .groupBy(col(Events.USER_ID))
        .agg(Summarizer.mean(col(CONTENT_VECTOR), col(Interactions.WEIGHT)).as("_mean"))
        .select(
            col(Events.USER_ID), SparseVectors.COMPRESSED.apply(col("_mean")).as(PROFILE_VECTOR));
  }

  /** Cosine similarity of two vectors; 0 when either is missing or zero. */
  public static double cosine(Vector a, Vector b) {
    if (a == null || b == null || a.size() != b.size()) {
      return 0.0;
    }
    double na = Vectors.norm(a, 2.0);
    double nb = Vectors.norm(b, 2.0);
    return na == 0 || nb == 0 ? 0.0 : a.dot(b) / (na * nb);
  }

  /** {@link #cosine} as a Spark function of two vector columns. */
  public static final UserDefinedFunction COSINE =
      org.apache.spark.sql.functions.udf(
          (Vector a, Vector b) -> cosine(a, b), DataTypes.DoubleType);
}
