package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/**
 * The holdouts of evaluate-recs, and the evaluation on an explicit-rating data set mapped to events
 * (event_type = review with a rating, as a MovieLens-style file becomes through config).
 */
@ExtendWith(SparkExtension.class)
class RecsEvaluationTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 1);
  static final StructType EVENTS =
      new StructType()
          .add("user_id", DataTypes.StringType)
          .add("item_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("rating", DataTypes.IntegerType);

  @TempDir Path out;

  JobConfig config(String... sets) {
    return TestConfigs.config(null, out.toString(), RUN, sets);
  }

  static Timestamp daysBefore(int days) {
    return Timestamp.from(
        RUN.atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(days * 86_400L - 3600));
  }

  /**
   * 300 users rate 8 of 40 movies each, one a day; users of group g (user % 4) like the ten movies
   * g*10..g*10+9 and rate them 4-5, others 1-2.
   */
  static Dataset<Row> ratings(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      int group = u % 4;
      for (int k = 0; k < 8; k++) {
        int movie = (k < 6) ? group * 10 + (u * 7 + k * 3) % 10 : (u * 13 + k * 11) % 40;
        int rating = movie / 10 == group ? 4 + (u + k) % 2 : 1 + (u + k) % 2;
        rows.add(
            RowFactory.create("u" + u, "m" + movie, "review", daysBefore(8 * 2 - 2 * k), rating));
      }
    }
    return spark.createDataFrame(rows, EVENTS);
  }

  /** The 40 movies of {@link #ratings}: ten per genre. */
  static Dataset<Row> movies(SparkSession spark) {
    List<Row> movies = new ArrayList<>();
    for (int m = 0; m < 40; m++) {
      movies.add(RowFactory.create("m" + m, "genre" + m / 10, 10.0 + m % 5, true));
    }
    return spark.createDataFrame(
        movies,
        new StructType()
            .add("item_id", DataTypes.StringType)
            .add("category", DataTypes.StringType)
            .add("price", DataTypes.DoubleType)
            .add("in_stock", DataTypes.BooleanType));
  }

  @Test
  void holdoutsSplitAsConfigured(SparkSession spark) {
    Dataset<Row> events = ratings(spark).dropDuplicates("user_id", "item_id");
    Map<String, Long> itemsPerUser =
        events.groupBy("user_id").count().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));

    Holdouts.Split last =
        Holdouts.split(
            events, RUN, config("marketing.recommend.evaluation.holdout=leave-last").recommend());
    Dataset<Row> heldOut = last.relevant();
    assertThat(heldOut.groupBy("user_id").count().where("count <> 1").count()).isZero();
    assertThat(heldOut.count())
        .isEqualTo(itemsPerUser.values().stream().filter(n -> n >= 2).count());
    // The held-out item is the user's latest.
    Dataset<Row> latest =
        Interactions.weighted(events, config().recommend().eventWeights(), 30, RUN)
            .groupBy("user_id")
            .agg(
                org.apache
                    .spark
                    .sql
                    .functions
                    .max_by(col("item_id"), col("last_time"))
                    .as("item_id"));
    assertThat(heldOut.join(latest, new String[] {"user_id", "item_id"}).count())
        .isEqualTo(heldOut.count());
    assertThat(last.training().join(heldOut, new String[] {"user_id", "item_id"}).count()).isZero();

    Holdouts.Split fraction =
        Holdouts.split(
            events,
            RUN,
            config(
                    "marketing.recommend.evaluation.holdout=fraction",
                    "marketing.recommend.evaluation.holdout-fraction=0.25")
                .recommend());
    for (Row r : fraction.relevant().groupBy("user_id").count().collectAsList()) {
      long n = itemsPerUser.get(r.getString(0));
      assertThat(r.getLong(1)).isEqualTo(Math.max(1, (long) Math.floor(n * 0.25)));
    }
    Holdouts.Split again =
        Holdouts.split(
            events,
            RUN,
            config(
                    "marketing.recommend.evaluation.holdout=fraction",
                    "marketing.recommend.evaluation.holdout-fraction=0.25")
                .recommend());
    assertThat(again.relevant().exceptAll(fraction.relevant()).count()).as("seeded").isZero();

    Holdouts.Split time =
        Holdouts.split(
            events, RUN, config("marketing.recommend.evaluation.holdout-days=4").recommend());
    assertThat(time.relevant().count()).isPositive();
    assertThat(
            time.training()
                .where(col("last_time").geq(Timestamp.valueOf("2026-10-28 00:00:00")))
                .count())
        .isZero();
  }

  @Test
  void explicitRatingsAsEventsAreEvaluated(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    store.write("silver/events", RUN, ratings(spark));
    store.write("silver/items", RUN, movies(spark));
    List<RankingEvaluation.Measured> results =
        new EvaluateRecsJob()
            .run(
                spark,
                config(
                    "marketing.recommend.evaluation.holdout=leave-last",
                    "marketing.recommend.evaluation.k=[5, 10]",
                    "marketing.recommend.als.rank=4",
                    "marketing.recommend.als.max-iter=5"))
            .measured();
    assertThat(results)
        .extracting(RankingEvaluation.Measured::variant)
        .contains(
            "als",
            "content",
            "item model ease",
            "blend",
            "blend without category cap",
            "most_popular");
    assertThat(results).extracting(RankingEvaluation.Measured::k).contains(5, 10);
    assertThat(results).allMatch(m -> m.users() == 300 && m.precision() >= 0 && m.precision() <= 1);
    assertThat(store.read(Tables.RECOMMENDATION_METRICS, RUN).count()).isEqualTo(results.size());
    RankingEvaluation.Measured als =
        results.stream()
            .filter(m -> m.variant().equals("als") && m.k() == 10)
            .findFirst()
            .orElseThrow();
    assertThat(als.hitRate()).isPositive();
    // The genres show in what users rate together: the item model ranks above most-popular.
    assertThat(ndcgAt10(results, "item model ease"))
        .isGreaterThan(ndcgAt10(results, "most_popular"));
  }

  static double ndcgAt10(List<RankingEvaluation.Measured> results, String variant) {
    return results.stream()
        .filter(m -> m.variant().equals(variant) && m.k() == 10)
        .findFirst()
        .orElseThrow()
        .ndcg();
  }
}
