package org.marketingengine.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.cli.MarketingCli;
import org.marketingengine.config.TableFormat;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.io.TableStore;
import org.marketingengine.profile.ProfileJob;
import org.marketingengine.recommend.RecommendJob;
import org.marketingengine.recommend.RecsEvaluation;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;
import picocli.CommandLine;

/**
 * The whole pipeline on {@code sample-data/} through the CLI's {@code run-all}, then a partial
 * rerun and the ranking evaluation. Stages share one output directory, so the tests run in order.
 */
@ExtendWith(SparkExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplePipelineTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final String DATE = RUN_DATE.toString();

  @TempDir static Path out;

  /** Quick model grids: the pipeline, not the model quality, is under test here. */
  private static final String[] FAST =
      new String[] {
        "--set", "marketing.train.permutation-importance=false",
        "--set", "marketing.train.grids.mlp.hidden-layers=[[8]]",
        "--set", "marketing.train.grids.mlp.max-iter=30",
        "--set", "marketing.train.grids.logistic-regression.reg-param=[0.01]",
        "--set", "marketing.train.grids.logistic-regression.elastic-net-param=[0.0]",
        "--set", "marketing.train.grids.linear-regression.reg-param=[0.01]",
        "--set", "marketing.train.grids.linear-regression.elastic-net-param=[0.0]",
        "--set", "marketing.recommend.als.max-iter=5"
      };

  static String[] args(String... head) {
    List<String> all = new java.util.ArrayList<>(List.of(head));
    all.addAll(
        List.of(
            "--conf",
            TestConfigs.repoRoot().resolve("conf/local.conf").toString(),
            "--run-date",
            DATE,
            "--output",
            out.toString()));
    all.addAll(List.of(FAST));
    return all.toArray(String[]::new);
  }

  static int run(StringWriter output, String... args) {
    CommandLine cli = MarketingCli.commandLine();
    cli.setOut(new PrintWriter(output));
    cli.setErr(new PrintWriter(output));
    return cli.execute(args);
  }

  private static TableStore store(SparkSession spark) {
    return new TableStore(spark, out.toString(), TableFormat.PARQUET);
  }

  @Test
  @Order(1)
  void runAllBuildsProfilesAndRecommendationsForEveryUser(SparkSession spark) {
    StringWriter output = new StringWriter();
    int code =
        run(
            output,
            args(
                "run-all",
                "--input",
                TestConfigs.repoRoot().resolve("sample-data/csv").toString()));
    assertThat(code).as(output.toString()).isZero();
    assertThat(output.toString()).contains("recommend  done", "run-all ingest..recommend");

    TableStore store = store(spark);
    long scoringUsers =
        store.read(FeaturesJob.USER_FEATURES, RUN_DATE).where("purpose = 'scoring'").count();
    Dataset<Row> profiles = store.read(ProfileJob.USER_PROFILES, RUN_DATE);
    assertThat(profiles.count()).isEqualTo(scoringUsers);
    assertThat(profiles.select("user_id").distinct().count()).isEqualTo(scoringUsers);
    assertThat(profiles.where("n_events = 0").count()).as("users without events").isPositive();
    assertThat(profiles.where("rfm_segment is null or cluster is null").count()).isZero();
    assertThat(profiles.where("purchase_propensity is null").count()).isZero();

    Dataset<Row> recs = store.read(RecommendJob.RECOMMENDATIONS, RUN_DATE);
    List<Row> perUser =
        recs.groupBy("user_id")
            .agg(
                org.apache.spark.sql.functions.count("item_id").as("n"),
                countDistinct("item_id").as("distinct"))
            .where("n <> 10 or distinct <> 10")
            .collectAsList();
    assertThat(perUser).as("users without exactly 10 distinct items").isEmpty();
    assertThat(recs.select("user_id").distinct().count()).isEqualTo(scoringUsers);
    // Nothing a user bought in the window is recommended back to them.
    Dataset<Row> bought =
        store
            .read("silver/events", RUN_DATE)
            .where(col("event_type").equalTo("purchase"))
            .select("user_id", "item_id")
            .distinct();
    assertThat(recs.join(bought, new String[] {"user_id", "item_id"}).count()).isZero();
    assertThat(recs.where(col("reason").isNull()).count()).isZero();
  }

  @Test
  @Order(2)
  void rerunningProfileAndRecommendGivesTheSameTables(SparkSession spark) {
    TableStore store = store(spark);
    Dataset<Row> profiles =
        store.read(ProfileJob.USER_PROFILES, RUN_DATE).drop("profile_vector").localCheckpoint();
    Dataset<Row> recs = store.read(RecommendJob.RECOMMENDATIONS, RUN_DATE).localCheckpoint();
    profiles.count();
    recs.count();

    StringWriter output = new StringWriter();
    assertThat(run(output, args("run-all", "--from", "profile"))).as(output.toString()).isZero();
    assertThat(output.toString()).doesNotContain("ingest ").contains("profile    done");

    DataFrames.assertSameRows(
        store.read(ProfileJob.USER_PROFILES, RUN_DATE).drop("profile_vector"), profiles);
    DataFrames.assertSameRows(store.read(RecommendJob.RECOMMENDATIONS, RUN_DATE), recs);
  }

  @Test
  @Order(3)
  void evaluateRecsWritesOneRowPerVariant(SparkSession spark) {
    StringWriter output = new StringWriter();
    assertThat(run(output, args("evaluate-recs"))).as(output.toString()).isZero();
    List<String> variants =
        store(spark)
            .read(RecsEvaluation.METRICS, RUN_DATE)
            .select("variant")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(variants).contains("als", "content", "blend", "most_popular");
    assertThat(
            store(spark)
                .read(RecsEvaluation.METRICS, RUN_DATE)
                .where("ndcg_at_k <= 0 or precision_at_k <= 0 or users < 100")
                .count())
        .isZero();
  }

  @Test
  @Order(4)
  void badStageNamesAndOrderAreUsageErrors() {
    StringWriter output = new StringWriter();
    assertThat(run(output, args("run-all", "--from", "nonsense"))).isEqualTo(MarketingCli.USAGE);
    assertThat(output.toString()).contains("'nonsense' is no stage");
    StringWriter reversed = new StringWriter();
    assertThat(run(reversed, args("run-all", "--from", "recommend", "--to", "clean")))
        .isEqualTo(MarketingCli.USAGE);
    assertThat(reversed.toString()).contains("comes before");
  }
}
