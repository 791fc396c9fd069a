package org.marketingengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.cli.MarketingCli;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.TableFormat;
import org.marketingengine.generate.GenerateDataJob;
import org.marketingengine.generate.GeneratorParams;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.testing.ChildJvm;
import org.marketingengine.testing.ReliabilityLog;
import org.marketingengine.testing.SparkExtension;
import picocli.CommandLine;

/**
 * The clean stage killed with {@code kill -9} (a separate JVM, no exception, no {@code finally}) at
 * the points of a publish, run twice at once, and pointed at an output it cannot write. The
 * promise: every table partition and JSON file of the date is whole, either the previous run's or
 * the new one's; a second run of the same stage and date fails at once; rerunning after a kill
 * gives the same tables as an undisturbed run; an unwritable output is a one-line error that leaves
 * the previous outputs alone.
 *
 * <p>Setup: data set A is ingested and cleaned (the "previous" outputs), then data set B is
 * ingested for the same date, so a clean that completes changes every table. An undisturbed clean
 * of B elsewhere is the expected "new" result.
 */
@ExtendWith(SparkExtension.class)
class KilledStageTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final List<String> INPUTS =
      List.of("events", "users", "items", "market", "social", "responses");

  @TempDir static Path root;
  private static Path before;
  private static Map<String, List<String>> previous;
  private static Map<String, List<String>> expected;

  @TempDir Path dir;

  @BeforeAll
  static void previousAndExpectedOutputs() throws IOException {
    SparkSession spark = SparkExtension.spark();
    Path dataA = generate(spark, "a", 1);
    Path dataB = generate(spark, "b", 2);
    Path reference = root.resolve("reference");
    cli("ingest", reference, dataB).assertOk();
    cli("clean", reference, dataB).assertOk();
    expected = snapshot(spark, reference);

    before = root.resolve("before");
    cli("ingest", before, dataA).assertOk();
    cli("clean", before, dataA).assertOk();
    cli("ingest", before, dataB).assertOk();
    previous = snapshot(spark, before);
    assertThat(previous.get("silver/events")).isNotEqualTo(expected.get("silver/events"));
  }

  private static Path generate(SparkSession spark, String name, long seed) {
    Path data = root.resolve("data-" + name);
    GenerateDataJob.run(
        spark,
        new GeneratorParams(300, 60, 30, seed, RUN_DATE, FileFormat.CSV, 0.02, 6, 0.01),
        data.toString());
    return data;
  }

  /** Every output of clean for the date: the silver and quarantine tables and the quality file. */
  private static Map<String, List<String>> snapshot(SparkSession spark, Path lake) {
    TableStore store = new TableStore(spark, lake.toString(), TableFormat.PARQUET);
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (String input : INPUTS) {
      for (String table : List.of(Tables.silver(input), Tables.quarantine(input))) {
        tables.put(table, sortedRows(store.read(table, RUN_DATE).collectAsList()));
      }
    }
    JsonNode quality =
        DataQualityReport.read(
                spark.sparkContext().hadoopConfiguration(), lake.toString(), RUN_DATE)
            .path("inputs");
    tables.put("data_quality.json", List.of(quality.toString()));
    return tables;
  }

  private static List<String> sortedRows(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  private Path copyOfBefore() throws IOException {
    Path lake = dir.resolve("lake");
    FileUtils.copyDirectory(before.toFile(), lake.toFile());
    return lake;
  }

  /** Each output is the previous run's or the new run's, whole; returns which were new. */
  private static List<String> assertEachWholeOldOrNew(SparkSession spark, Path lake) {
    Map<String, List<String>> now = snapshot(spark, lake);
    List<String> replaced = new ArrayList<>();
    for (Map.Entry<String, List<String>> table : now.entrySet()) {
      String name = table.getKey();
      assertThat(table.getValue())
          .as(name + " is the previous run's or the new run's, not a mix")
          .satisfiesAnyOf(
              rows -> assertThat(rows).isEqualTo(previous.get(name)),
              rows -> assertThat(rows).isEqualTo(expected.get(name)));
      if (table.getValue().equals(expected.get(name))
          && !table.getValue().equals(previous.get(name))) {
        replaced.add(name);
      }
    }
    return replaced;
  }

  private static void assertRerunGivesTheUndisturbedResult(SparkSession spark, Path lake)
      throws IOException {
    cli("clean", lake, root.resolve("data-b")).assertOk();
    assertThat(snapshot(spark, lake)).isEqualTo(expected);
    try (Stream<Path> files = Files.walk(lake)) {
      assertThat(files.map(Path::toString).filter(p -> p.contains("/_staging/")).toList())
          .as("no staged leftovers after the rerun")
          .isEmpty();
    }
  }

  private static String killedAt(Path lake, String pauseAt) throws Exception {
    ChildJvm child =
        ChildJvm.start(
                lake.getParent().resolve("child"),
                pauseAt,
                "clean",
                "--input",
                root.resolve("data-b").toString(),
                "--output",
                lake.toString(),
                "--run-date",
                RUN_DATE.toString(),
                "--set",
                "spark.sql.shuffle.partitions=2",
                "--master",
                "local[2]")
            .awaitPaused(Duration.ofMinutes(3));
    child.killNine();
    return "kill -9 at " + pauseAt;
  }

  @Test
  void killedBetweenTheTwoRenamesTheOldTableIsRestored(SparkSession spark) throws Exception {
    Path lake = copyOfBefore();
    String done = killedAt(lake, "old-moved:" + Tables.silver("users") + "/run_date=" + RUN_DATE);
    assertThat(lake.resolve("silver/users/run_date=" + RUN_DATE))
        .as("the kill left the live partition moved aside")
        .doesNotExist();

    List<String> replaced = assertEachWholeOldOrNew(spark, lake);
    assertThat(snapshot(spark, lake).get("silver/users")).isEqualTo(previous.get("silver/users"));
    assertRerunGivesTheUndisturbedResult(spark, lake);
    ReliabilityLog.passed(
        "1b kill between the renames",
        done + " (old partition moved to _trash, new one not yet in place)",
        "the next reader restores the previous partition; rerun = undisturbed run",
        "silver/users restored from _trash by the first read; "
            + replaced.size()
            + " of 13 outputs already new, each whole; rerun equal to the undisturbed run");
  }

  @Test
  void killedWhileWritingTheQualityFileItStaysReadable(SparkSession spark) throws Exception {
    Path lake = copyOfBefore();
    String done = killedAt(lake, "old-moved:runs/" + RUN_DATE + "/data_quality.json");

    List<String> replaced = assertEachWholeOldOrNew(spark, lake);
    assertRerunGivesTheUndisturbedResult(spark, lake);
    ReliabilityLog.passed(
        "1c kill while writing data_quality.json",
        done,
        "the file is the previous or the new one, valid JSON; rerun = undisturbed run",
        "data_quality.json readable and "
            + (replaced.contains("data_quality.json") ? "new" : "the previous one")
            + "; rerun equal to the undisturbed run");
  }

  @Test
  void aSecondRunOfTheSameStageAndDateFailsAtOnceAndARetryAfterAKillTakesOver(SparkSession spark)
      throws Exception {
    Path lake = copyOfBefore();
    ChildJvm child =
        ChildJvm.start(
                dir.resolve("child"),
                "staged:" + Tables.silver("events") + "/run_date=" + RUN_DATE,
                "clean",
                "--input",
                root.resolve("data-b").toString(),
                "--output",
                lake.toString(),
                "--run-date",
                RUN_DATE.toString(),
                "--master",
                "local[2]")
            .awaitPaused(Duration.ofMinutes(3));

    long started = System.nanoTime();
    Result second = cli("clean", lake, root.resolve("data-b"));
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(second.exitCode()).isEqualTo(MarketingCli.FAILED);
    assertThat(second.err().strip().lines()).hasSize(1);
    assertThat(second.err())
        .contains("clean for " + RUN_DATE + " is already running")
        .contains("pid " + child.pid())
        .contains("_locks/clean." + RUN_DATE + ".lock");
    assertThat(child.isAlive()).as("the first run is not disturbed").isTrue();
    assertThat(seconds).as("fails before reading any data").isLessThan(30);

    child.killNine();
    List<String> replaced = assertEachWholeOldOrNew(spark, lake);
    assertThat(snapshot(spark, lake).get("silver/events")).isEqualTo(previous.get("silver/events"));
    assertRerunGivesTheUndisturbedResult(spark, lake);
    ReliabilityLog.passed(
        "1a kill while staging",
        "kill -9 of clean with silver/events fully written under _staging, not yet renamed",
        "previous outputs intact or new ones complete; rerun = undisturbed run",
        "silver/events still the previous run's; "
            + replaced.size()
            + " of 13 outputs already new, each whole; rerun equal to the undisturbed run, no"
            + " _staging leftovers");
    ReliabilityLog.passed(
        "3 two runs at once",
        "clean started while another clean of the same date and output was running",
        "the second fails fast with a clear message; never a mix",
        String.format(
            "exit 1 after %.1f s: \"%s\"; after kill -9 of the first, a retry took over its lock"
                + " and completed",
            seconds, second.err().strip().replace(lake.toString(), "OUTPUT")));
  }

  @Test
  void anUnwritableOutputIsAOneLineErrorAndLeavesThePreviousOutputsAlone(SparkSession spark)
      throws Exception {
    Path lake = copyOfBefore();
    Path events = lake.resolve(Tables.silver("events"));
    Assumptions.assumeTrue(
        new ProcessBuilder("chattr", "+i", events.toString()).start().waitFor() == 0,
        "chattr +i (immutable directory) is not available here");
    Result result;
    try {
      result = cli("clean", lake, root.resolve("data-b"));
    } finally {
      new ProcessBuilder("chattr", "-i", events.toString()).start().waitFor();
    }

    assertThat(result.exitCode()).isEqualTo(MarketingCli.FAILED);
    assertThat(result.err().strip().lines()).hasSize(1);
    assertThat(result.err()).contains("silver/events").doesNotContain("\tat ");
    assertThat(snapshot(spark, lake).get("silver/events")).isEqualTo(previous.get("silver/events"));
    assertEachWholeOldOrNew(spark, lake);
    ReliabilityLog.passed(
        "4 unwritable output",
        "clean with silver/events made immutable (chattr +i: writes fail even for root)",
        "one-line error, exit code, previous outputs untouched",
        "exit 1: \""
            + result.err().strip().replace(lake.toString(), "OUTPUT")
            + "\"; silver/events unchanged");
  }

  record Result(int exitCode, String err) {
    Result assertOk() {
      assertThat(exitCode).as(err).isZero();
      return this;
    }
  }

  private static Result cli(String stage, Path lake, Path input) {
    CommandLine cli = MarketingCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute(
            stage,
            "--input",
            input.toString(),
            "--output",
            lake.toString(),
            "--run-date",
            RUN_DATE.toString());
    return new Result(code, err.toString());
  }
}
