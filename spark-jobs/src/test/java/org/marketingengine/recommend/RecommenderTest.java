package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class RecommenderTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final StructType EVENTS =
      new StructType()
          .add("user_id", DataTypes.StringType)
          .add("item_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("rating", DataTypes.IntegerType);
  private static final StructType ITEMS =
      new StructType()
          .add("item_id", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("brand", DataTypes.StringType)
          .add("price", DataTypes.DoubleType)
          .add("in_stock", DataTypes.BooleanType);

  @TempDir Path out;

  private RecommendConfig config(String... sets) {
    return TestConfigs.config(null, out.toString(), RUN_DATE, sets).recommend();
  }

  private static Timestamp daysBefore(double days) {
    return Timestamp.from(
        RUN_DATE.atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(Math.round(days * 86_400)));
  }

  private static Row event(String user, String item, String type, double daysAgo, Integer rating) {
    return RowFactory.create(user, item, type, daysBefore(daysAgo), rating);
  }

  @Test
  void interactionsWeighByTypeRatingAndAge(SparkSession spark) {
    Dataset<Row> events =
        spark.createDataFrame(
            List.of(
                event("u1", "i1", "purchase", 0, null),
                event("u1", "i1", "view", 30, null),
                event("u1", "i2", "review", 0, 5),
                event("u1", "i3", "review", 0, 1),
                event("u2", "i1", "view", 60, null)),
            EVENTS);
    RecommendConfig c = config();
    Map<String, Row> rows =
        Interactions.weighted(events, c.eventWeights(), c.halfLifeDays(), RUN_DATE)
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r));

    // purchase (6) today + view (1) one half-life ago (x 0.5).
    assertThat(rows.get("u1/i1").<Double>getAs("weight")).isCloseTo(6.5, within(1e-3));
    assertThat(rows.get("u1/i1").<Boolean>getAs("bought")).isTrue();
    // review weight 3 x rating / 3.
    assertThat(rows.get("u1/i2").<Double>getAs("weight")).isCloseTo(5.0, within(1e-3));
    assertThat(rows.get("u1/i3").<Double>getAs("weight")).isCloseTo(1.0, within(1e-3));
    assertThat(rows.get("u1/i2").<Boolean>getAs("bought")).isFalse();
    // two half-lives: a quarter.
    assertThat(rows.get("u2/i1").<Double>getAs("weight")).isCloseTo(0.25, within(1e-3));
  }

  @Test
  void idIndexIsDenseAndRoundTrips(SparkSession spark) {
    Dataset<Row> ids =
        spark.createDataFrame(
            List.of(
                RowFactory.create("c"),
                RowFactory.create("a"),
                RowFactory.create("b"),
                RowFactory.create("a"),
                RowFactory.create((Object) null)),
            new StructType().add("user_id", DataTypes.StringType));
    Dataset<Row> index = IdIndex.build(ids.repartition(3), "user_id");
    Map<String, Integer> map =
        index.collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getInt(1)));
    assertThat(map).containsExactlyInAnyOrderEntriesOf(Map.of("a", 0, "b", 1, "c", 2));
    // Mapping in and back out gives the original ids.
    List<String> back =
        ids.where(col("user_id").isNotNull())
            .join(index, "user_id")
            .join(index.withColumnRenamed("user_id", "back"), IdIndex.INDEX)
            .select("back")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(back).containsExactlyInAnyOrder("c", "a", "b", "a");
  }

  /**
   * Six users like category a, four like b; everyone viewed the out-of-stock a6; u1 bought a1; the
   * cold user has no events.
   */
  private static Dataset<Row> events(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int u = 1; u <= 10; u++) {
      String category = u <= 6 ? "a" : "b";
      for (int i = 1; i <= 4; i++) {
        if ((u + i) % 3 != 0) {
          rows.add(event("u" + u, category + i, "view", u + i, null));
        }
      }
      rows.add(event("u" + u, category + (u % 2 + 1), "click", 2, null));
      rows.add(event("u" + u, "a6", "cart", 1, null));
    }
    rows.add(event("u1", "a1", "purchase", 1, null));
    return spark.createDataFrame(rows, EVENTS);
  }

  private static Dataset<Row> items(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (String c : List.of("a", "b")) {
      for (int i = 1; i <= 5; i++) {
        rows.add(RowFactory.create(c + i, c, "brand" + (i % 2), 10.0 * i, true));
      }
    }
    rows.add(RowFactory.create("a6", "a", "brand0", 15.0, false));
    return spark.createDataFrame(rows, ITEMS);
  }

  @Test
  void recommendationsFollowTheBusinessRulesAndCoverColdUsers(SparkSession spark) {
    RecommendConfig c =
        config(
            "marketing.recommend.top-n=4",
            "marketing.recommend.max-per-category=3",
            "marketing.recommend.als.rank=3",
            "marketing.recommend.als.max-iter=5");
    Dataset<Row> interactions =
        Interactions.weighted(events(spark), c.eventWeights(), c.halfLifeDays(), RUN_DATE);
    Dataset<Row> items = items(spark);
    Recommender.Model model =
        Recommender.fit(
            interactions,
            Recommender.Content.of(
                interactions,
                items,
                Optional.empty(),
                List.of("a", "b"),
                c.brandBuckets(),
                RUN_DATE),
            List.of("a", "b"),
            c.als(),
            c.itemModel());
    List<Row> userRows = new ArrayList<>();
    for (int u = 1; u <= 10; u++) {
      userRows.add(RowFactory.create("u" + u, u <= 3 ? "s1" : "s2"));
    }
    userRows.add(RowFactory.create("cold", "s1"));
    Dataset<Row> users =
        spark.createDataFrame(
            userRows,
            new StructType()
                .add("user_id", DataTypes.StringType)
                .add("segment", DataTypes.StringType));

    Dataset<Row> recs =
        Recommender.rank(
                Recommender.score(model, Recommender.candidates(model, users, c)),
                RecommendJob.boughtExclusions(interactions, model.items(), c),
                Recommender.Ranking.of(c),
                c.topN())
            .cache();

    assertThat(recs.where(col("item_id").equalTo("a6")).count()).as("out of stock").isZero();
    assertThat(recs.where(col("user_id").equalTo("u1").and(col("item_id").equalTo("a1"))).count())
        .as("bought by u1")
        .isZero();
    assertThat(recs.where(col("item_id").equalTo("a1")).count())
        .as("a1 still recommended to others")
        .isPositive();
    List<Row> perUser =
        recs.groupBy("user_id")
            .agg(
                org.apache.spark.sql.functions.count("item_id").as("n"),
                countDistinct("item_id").as("distinct"),
                max("rank").as("max_rank"))
            .collectAsList();
    assertThat(perUser).hasSize(11);
    for (Row r : perUser) {
      assertThat(r.<Long>getAs("n")).as("top-n for " + r.getString(0)).isEqualTo(4);
      assertThat(r.<Long>getAs("distinct")).as("no item twice").isEqualTo(4);
      assertThat(r.<Integer>getAs("max_rank")).isEqualTo(4);
    }
    assertThat(recs.groupBy("user_id", "category").count().where(col("count").gt(3)).count())
        .as("at most 3 per category")
        .isZero();
    List<String> coldReasons =
        recs.where(col("user_id").equalTo("cold"))
            .select("reason")
            .distinct()
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(coldReasons).isNotEmpty().isSubsetOf("popular_in_segment", "trending");
    assertThat(recs.where(col("user_id").equalTo("cold").and(col("als_score").gt(0))).count())
        .isZero();
    // A user of category a gets mostly a-items from the collaborative and content parts.
    assertThat(recs.where(col("user_id").equalTo("u2").and(col("category").equalTo("a"))).count())
        .isEqualTo(3);
  }
}
