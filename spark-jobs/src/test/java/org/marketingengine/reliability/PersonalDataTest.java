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
 * through ingest and clean run as a separate JVM with its log file and Spark's event log on: no
 * marker in any file the run wrote (tables, quarantine, JSON, logs, event log) nor in its console
 * output, read back as raw bytes; ingest refuses to run without the key; another key changes every
 * pseudonym.
 */
@ExtendWith(SparkExtension.class)
class PersonalDataTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final String HEADER =
      "user_id,age,income,gender,region,signup_date,email_opt_in,sms_opt_in,push_opt_in,email,"
          + "phone,name";
  private static final String SECRET = "pii-secret-marker-7f3a";
  private static final String PASSWORD = "db-password-marker-91c2";
  private static final List<String> MARKERS = List.of("PII", "pii-mail", SECRET, PASSWORD);

  @TempDir Path dir;

  private Path input() throws IOException {
    Path users = dir.resolve("in").resolve("users.csv");
    Files.createDirectories(users.getParent());
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (int i = 0; i < 40; i++) {
      lines.add(
          String.format(
              "u%03d,%d,50000,female,north,2026-01-01,true,false,true,pii-mail-%03d@example.com,"
                  + "+86-PII-PHONE-%03d,PII Name %03d",
              i, 20 + i, i, i, i));
    }
    // A row ingest rejects (age is not a number): it goes to quarantine, with its raw record.
    lines.add(
        "u999,forty,50000,male,south,2026-01-01,true,true,true,pii-mail-999@example.com,"
            + "+86-PII-PHONE-999,PII Name 999");
    Files.write(users, lines, StandardCharsets.UTF_8);
    org.apache.commons.io.FileUtils.copyDirectory(
        TestConfigs.repoRoot().resolve("sample-data/csv/events").toFile(),
        users.resolveSibling("events").toFile());
    return users.getParent();
  }

  private static int cli(StringWriter err, String... args) {
    return Cli.run(err, args);
  }

  private static String[] args(String stage, Path in, Path out, String... sets) {
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
            stage, in, out, "spark.eventLog.enabled=true", "spark.eventLog.dir=" + events.toUri()));
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
                "marketing.clean.personal-data.secret-env=MARKETING_TEST_UNSET_SECRET"));
    assertThat(code).isEqualTo(MarketingCli.USAGE);
    assertThat(refused.toString()).contains("MARKETING_TEST_UNSET_SECRET").contains("key");
    assertThat(refusedOut.resolve("bronze")).doesNotExist();

    Path out = dir.resolve("out");
    List<String> console = new ArrayList<>();
    for (String stage : List.of("ingest", "clean")) {
      ChildJvm run = child(stage, in, out);
      assertThat(run.await(Duration.ofMinutes(3))).as(run.output()).isZero();
      console.add(run.output());
    }
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
    String otherKey = "marketing.clean.personal-data.secret-env=MARKETING_TEST_WRONG_PASSWORD";
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

    assertThat(first).hasSize(40);
    assertThat(quarantined).isEqualTo(1);
    assertThat(logFiles).isPositive();
    assertThat(eventLogs).isEqualTo(2);
    assertThat(hits).as("marker values found").isEmpty();
    ReliabilityLog.passed(
        "13 personal data and secrets",
        "41 users with marker emails, phones and names (one rejected by ingest), marker values in"
            + " MARKETING_PII_SECRET and MARKETING_DB_PASSWORD, ingest and clean in their own JVM"
            + " with the log file and Spark's event log on",
        "no personal value or secret in any file the run wrote nor in its console output",
        "0 markers in the bytes of every file under the output (bronze, quarantine with the"
            + " rejected row, silver, JSON, "
            + logFiles
            + " log file(s), "
            + eventLogs
            + " event logs) and in the console output");
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
