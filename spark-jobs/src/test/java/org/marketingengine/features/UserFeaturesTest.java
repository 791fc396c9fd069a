package org.marketingengine.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.config.FeaturesConfig;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class UserFeaturesTest {

  /** Run date T = 2026-11-01; labels [10-18, 11-01); training features [09-18, 10-18). */
  private static final LocalDate T = LocalDate.of(2026, 11, 1);

  private static final FeaturesConfig CONFIG =
      new FeaturesConfig(
          14,
          30,
          7,
          Map.of(
              "view",
              1.0,
              "click",
              1.0,
              "cart",
              1.0,
              "favorite",
              1.0,
              "purchase",
              3.0,
              "review",
              1.0),
          2,
          List.of("web", "app"),
          List.of("wechat"),
          List.of(),
          List.of());

  private static final StructType EVENTS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("user_id", DataTypes.StringType)
          .add("item_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("quantity", DataTypes.LongType)
          .add("price", DataTypes.DoubleType)
          .add("rating", DataTypes.DoubleType)
          .add("channel", DataTypes.StringType);

  private static final StructType ITEMS =
      new StructType().add("item_id", DataTypes.StringType).add("category", DataTypes.StringType);

  private static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  private static Object[] event(String user, String item, String type, String time, double price) {
    return new Object[] {null, user, item, type, at(time), 1L, price, null, "web"};
  }

  private static Dataset<Row> items(SparkSession spark) {
    return DataFrames.of(
        spark, ITEMS, new Object[] {"book", "books"}, new Object[] {"tv", "electronics"});
  }

  private static Dataset<Row> features(
      SparkSession spark,
      Dataset<Row> events,
      Optional<Dataset<Row>> market,
      Optional<Dataset<Row>> responses) {
    return features(spark, events, market, responses, List.of("books", "electronics"));
  }

  private static Dataset<Row> features(
      SparkSession spark,
      Dataset<Row> events,
      Optional<Dataset<Row>> market,
      Optional<Dataset<Row>> responses,
      List<String> categories) {
    StructType users =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("age", DataTypes.DoubleType)
            .add("signup_date", DataTypes.DateType);
    Dataset<Row> userRows =
        DataFrames.of(
            spark,
            users,
            new Object[] {"u1", 30.0, Date.valueOf("2025-01-01")},
            new Object[] {"quiet", 50.0, Date.valueOf("2025-06-01")});
    return UserFeatures.apply(
        new UserFeatures.Sources(
            events,
            Optional.of(userRows),
            Optional.of(items(spark)),
            market,
            Optional.empty(),
            responses),
        T,
        CONFIG,
        categories);
  }

  private static Row row(Dataset<Row> features, String purpose, String user) {
    return features
        .where(col("purpose").equalTo(purpose).and(col("user_id").equalTo(user)))
        .first();
  }

  @Test
  void behaviourAndLabelsOfAHandMadeUser(SparkSession spark) {
    Dataset<Row> events =
        DataFrames.of(
            spark,
            EVENTS,
            event("u1", "book", "view", "2026-10-01T10:00:00Z", 10.0),
            event("u1", "book", "view", "2026-10-02T10:00:00Z", 10.0),
            event("u1", "book", "purchase", "2026-10-15T10:00:00Z", 10.0),
            event("u1", "tv", "purchase", "2026-10-20T12:00:00Z", 500.0));

    Dataset<Row> features = features(spark, events, Optional.empty(), Optional.empty());
    Row training = row(features, "training", "u1");

    assertThat(training.<Long>getAs("n_events")).isEqualTo(3L);
    assertThat(training.<Long>getAs("frequency")).isEqualTo(1L);
    assertThat(training.<Double>getAs("monetary")).isEqualTo(10.0);
    assertThat(training.<Double>getAs("view_to_purchase")).isEqualTo(0.5);
    assertThat(training.<Double>getAs("recency_days")).isCloseTo(2.583, within(0.001));
    assertThat(training.<Long>getAs("days_active")).isEqualTo(3L);
    assertThat(training.<String>getAs("top_category")).isEqualTo("books");
    Vector affinity = training.getAs("category_affinity");
    assertThat(affinity.toArray()).containsExactly(1.0, 0.0);
    assertThat(training.<Integer>getAs("purchased")).isEqualTo(1);
    assertThat(training.<Double>getAs("spend")).isEqualTo(500.0);
    assertThat(training.<Integer>getAs("tenure_days")).isEqualTo(655);

    // scoring window [10-02, 11-01): the view of 10-01 is outside it
    Row scoring = row(features, "scoring", "u1");
    assertThat(scoring.<Long>getAs("n_events")).isEqualTo(3L);
    assertThat(scoring.<Long>getAs("frequency")).isEqualTo(2L);
    assertThat(scoring.isNullAt(scoring.fieldIndex("purchased"))).isTrue();
    Vector scoringAffinity = scoring.getAs("category_affinity");
    assertThat(scoringAffinity.toArray()[0])
        .as("books: view 1 + purchase 3 of 7")
        .isCloseTo(4.0 / 7, within(1e-9));
  }

  @Test
  void nothingAtOrAfterTheFeatureWindowEndChangesAFeature(SparkSession spark) {
    Dataset<Row> before =
        DataFrames.of(
            spark,
            EVENTS,
            event("u1", "book", "view", "2026-10-01T10:00:00Z", 10.0),
            event("u1", "book", "purchase", "2026-10-10T10:00:00Z", 10.0));
    Dataset<Row> withLater =
        before.unionByName(
            DataFrames.of(
                spark,
                EVENTS,
                event("u1", "tv", "purchase", "2026-10-18T00:00:00Z", 900.0),
                event("u1", "tv", "cart", "2026-10-25T00:00:00Z", 900.0),
                event("u1", "tv", "purchase", "2026-11-01T00:00:00Z", 900.0)));

    List<String> featureColumns =
        List.of(
            "n_events",
            "frequency",
            "monetary",
            "recency_days",
            "avg_order_value",
            "view_to_purchase",
            "days_active",
            "distinct_items",
            "distinct_categories",
            "activity_trend",
            "top_category",
            "category_affinity",
            "n_cart",
            "rate_purchase",
            "share_web",
            "tenure_days",
            "age");
    Row a = row(features(spark, before, Optional.empty(), Optional.empty()), "training", "u1");
    Row b = row(features(spark, withLater, Optional.empty(), Optional.empty()), "training", "u1");
    for (String column : featureColumns) {
      assertThat((Object) b.getAs(column)).as(column).isEqualTo(a.getAs(column));
    }
    assertThat(a.<Integer>getAs("purchased")).isZero();
    assertThat(b.<Integer>getAs("purchased")).as("the label window sees them").isEqualTo(1);
    Row scoring =
        row(features(spark, withLater, Optional.empty(), Optional.empty()), "scoring", "u1");
    // [10-02, 11-01): purchases of 10-10 and 10-18 and the cart of 10-25; the event at T is not
    assertThat(scoring.<Long>getAs("n_events")).isEqualTo(3L);
  }

  @Test
  void usersWithoutEventsGetZerosAndTheirAttributes(SparkSession spark) {
    Dataset<Row> events =
        DataFrames.of(spark, EVENTS, event("u1", "book", "view", "2026-10-01T10:00:00Z", 10.0));

    Row quiet =
        row(features(spark, events, Optional.empty(), Optional.empty()), "scoring", "quiet");

    assertThat(quiet.<Long>getAs("n_events")).isZero();
    assertThat(quiet.<Double>getAs("recency_days")).isEqualTo(30.0);
    assertThat(quiet.<Double>getAs("age")).isEqualTo(50.0);
    Vector affinity = quiet.getAs("category_affinity");
    assertThat(affinity.toArray()).containsExactly(0.0, 0.0);
  }

  @Test
  void tenThousandCategoriesGiveASparseAffinityWithTheSameShares(SparkSession spark) {
    List<String> categories = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      categories.add(String.format("c%05d", i));
    }
    categories.set(4_321, "books");
    categories.set(9_998, "electronics");
    Dataset<Row> events =
        DataFrames.of(
            spark,
            EVENTS,
            event("u1", "book", "view", "2026-10-05T10:00:00Z", 10.0),
            event("u1", "tv", "purchase", "2026-10-06T10:00:00Z", 500.0));

    Row training =
        row(
            features(spark, events, Optional.empty(), Optional.empty(), categories),
            "training",
            "u1");

    Vector affinity = training.getAs("category_affinity");
    assertThat(affinity.size()).isEqualTo(10_000);
    assertThat(affinity.numActives()).isEqualTo(2);
    assertThat(affinity.apply(4_321)).isCloseTo(0.25, within(1e-9));
    assertThat(affinity.apply(9_998)).isCloseTo(0.75, within(1e-9));
    Vector quiet =
        row(
                features(spark, events, Optional.empty(), Optional.empty(), categories),
                "training",
                "quiet")
            .getAs("category_affinity");
    assertThat(quiet.size()).isEqualTo(10_000);
    assertThat(quiet.numActives()).isZero();
  }

  @Test
  void marketContextIsTheLatestRowBeforeTheWindowEndAcrossAGap(SparkSession spark) {
    StructType market =
        new StructType()
            .add("date", DataTypes.DateType)
            .add("category", DataTypes.StringType)
            .add("trend_index", DataTypes.DoubleType)
            .add("competitor_price_index", DataTypes.DoubleType)
            .add("promo_intensity", DataTypes.DoubleType);
    Dataset<Row> marketRows =
        DataFrames.of(
            spark,
            market,
            new Object[] {Date.valueOf("2026-10-01"), "books", 90.0, 100.0, 0.1},
            new Object[] {Date.valueOf("2026-10-08"), "books", 110.0, 101.0, 0.2},
            // gap: nothing between 10-08 and the training window end 10-18
            new Object[] {Date.valueOf("2026-10-18"), "books", 500.0, 500.0, 0.9},
            new Object[] {Date.valueOf("2026-10-30"), "books", 130.0, 102.0, 0.3});
    Dataset<Row> events =
        DataFrames.of(
            spark,
            EVENTS,
            event("u1", "book", "view", "2026-10-01T10:00:00Z", 10.0),
            event("u1", "book", "view", "2026-10-20T10:00:00Z", 10.0));

    Dataset<Row> features = features(spark, events, Optional.of(marketRows), Optional.empty());

    assertThat(row(features, "training", "u1").<Double>getAs("market_trend")).isEqualTo(110.0);
    assertThat(row(features, "training", "u1").<Double>getAs("market_promo")).isEqualTo(0.2);
    assertThat(row(features, "scoring", "u1").<Double>getAs("market_trend")).isEqualTo(130.0);
    assertThat(
            row(features, "scoring", "quiet")
                .isNullAt(row(features, "scoring", "quiet").fieldIndex("market_trend")))
        .isTrue();
  }

  @Test
  void socialInteractionsPerTypeAndPlatformSentimentAndTopCategoryShare(SparkSession spark) {
    StructType socialSchema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("platform", DataTypes.StringType)
            .add("interaction_type", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("sentiment", DataTypes.DoubleType)
            .add("category", DataTypes.StringType);
    Dataset<Row> social =
        DataFrames.of(
            spark,
            socialSchema,
            new Object[] {"u1", "wechat", "like", at("2026-10-20T10:00:00Z"), 0.5, "books"},
            new Object[] {"u1", "weibo", "share", at("2026-10-21T10:00:00Z"), -0.1, "electronics"},
            new Object[] {"u1", "wechat", "like", at("2026-10-22T10:00:00Z"), 0.2, null},
            new Object[] {"u1", "wechat", "like", at("2026-11-01T00:00:00Z"), 1.0, "books"});
    Dataset<Row> events =
        DataFrames.of(spark, EVENTS, event("u1", "book", "view", "2026-10-20T10:00:00Z", 10.0));

    Row scoring =
        row(
            UserFeatures.apply(
                new UserFeatures.Sources(
                    events,
                    Optional.empty(),
                    Optional.of(items(spark)),
                    Optional.empty(),
                    Optional.of(social),
                    Optional.empty()),
                T,
                CONFIG,
                List.of("books", "electronics")),
            "scoring",
            "u1");

    assertThat(scoring.<Long>getAs("n_social")).as("the one at T is outside").isEqualTo(3L);
    assertThat(scoring.<Long>getAs("social_like")).isEqualTo(2L);
    assertThat(scoring.<Long>getAs("social_share")).isEqualTo(1L);
    assertThat(scoring.<Long>getAs("social_wechat")).isEqualTo(2L);
    assertThat(scoring.<Double>getAs("mean_sentiment")).isCloseTo(0.2, within(1e-9));
    assertThat(scoring.<Double>getAs("social_top_category_share")).isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void responseRowsUseFeaturesBeforeTheSendTime(SparkSession spark) {
    StructType responses =
        new StructType()
            .add("campaign_id", DataTypes.StringType)
            .add("user_id", DataTypes.StringType)
            .add("offer", DataTypes.StringType)
            .add("channel", DataTypes.StringType)
            .add("group", DataTypes.StringType)
            .add("sent_time", DataTypes.TimestampType)
            .add("converted", DataTypes.BooleanType);
    Dataset<Row> contacts =
        DataFrames.of(
            spark,
            responses,
            new Object[] {
              "c1", "u1", "coupon", "email", "treatment", at("2026-10-10T10:00:00Z"), true
            },
            new Object[] {
              "c1", "quiet", "none", "sms", "control", at("2026-10-10T10:00:00Z"), false
            });
    Dataset<Row> events =
        DataFrames.of(
            spark,
            EVENTS,
            event("u1", "book", "view", "2026-10-01T10:00:00Z", 10.0),
            event("u1", "book", "purchase", "2026-10-10T10:00:00Z", 10.0));

    Dataset<Row> features = features(spark, events, Optional.empty(), Optional.of(contacts));
    Row contact =
        features
            .where(col("purpose").equalTo("response").and(col("user_id").equalTo("u1")))
            .first();

    assertThat(contact.<String>getAs("campaign_id")).isEqualTo("c1");
    assertThat(contact.<String>getAs("offer")).isEqualTo("coupon");
    assertThat(contact.<Integer>getAs("responded")).isEqualTo(1);
    assertThat(contact.<Long>getAs("n_events"))
        .as("the purchase at send time is not before it")
        .isEqualTo(1L);
    assertThat(features.where(col("purpose").equalTo("response")).count()).isEqualTo(2);
  }
}
