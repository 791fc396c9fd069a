package org.marketingengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.cli.MarketingCli;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.ChildJvm;
import org.marketingengine.testing.Cli;
import org.marketingengine.testing.ReliabilityLog;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/**
 * Personal data (email, phone, name) with marker values, and marker values for the two secrets,
 * through the whole pipeline run as a separate JVM with its log file and Spark's event log on: no
 * marker in any file the run wrote (tables, quarantine, JSON, logs, event log) nor in its console
 * output, read back as raw bytes; ingest refuses to run without the key; another key changes every
 * pseudonym.
 */
@ExtendWith(SparkExtension.class)
class PersonalDataTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final String SECRET = "pii-secret-marker-7f3a";
  private static final String PASSWORD = "db-password-marker-91c2";
  private static final List<String> MARKERS =
      List.of("pii-mail", "PII-PHONE", "PII Name", SECRET, PASSWORD);

  /** Small grids: where personal data goes, not model quality, is under test. */
  private static final List<String> QUICK =
      List.of(
          "marketing.train.permutation-importance=false",
          "marketing.train.grids.mlp.hidden-layers=[[4]]",
          "marketing.train.grids.mlp.max-iter=10",
          "marketing.train.grids.logistic-regression.reg-param=[0.01]",
          "marketing.train.grids.logistic-regression.elastic-net-param=[0.0]",
          "marketing.train.grids.linear-regression.reg-param=[0.01]",
          "marketing.train.grids.linear-regression.elastic-net-param=[0.0]",
          "marketing.train.challengers=[]",
          "marketing.recommend.als.max-iter=5");

  @TempDir Path dir;
  private int sampleUsers;

  /**
   * The sample data with an email, phone and name column of marker values added to every user (the
   * sample's users include rows ingest rejects: they go to quarantine with their raw record).
   */
  private Path input() throws IOException {
    Path in = dir.resolve("in");
    org.apache.commons.io.FileUtils.copyDirectory(
        TestConfigs.repoRoot().resolve("sample-data/csv").toFile(), in.toFile());
    Path usersDir = in.resolve("users");
    Path sample;
    try (Stream<Path> files = Files.list(usersDir)) {
      sample = files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(sample, StandardCharsets.UTF_8);
    List<String> marked = new ArrayList<>();
    marked.add(lines.get(0) + ",email,phone,name");
    for (int i = 1; i < lines.size(); i++) {
      marked.add(
          lines.get(i)
              + String.format(
                  ",pii-mail-%04d@example.com,+86-PII-PHONE-%04d,PII Name %04d", i, i, i));
    }
    Files.delete(sample);
    Files.write(usersDir.resolve("users.csv"), marked, StandardCharsets.UTF_8);
    sampleUsers = lines.size() - 1;
    return in;
  }

  private static int cli(StringWriter err, String... args) {
    return Cli.run(err, args);
  }

  private static String[] args(String stage, Path in, Path out, List<String> sets) {
    List<String> all =
        new ArrayList<>(
            List.of(
                stage,
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--run-date",
                RUN_DATE.toString()));
    for (String set : sets) {
      all.add("--set");
      all.add(set);
    }
    return all.toArray(String[]::new);
  }

  /** Every file under {@code root} whose bytes hold a marker, with the marker. */
  private static List<String> markersIn(Path root) throws IOException {
    List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String marker : MARKERS) {
          if (bytes.contains(marker)) {
            hits.add(marker + " in " + root.relativize(file));
          }
        }
      }
    }
    return hits;
  }

  /** The number of model cards under the output. */
  private static long modelCards(Path out) throws IOException {
    try (Stream<Path> files = Files.walk(out.resolve("models"))) {
      return files.filter(f -> f.getFileName().toString().equals("model_card.json")).count();
    }
  }

  /** Runs a stage in its own JVM with the log file, Spark's event log and the marker secrets. */
  private ChildJvm child(String stage, Path in, Path out) throws IOException {
    Path logs = out.resolve("logs");
    Path events = Files.createDirectories(out.resolve("spark-events"));
    return ChildJvm.start(
        dir.resolve("child"),
        null,
        List.of(
            "-Dlog4j2.configurationFile="
                + TestConfigs.repoRoot().resolve("conf/log4j2.properties"),
            "-Dmarketing.log.dir=" + logs),
        java.util.Map.of("MARKETING_PII_SECRET", SECRET, "MARKETING_DB_PASSWORD", PASSWORD),
        args(
            stage,
            in,
            out,
            Stream.concat(
                    QUICK.stream(),
                    Stream.of(
                        "spark.eventLog.enabled=true",
                        "spark.eventLog.dir=" + events.toUri(),
                        "spark.checkpoint.dir=" + dir.resolve("checkpoints").toUri()))
                .toList()));
  }

  @Test
  void noPersonalValueOrSecretIsWrittenAnywhereAndTheKeyIsRequiredAndRotates(SparkSession spark)
      throws Exception {
    Path in = input();
    Path refusedOut = dir.resolve("refused");
    StringWriter refused = new StringWriter();
    int code =
        cli(
            refused,
            args(
                "ingest",
                in,
                refusedOut,
                List.of("marketing.clean.personal-data.secret-env=MARKETING_TEST_UNSET_SECRET")));
    assertThat(code).isEqualTo(MarketingCli.USAGE);
    assertThat(refused.toString()).contains("MARKETING_TEST_UNSET_SECRET").contains("key");
    assertThat(refusedOut.resolve("bronze")).doesNotExist();

    Path out = dir.resolve("out");
    List<String> console = new ArrayList<>();
    ChildJvm run = child("run-all", in, out);
    assertThat(run.await(Duration.ofMinutes(10))).as(run.output()).isZero();
    console.add(run.output());
    assertThat(run.output()).contains("run-all ingest..report", "report     done");
    List<String> hits = markersIn(out);
    for (String marker : MARKERS) {
      if (String.join("\n", console).contains(marker)) {
        hits.add(marker + " in the console output");
      }
    }
    long logFiles;
    try (Stream<Path> logs = Files.walk(out.resolve("logs"))) {
      logFiles = logs.filter(Files::isRegularFile).count();
    }
    long eventLogs;
    try (Stream<Path> events = Files.list(out.resolve("spark-events"))) {
      eventLogs = events.count();
    }
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    List<Row> first =
        store.read(Tables.silver("users"), RUN_DATE).orderBy("user_id").collectAsList();
    long quarantined = store.read(Tables.quarantine("users"), RUN_DATE).count();

    Path rotated = dir.resolve("rotated");
    StringWriter err = new StringWriter();
    List<String> otherKey =
        List.of("marketing.clean.personal-data.secret-env=MARKETING_TEST_WRONG_PASSWORD");
    assertThat(cli(err, args("ingest", in, rotated, otherKey))).as(err.toString()).isZero();
    assertThat(cli(err, args("clean", in, rotated, otherKey))).as(err.toString()).isZero();
    List<Row> second =
        new TableStore(spark, rotated.toString(), TableFormat.PARQUET)
            .read(Tables.silver("users"), RUN_DATE)
            .orderBy("user_id")
            .collectAsList();
    int changed = 0;
    for (int i = 0; i < first.size(); i++) {
      for (String column : List.of("email", "phone", "name")) {
        String before = first.get(i).getAs(column);
        String after = second.get(i).getAs(column);
        assertThat(before).hasSize(64).isNotEqualTo(after);
        changed++;
      }
    }

    assertThat(first.size() + quarantined).isEqualTo(sampleUsers);
    assertThat(quarantined).as("sample users ingest rejects").isPositive();
    assertThat(logFiles).isPositive();
    assertThat(eventLogs).as("one Spark application for the whole run").isEqualTo(1);
    assertThat(modelCards(out)).as("model cards scanned").isPositive();
    assertThat(out.resolve("reports/" + RUN_DATE + "/report.html")).as("report scanned").exists();
    assertThat(hits).as("marker values found").isEmpty();
    ReliabilityLog.passed(
        "13 personal data and secrets",
        sampleUsers
            + " sample users with marker emails, phones and names added ("
            + quarantined
            + " rejected by ingest), marker values in MARKETING_PII_SECRET and"
            + " MARKETING_DB_PASSWORD, run-all (ingest to report) in its own JVM with the log file"
            + " and Spark's event log on",
        "no personal value or secret in any file the run wrote nor in its console output",
        "0 markers in the bytes of every file under the output (bronze, quarantine with the"
            + " rejected rows, silver, features, models and their "
            + modelCards(out)
            + " model cards, recommendations, strategy, report page and JSON, "
            + logFiles
            + " log file(s), "
            + eventLogs
            + " event log) and in the console output");
    ReliabilityLog.passed(
        "14 pseudonymisation key",
        "ingest without the key's environment variable, then ingest and clean with another key",
        "refuse without the key (no default key); a new key changes every pseudonym",
        "exit 2 naming the variable, nothing written to bronze; "
            + changed
            + " of "
            + changed
            + " pseudonyms changed with the other key");
  }
}
