package org.marketingengine.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.cli.MarketingCli;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.Browser;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import picocli.CommandLine;

/**
 * The whole pipeline on {@code sample-data/} through the CLI's {@code run-all} in local mode, a
 * partial rerun, the ranking evaluation, and then the same run-all submitted with the shaded jar to
 * a Spark standalone cluster (master and two workers on 127.0.0.1, executors in their own JVMs)
 * into the same output directory: every table must come out as the local run wrote it. Stages share
 * one output directory, so the tests run in order. Runs after package (failsafe).
 */
@ExtendWith(SparkExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplePipelineIT {
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
        "--set", "marketing.recommend.als.max-iter=5",
        "--set", "spark.checkpoint.dir=/tmp/marketing-it-checkpoints"
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
    assertThat(output.toString())
        .contains("recommend  done", "strategy   done", "run-all ingest..report")
        .contains("export     skipped: marketing.export.jdbc-url is not set")
        .contains("report     done");

    TableStore store = store(spark);
    long scoringUsers =
        store.read(Tables.USER_FEATURES, RUN_DATE).where("purpose = 'scoring'").count();
    Dataset<Row> profiles = store.read(Tables.USER_PROFILES, RUN_DATE);
    assertThat(profiles.count()).isEqualTo(scoringUsers);
    assertThat(profiles.select("user_id").distinct().count()).isEqualTo(scoringUsers);
    assertThat(profiles.where("n_events = 0").count()).as("users without events").isPositive();
    assertThat(profiles.where("rfm_segment is null or cluster is null").count()).isZero();
    assertThat(profiles.where("purchase_propensity is null").count()).isZero();

    Dataset<Row> recs = store.read(Tables.RECOMMENDATIONS, RUN_DATE);
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
        store.read(Tables.USER_PROFILES, RUN_DATE).drop("profile_vector").localCheckpoint();
    Dataset<Row> recs = store.read(Tables.RECOMMENDATIONS, RUN_DATE).localCheckpoint();
    profiles.count();
    recs.count();

    StringWriter output = new StringWriter();
    assertThat(run(output, args("run-all", "--from", "profile"))).as(output.toString()).isZero();
    assertThat(output.toString()).doesNotContain("ingest ").contains("profile    done");

    DataFrames.assertSameRows(
        store.read(Tables.USER_PROFILES, RUN_DATE).drop("profile_vector"), profiles);
    DataFrames.assertSameRows(store.read(Tables.RECOMMENDATIONS, RUN_DATE), recs);
  }

  @Test
  @Order(3)
  void evaluateRecsWritesOneRowPerVariant(SparkSession spark) {
    StringWriter output = new StringWriter();
    assertThat(run(output, args("evaluate-recs"))).as(output.toString()).isZero();
    List<String> variants =
        store(spark)
            .read(Tables.RECOMMENDATION_METRICS, RUN_DATE)
            .select("variant")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(variants).contains("als", "content", "blend", "most_popular");
    assertThat(
            store(spark)
                .read(Tables.RECOMMENDATION_METRICS, RUN_DATE)
                .where("ndcg_at_k <= 0 or precision_at_k <= 0 or users < 100")
                .count())
        .isZero();
  }

  /**
   * The sample's report in headless Chromium without a network: no console error, the eight
   * sections, every chart drawn with a size, numbers equal to the tables', and the "not run" panel
   * of campaign effect on a date without responses. The screenshot stays under target/ for a person
   * to look at.
   */
  @Test
  @Order(4)
  void theReportOpensOfflineWithEveryChartDrawn(SparkSession spark) throws Exception {
    StringWriter output = new StringWriter();
    assertThat(run(output, args("report"))).as(output.toString()).isZero();
    Path page = out.resolve("reports").resolve(DATE).resolve("report.html");
    TableStore store = store(spark);
    Row champion =
        store
            .read(Tables.MODEL_METRICS, RUN_DATE)
            .where("champion and task = 'purchase' and split = 'test' and metric = 'auc_roc'")
            .first();
    Row contacts =
        store
            .read(Tables.USER_STRATEGY, RUN_DATE)
            .groupBy("campaign_id")
            .agg(functions.sum(functions.col("contacted").cast("long")).as("contacts"))
            .orderBy("campaign_id")
            .first();
    try (Browser browser = Browser.open()) {
      browser.load(page, "chartsDone");

      assertThat(browser.consoleErrors()).isEmpty();
      assertThat(browser.script("return document.body.dataset.errors || '';")).isEqualTo("");
      assertThat(browser.all("section[data-section]").stream().map(e -> e.getAttribute("id")))
          .containsExactly(
              "run",
              "data-quality",
              "models",
              "segments",
              "recommendations",
              "strategy",
              "campaign-effect",
              "trend");
      List<WebElement> charts = browser.all("[data-chart]");
      assertThat(charts).hasSizeGreaterThan(15);
      for (WebElement chart : charts) {
        List<WebElement> svg = chart.findElements(By.cssSelector("svg"));
        assertThat(svg).as("chart %s", chart.getAttribute("data-chart")).isNotEmpty();
        Map<String, Number> size = browser.size(svg.get(0));
        assertThat(size.get("width").doubleValue()).isGreaterThan(100);
        assertThat(size.get("height").doubleValue()).isGreaterThan(100);
      }
      assertThat(browser.all("[data-chart=roc]")).isNotEmpty();
      assertThat(browser.all("[data-chart=forest]")).hasSize(1);
      String model = champion.getAs("model");
      assertThat(browser.one("tr[data-model=" + model + "] td[data-metric=auc_roc]").getText())
          .isEqualTo(String.format(Locale.ROOT, "%.3f", champion.<Double>getAs("value")));
      assertThat(
              browser
                  .one("tr[data-campaign='" + contacts.getString(0) + "'] td[data-metric=contacts]")
                  .getText())
          .isEqualTo(String.valueOf(contacts.getLong(1)));
      browser.screenshot(Path.of("target", "report-screenshots", "sample-report.png"));

      // A date the pipeline never ran: every section says so, none breaks.
      String other = RUN_DATE.plusDays(1).toString();
      StringWriter second = new StringWriter();
      List<String> otherArgs = new java.util.ArrayList<>(List.of(args("report")));
      otherArgs.set(otherArgs.indexOf(DATE), other);
      assertThat(run(second, otherArgs.toArray(String[]::new))).as(second.toString()).isZero();
      browser.load(out.resolve("reports").resolve(other).resolve("report.html"), "chartsDone");
      assertThat(browser.consoleErrors()).isEmpty();
      assertThat(browser.all("section[data-section=campaign_effect] [data-not-run=true]").size())
          .isEqualTo(1);
      // Only the trend has data (the sample's date is earlier), and it is drawn.
      assertThat(browser.all("section[data-section=trend] [data-not-run]")).isEmpty();
      assertThat(browser.all("[data-chart]").stream().map(e -> e.getAttribute("data-chart")))
          .containsExactly("trend-rates", "trend-contacts");
      assertThat(browser.all("section[data-section=trend] [data-chart] svg")).hasSize(2);
      assertThat(browser.all("[data-not-run=true]")).hasSize(7);
    }
  }

  @Test
  @Order(5)
  void badStageNamesAndOrderAreUsageErrors() {
    StringWriter output = new StringWriter();
    assertThat(run(output, args("run-all", "--from", "nonsense"))).isEqualTo(MarketingCli.USAGE);
    assertThat(output.toString()).contains("'nonsense' is no stage");
    StringWriter reversed = new StringWriter();
    assertThat(run(reversed, args("run-all", "--from", "recommend", "--to", "clean")))
        .isEqualTo(MarketingCli.USAGE);
    assertThat(reversed.toString()).contains("comes before");
  }

  /** Every table the pipeline writes, for the run-to-run comparison. */
  static final List<String> TABLES =
      List.of(
          "bronze/events",
          "bronze/users",
          "bronze/items",
          "bronze/market",
          "bronze/social",
          "bronze/responses",
          "quarantine/events",
          "quarantine/users",
          "silver/events",
          "silver/users",
          "silver/items",
          "silver/responses",
          "features/user_features",
          "scores/user_scores",
          "profiles/user_profiles",
          "profiles/segment_summary",
          "recommendations/user_recommendations",
          "evaluation/campaign_effect",
          "feedback/offer_priors",
          "strategy/user_strategy",
          "strategy/segment_summary");

  @Test
  @Order(6)
  void runAllOnAStandaloneClusterRewritesTheSameTables(SparkSession spark) throws Exception {
    TableStore store = store(spark);
    java.util.Map<String, Dataset<Row>> before = new java.util.LinkedHashMap<>();
    for (String table : TABLES) {
      Dataset<Row> rows = DataFrames.rounded(store.read(table, RUN_DATE), 6).localCheckpoint();
      rows.count();
      before.put(table, rows);
    }
    Dataset<Row> metricsBefore = store.read("metrics/model_metrics", RUN_DATE).localCheckpoint();
    metricsBefore.count();

    Path clusterDir = Path.of("/tmp", "marketing-it-cluster-" + java.util.UUID.randomUUID());
    String script = TestConfigs.repoRoot().resolve("scripts/ci/standalone-cluster.sh").toString();
    Process start =
        new ProcessBuilder("bash", script, "start", clusterDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String master = new String(start.getInputStream().readAllBytes()).strip();
    try {
      assertThat(start.waitFor()).as("standalone-cluster.sh start").isZero();
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  "bash",
                  TestConfigs.repoRoot().resolve("scripts/submit.sh").toString(),
                  "--master",
                  master.lines().reduce((a, b) -> b).orElseThrow(),
                  "--conf",
                  "spark.executor.memory=1g",
                  "--"));
      command.addAll(
          List.of(
              args(
                  "run-all",
                  "--input",
                  TestConfigs.repoRoot().resolve("sample-data/csv").toString())));
      Path log = clusterDir.resolveSibling(clusterDir.getFileName() + ".log");
      Process submit =
          new ProcessBuilder(command)
              .directory(TestConfigs.repoRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      int code = submit.waitFor();
      String output = java.nio.file.Files.readString(log);
      assertThat(code)
          .as(
              output
                  .lines()
                  .filter(l -> !l.startsWith("[Stage"))
                  .reduce("", (a, b) -> a + "\n" + b))
          .isZero();
      assertThat(output).contains("run-all ingest..report");

      // File-level problems give the usual one line and exit code under spark-submit too.
      String masterUrl = master.lines().reduce((a, b) -> b).orElseThrow();
      Submitted missingInput =
          submit(
              masterUrl,
              "ingest",
              "--input",
              "/nonexistent/marketing-input",
              "--output",
              out.toString(),
              "--run-date",
              DATE);
      assertThat(missingInput.code())
          .as(missingInput.output())
          .isEqualTo(MarketingCli.INVALID_INPUT);
      assertThat(missingInput.output()).contains("/nonexistent/marketing-input");
      Submitted missingConf =
          submit(
              masterUrl,
              "features",
              "--conf",
              "/nonexistent/cluster.conf",
              "--output",
              out.toString());
      assertThat(missingConf.code()).as(missingConf.output()).isEqualTo(MarketingCli.USAGE);
      assertThat(missingConf.output()).contains("/nonexistent/cluster.conf");
      Submitted readOnly =
          submit(
              masterUrl,
              "ingest",
              "--input",
              TestConfigs.repoRoot().resolve("sample-data/csv").toString(),
              "--output",
              "/proc/marketing-out",
              "--run-date",
              DATE);
      assertThat(readOnly.code()).as(readOnly.output()).isEqualTo(MarketingCli.FAILED);
      assertThat(readOnly.output().lines().filter(l -> l.startsWith("marketing: ")).toList())
          .singleElement()
          .asString()
          .contains("/proc/marketing-out");

      killAWorkerWhileFeaturesRuns(masterUrl, clusterDir);
    } finally {
      new ProcessBuilder("bash", script, "stop", clusterDir.toString())
          .inheritIO()
          .start()
          .waitFor();
    }

    for (var e : before.entrySet()) {
      Dataset<Row> after = DataFrames.rounded(store.read(e.getKey(), RUN_DATE), 6);
      assertThat(after.count()).as("rows of " + e.getKey()).isEqualTo(e.getValue().count());
      if (e.getKey().equals("recommendations/user_recommendations")) {
        assertCloseRecommendations(e.getValue(), after);
      } else if (e.getKey().equals("strategy/user_strategy")) {
        // Items come from ALS, whose in-block summation order differs between runs: the plan is
        // the same, the item lists nearly so.
        DataFrames.assertSameRows(
            e.getValue().drop("items", "message"), after.drop("items", "message"));
        long sameItems =
            e.getValue()
                .alias("a")
                .join(after.alias("b"), "strategy_id")
                .where(col("a.items").equalTo(col("b.items")))
                .count();
        assertThat(sameItems).isGreaterThan((long) (0.9 * after.count()));
      } else {
        DataFrames.assertSameRows(e.getValue(), after);
      }
    }
    // Models: the same metrics within a tolerance (the optimisers' sums may order differently).
    List<Row> diffs =
        metricsBefore
            .alias("a")
            .join(
                store.read("metrics/model_metrics", RUN_DATE).alias("b"),
                List.of("model", "split", "metric").stream()
                    .map(c -> col("a." + c).equalTo(col("b." + c)))
                    .reduce(org.apache.spark.sql.Column::and)
                    .orElseThrow())
            .where(
                org.apache.spark.sql.functions.abs(col("a.value").minus(col("b.value"))).gt(0.01))
            .collectAsList();
    assertThat(diffs).isEmpty();
    assertThat(store.read("metrics/model_metrics", RUN_DATE).count())
        .isEqualTo(metricsBefore.count());

    // A second date beside the first: its own partitions, the first date's untouched.
    LocalDate next = RUN_DATE.plusDays(1);
    List<String> nextArgs =
        new java.util.ArrayList<>(
            List.of(
                args(
                    "run-all",
                    "--to",
                    "clean",
                    "--input",
                    TestConfigs.repoRoot().resolve("sample-data/csv").toString())));
    nextArgs.set(nextArgs.indexOf(DATE), next.toString());
    StringWriter output = new StringWriter();
    assertThat(run(output, nextArgs.toArray(String[]::new))).as(output.toString()).isZero();
    for (String table : List.of("bronze/events", "silver/events", "silver/users")) {
      DataFrames.assertSameRows(
          before.get(table), DataFrames.rounded(store.read(table, RUN_DATE), 6));
      assertThat(store.read(table, next).count()).isEqualTo(before.get(table).count());
    }
  }

  /**
   * ALS sums ratings in the order they arrive from the shuffle, so factors differ in the last bits
   * between runs and near-ties can swap: at least 95% of the (user, item) pairs must be the same,
   * with scores within 0.001.
   */
  static void assertCloseRecommendations(Dataset<Row> expected, Dataset<Row> actual) {
    Dataset<Row> matched =
        expected.alias("a").join(actual.alias("b"), new String[] {"user_id", "item_id"}).cache();
    long pairs = matched.count();
    assertThat(pairs).isGreaterThan((long) (0.95 * expected.count()));
    assertThat(
            matched
                .where(
                    org.apache
                        .spark
                        .sql
                        .functions
                        .abs(col("a.score").minus(col("b.score")))
                        .gt(0.001))
                .count())
        .isZero();
    assertThat(actual.select("user_id").distinct().count())
        .isEqualTo(expected.select("user_id").distinct().count());
  }

  /**
   * Reliability case 2: features (joins and aggregations over all events: shuffles) submitted to
   * the cluster, and once the executor of worker 1 is running its tasks, that worker and its
   * executor are killed with kill -9. The job must finish on the other worker (lost tasks and lost
   * shuffle output recomputed); the caller then compares features/user_features with the local
   * run's.
   */
  private static void killAWorkerWhileFeaturesRuns(String masterUrl, Path clusterDir)
      throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "bash",
                TestConfigs.repoRoot().resolve("scripts/submit.sh").toString(),
                "--master",
                masterUrl,
                "--conf",
                "spark.executor.memory=1g",
                "--"));
    command.addAll(List.of(args("features")));
    Path log = clusterDir.resolveSibling(clusterDir.getFileName() + "-features.log");
    Process features =
        new ProcessBuilder(command)
            .directory(TestConfigs.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    // Features runs about 90 Spark stages here; the kill comes once stage 30 has started (the
    // driver's progress bar), when both executors hold shuffle output.
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
    int stage = 0;
    while (features.isAlive() && System.nanoTime() < deadline && stage < 30) {
      Thread.sleep(200);
      stage = latestStage(log);
    }
    long workerPid =
        Long.parseLong(java.nio.file.Files.readString(clusterDir.resolve("worker1.pid")).strip());
    boolean aliveAtKill = features.isAlive();
    new ProcessBuilder("pkill", "-9", "-P", Long.toString(workerPid)).start().waitFor();
    new ProcessBuilder("kill", "-9", Long.toString(workerPid)).start().waitFor();
    int code = features.waitFor();
    String output = java.nio.file.Files.readString(log);
    assertThat(aliveAtKill).as("features still running when the worker was killed").isTrue();
    assertThat(code).as(output).isZero();
    assertThat(output).containsIgnoringCase("lost executor");
    org.marketingengine.testing.ReliabilityLog.passed(
        "2 worker killed during a shuffle stage",
        "features submitted to the standalone cluster (master, 2 workers, executors in their own"
            + " JVMs); once Spark stage "
            + stage
            + " had started, kill -9 of worker 1 and its executor",
        "the job succeeds on the other worker; outputs equal the local run's",
        "exit 0, the driver logged the lost executor and reran its tasks; features/user_features"
            + " equal to the local run's");
  }

  /** The highest Spark stage number in the driver's progress bar so far. */
  private static int latestStage(Path log) throws java.io.IOException {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\[Stage (\\d+)")
            .matcher(java.nio.file.Files.readString(log));
    int latest = 0;
    while (m.find()) {
      latest = Math.max(latest, Integer.parseInt(m.group(1)));
    }
    return latest;
  }

  record Submitted(int code, String output) {}

  /** Submits one subcommand to the cluster and returns its exit code and output. */
  static Submitted submit(String master, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "bash",
                TestConfigs.repoRoot().resolve("scripts/submit.sh").toString(),
                "--master",
                master,
                "--"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(TestConfigs.repoRoot().toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    return new Submitted(p.waitFor(), output);
  }
}
