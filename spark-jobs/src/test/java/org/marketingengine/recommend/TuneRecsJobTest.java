package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.StageContext;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/**
 * tune-recs on the ratings of {@link RecsEvaluationTest} (time holdout of 4 days: test = each
 * user's last two ratings, validation = the two before, fit = the four before those).
 */
@ExtendWith(SparkExtension.class)
class TuneRecsJobTest {
  static final String[] SEARCH = {
    "marketing.recommend.evaluation.holdout-days=4",
    "marketing.recommend.als.rank=4",
    "marketing.recommend.als.max-iter=5",
    "marketing.recommend.tune.budget=2",
    "marketing.recommend.tune.refine=1",
    "marketing.recommend.tune.rank=[4, 8]",
    "marketing.recommend.tune.reg-param=[0.05, 0.5]",
    "marketing.recommend.tune.alpha=[1.0, 10.0]",
    "marketing.recommend.tune.max-iter=[5]",
    "marketing.recommend.tune.blend-weights=[0.5, 1.0]",
    "marketing.recommend.tune.item-weights=[0.5]",
    "marketing.recommend.tune.max-per-category=[4, 10]"
  };

  @TempDir Path out;

  JobConfig config(Path root, String... more) {
    List<String> sets = new ArrayList<>(List.of(SEARCH));
    sets.addAll(List.of(more));
    return TestConfigs.config(
        null, root.toString(), RecsEvaluationTest.RUN, sets.toArray(String[]::new));
  }

  void write(SparkSession spark, Path root, Dataset<Row> events) {
    TableStore store = new TableStore(spark, root.toString(), TableFormat.PARQUET);
    store.write("silver/events", RecsEvaluationTest.RUN, events);
    store.write("silver/items", RecsEvaluationTest.RUN, RecsEvaluationTest.movies(spark));
  }

  /**
   * One search (each costs a minute here), then the settings file, and the proof that tune-recs
   * never reads the test holdout: replacing every event of the test days (the last 4) with
   * different ones changes the test measurements but not one validation figure, nor the choice.
   */
  @Test
  void choosesOnValidationOnlyAndRecommendUsesTheChoice(SparkSession spark) throws Exception {
    write(spark, out, RecsEvaluationTest.ratings(spark));
    JobConfig config = config(out);
    TuneRecsJob.Result result = new TuneRecsJob().run(spark, config);
    theTestDaysDoNotChangeTheChoice(spark, result);

    // 2 fits x (blend 0.5, 1.0 and the configured 0.7) x (item weight 0.5 and the configured 0)
    // x (cap 4, 10): 24 rows, one chosen.
    assertThat(result.rows()).hasSize(24);
    assertThat(result.rows()).filteredOn(r -> r.itemWeight() == 0.5).hasSize(12);
    assertThat(result.rows()).filteredOn(TrialRow::chosen).hasSize(1);
    assertThat(result.chosen().value())
        .isEqualTo(result.rows().stream().mapToDouble(TrialRow::value).max().orElse(-1))
        .isGreaterThanOrEqualTo(result.configured().value())
        .isPositive();
    assertThat(result.configured().fit()).isEqualTo(1);
    assertThat(result.configured().blendWeight()).isEqualTo(0.7);
    assertThat(result.rows()).allMatch(r -> r.users() == 300 && r.value() == r.ndcg());
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    assertThat(store.read(Tables.RECOMMENDATION_TUNING, RecsEvaluationTest.RUN).count())
        .isEqualTo(24);
    assertThat(result.onTest())
        .extracting(RankingEvaluation.Measured::variant)
        .contains("tuned", "most_popular");

    Path file = out.resolve("recommend/tuned/2026-11-01.conf");
    assertThat(Files.readString(file))
        .startsWith("# Chosen by tune-recs for run date 2026-11-01")
        .contains(
            "marketing.recommend {",
            "blend-weight = " + result.tuned().blendWeight(),
            "item-weight = " + result.tuned().itemWeight());
    RecommendConfig resolved = TunedSettings.resolve(StageContext.of(spark, config));
    assertThat(resolved.tuned()).isEqualTo(result.tuned());
    assertThat(resolved.topN()).isEqualTo(config.recommend().topN());
    // settings = config ignores the file; an earlier run date does not see it.
    assertThat(
            TunedSettings.resolve(
                    StageContext.of(spark, config(out, "marketing.recommend.settings=config")))
                .tuned())
        .isEqualTo(config.recommend().tuned());
    assertThat(
            TunedSettings.resolve(
                    StageContext.of(spark, config.withRunDate(RecsEvaluationTest.RUN.minusDays(1))))
                .tuned())
        .isEqualTo(config.recommend().tuned());
    // A broken file stops with a config error naming it.
    Files.writeString(file, "marketing.recommend { als { rank = -1 } }");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TunedSettings.resolve(StageContext.of(spark, config)))
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageContaining("marketing.recommend.settings = config");
  }

  private void theTestDaysDoNotChangeTheChoice(SparkSession spark, TuneRecsJob.Result first) {
    Dataset<Row> ratings = RecsEvaluationTest.ratings(spark);
    Timestamp testStart = Timestamp.valueOf("2026-10-28 00:00:00");
    List<Row> other = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      for (int k = 0; k < 3; k++) {
        other.add(
            RowFactory.create(
                "u" + u,
                "m" + (u * 11 + k * 17) % 40,
                "purchase",
                RecsEvaluationTest.daysBefore(3 - k),
                null));
      }
    }
    Dataset<Row> changed =
        ratings
            .where(col("event_time").lt(lit(testStart)))
            .unionByName(spark.createDataFrame(other, RecsEvaluationTest.EVENTS));
    assertThat(ratings.where(col("event_time").geq(lit(testStart))).count()).isPositive();
    Path b = out.resolve("changed");
    write(spark, b, changed);
    TuneRecsJob.Result second = new TuneRecsJob().run(spark, config(b));

    assertThat(second.tuned()).isEqualTo(first.tuned());
    assertThat(withoutTimes(second.rows())).isEqualTo(withoutTimes(first.rows()));
    assertThat(second.onTest()).as("the test days did change").isNotEqualTo(first.onTest());
  }

  /** The rows with the fit time zeroed (the only figure that may differ between runs). */
  private static List<TrialRow> withoutTimes(List<TrialRow> rows) {
    return rows.stream()
        .map(
            r ->
                new TrialRow(
                    r.fit(),
                    r.rank(),
                    r.regParam(),
                    r.alpha(),
                    r.maxIter(),
                    r.eventWeights(),
                    r.ratingScaling(),
                    r.blendWeight(),
                    r.itemWeight(),
                    r.maxPerCategory(),
                    r.metric(),
                    r.k(),
                    r.precision(),
                    r.recall(),
                    r.ndcg(),
                    r.map(),
                    r.hitRate(),
                    r.value(),
                    r.users(),
                    0,
                    r.chosen()))
        .toList();
  }
}
