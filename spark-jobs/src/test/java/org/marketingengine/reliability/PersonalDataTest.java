package org.marketingengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.marketingengine.testing.ReliabilityLog;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;
import picocli.CommandLine;

/**
 * Personal data (email, phone, name) with marker values through ingest and clean: no marker in
 * silver or in any file outside the raw layer, read back as text and as raw bytes; clean refuses to
 * run without the key; another key changes every pseudonym.
 *
 * <p>Known gap (issue 16, docs/reliability.md): the raw layer, {@code bronze/users} and ingest's
 * {@code quarantine/users} raw records, still holds the values as read; pseudonymisation happens in
 * clean. The scan excludes those two directories and the test says so.
 */
@ExtendWith(SparkExtension.class)
class PersonalDataTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final String HEADER =
      "user_id,age,income,gender,region,signup_date,email_opt_in,sms_opt_in,push_opt_in,email,"
          + "phone,name";

  /** Where the values are still as read (the known gap). */
  private static final List<String> RAW_LAYER = List.of("bronze/users", "quarantine/users");

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
    CommandLine cli = MarketingCli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
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

  private static List<String> markersIn(SparkSession spark, Path out) throws IOException {
    List<String> hits = new ArrayList<>();
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    for (Row row : store.read(Tables.silver("users"), RUN_DATE).collectAsList()) {
      if (row.toString().contains("PII") || row.toString().contains("pii-mail")) {
        hits.add("silver/users: " + row);
      }
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file :
          files
              .filter(Files::isRegularFile)
              .filter(f -> RAW_LAYER.stream().noneMatch(out.relativize(f).toString()::startsWith))
              .toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (bytes.contains("PII") || bytes.contains("pii-mail")) {
          hits.add("bytes of " + out.relativize(file));
        }
      }
    }
    return hits;
  }

  @Test
  void noPersonalValueIsWrittenAnywhereAndTheKeyIsRequiredAndRotates(SparkSession spark)
      throws IOException {
    Path in = input();
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    assertThat(cli(err, args("ingest", in, out))).as(err.toString()).isZero();

    StringWriter refused = new StringWriter();
    int code =
        cli(
            refused,
            args(
                "clean",
                in,
                out,
                "marketing.clean.personal-data.secret-env=MARKETING_TEST_UNSET_SECRET"));
    assertThat(code).isEqualTo(MarketingCli.USAGE);
    assertThat(refused.toString()).contains("MARKETING_TEST_UNSET_SECRET").contains("key");
    assertThat(out.resolve("silver")).doesNotExist();

    assertThat(cli(err, args("clean", in, out))).as(err.toString()).isZero();
    List<String> hits = markersIn(spark, out);
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    List<Row> first =
        store.read(Tables.silver("users"), RUN_DATE).orderBy("user_id").collectAsList();

    Path rotated = dir.resolve("rotated");
    assertThat(cli(err, args("ingest", in, rotated))).isZero();
    assertThat(
            cli(
                err,
                args(
                    "clean",
                    in,
                    rotated,
                    "marketing.clean.personal-data.secret-env=MARKETING_TEST_WRONG_PASSWORD")))
        .as(err.toString())
        .isZero();
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

    assertThat(hits).as("marker values found in the output").isEmpty();
    ReliabilityLog.passed(
        "13 personal data in outputs",
        "41 users with marker emails, phones and names (one rejected by ingest) through ingest and"
            + " clean",
        "no personal value in silver or any file outside the raw layer (bronze/users,"
            + " quarantine/users: known gap, values as read)",
        "0 markers in silver rows and in the bytes of every other file under the output");
    ReliabilityLog.passed(
        "14 pseudonymisation key",
        "clean without the key's environment variable, then with another key",
        "refuse without the key (no default key); a new key changes every pseudonym",
        "exit 2 naming the variable, nothing written to silver; "
            + changed
            + " of "
            + changed
            + " pseudonyms changed with the other key");
  }
}
