package org.marketingengine.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.strategy.StrategyJob;
import org.marketingengine.testing.Fixtures;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/**
 * The export against a real PostgreSQL server, started on 127.0.0.1 by scripts/ci/postgres.sh
 * (which installs Debian's postgresql package when missing) and stopped afterwards. Skipped only
 * when -Dmarketing.skipPostgres=true.
 */
@ExtendWith(SparkExtension.class)
class ExportJobTest {
  static final LocalDate DAY1 = LocalDate.of(2026, 11, 1);
  static final LocalDate DAY2 = LocalDate.of(2026, 11, 2);
  static final String PORT = "54329";
  static final Path PG_DIR =
      Path.of("/tmp", "marketing-pg-" + UUID.randomUUID().toString().substring(0, 8));
  static String url;

  @TempDir Path out;

  @BeforeAll
  static void startPostgres() throws IOException, InterruptedException {
    Assumptions.assumeFalse(Boolean.getBoolean("marketing.skipPostgres"), "marketing.skipPostgres");
    Process p =
        new ProcessBuilder(
                "bash",
                TestConfigs.repoRoot().resolve("scripts/ci/postgres.sh").toString(),
                "start",
                PG_DIR.toString(),
                PORT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).as("scripts/ci/postgres.sh start: " + output).isZero();
    url = output.lines().reduce((a, b) -> b).orElseThrow();
  }

  @AfterAll
  static void stopPostgres() throws IOException, InterruptedException {
    if (url != null) {
      new ProcessBuilder(
              "bash",
              TestConfigs.repoRoot().resolve("scripts/ci/postgres.sh").toString(),
              "stop",
              PG_DIR.toString())
          .inheritIO()
          .start()
          .waitFor();
    }
  }

  JobConfig config(LocalDate date, String... more) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "marketing.export.jdbc-url=" + url,
                "marketing.export.user=marketing",
                "marketing.export.password-env=MARKETING_TEST_DB_PASSWORD"));
    sets.addAll(List.of(more));
    return TestConfigs.config(null, out.toString(), date, sets.toArray(String[]::new));
  }

  void plan(SparkSession spark, LocalDate date, int users) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    List<Row> profiles = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      profiles.add(Fixtures.Profile.of("u" + i, "champions", 2, 2, 200, "email").row());
    }
    store.write(Tables.USER_PROFILES, date, Fixtures.profiles(spark, profiles));
    new StrategyJob().run(spark, config(date));
  }

  static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "marketing", "marketing");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void reExportReplacesTheRunDateAndKeepsOthers(SparkSession spark) throws SQLException {
    Assumptions.assumeTrue(
        "marketing".equals(System.getenv("MARKETING_TEST_DB_PASSWORD")),
        "Surefire sets MARKETING_TEST_DB_PASSWORD");
    plan(spark, DAY1, 30);
    plan(spark, DAY2, 20);
    assertThat(new ExportJob().run(spark, config(DAY1)).rows()).isEqualTo(30);
    assertThat(new ExportJob().run(spark, config(DAY1)).rows()).isEqualTo(30);
    assertThat(new ExportJob().run(spark, config(DAY2)).rows()).isEqualTo(20);
    assertThat(
            count(
                "select count(*) from marketing_user_strategy where run_date = DATE '2026-11-01'"))
        .isEqualTo(30);
    assertThat(count("select count(*) from marketing_user_strategy")).isEqualTo(50);
    assertThat(
            count(
                "select count(distinct user_id) from marketing_user_strategy where run_date = DATE '2026-11-01'"))
        .isEqualTo(30);

    // A rerun of day 1 with fewer users replaces day 1 only.
    plan(spark, DAY1, 10);
    assertThat(new ExportJob().run(spark, config(DAY1)).rows()).isEqualTo(10);
    assertThat(
            count(
                "select count(*) from marketing_user_strategy where run_date = DATE '2026-11-01'"))
        .isEqualTo(10);
    assertThat(
            count(
                "select count(*) from marketing_user_strategy where run_date = DATE '2026-11-02'"))
        .isEqualTo(20);
    assertThat(
            count(
                "select count(*) from information_schema.tables where table_name like 'marketing_user_strategy_staging%'"))
        .isZero();
  }

  @Test
  void idsHoldingSqlAndMarkupReachTheDatabaseAsData(SparkSession spark) throws SQLException {
    Assumptions.assumeTrue(
        "marketing".equals(System.getenv("MARKETING_TEST_DB_PASSWORD")),
        "Surefire sets MARKETING_TEST_DB_PASSWORD");
    List<String> hostile =
        List.of(
            "o'; drop table marketing_user_strategy; --",
            "</script><script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/a}",
            "%s%n\\N",
            "line\nbreak");
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    List<Row> profiles = new ArrayList<>();
    for (String id : hostile) {
      profiles.add(Fixtures.Profile.of(id, "champions", 2, 2, 200, "email").row());
    }
    store.write(Tables.USER_PROFILES, DAY1, Fixtures.profiles(spark, profiles));
    new StrategyJob().run(spark, config(DAY1));

    assertThat(new ExportJob().run(spark, config(DAY1)).rows()).isEqualTo(hostile.size());

    List<String> stored = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "marketing", "marketing");
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "select user_id from marketing_user_strategy where run_date = ? order by 1")) {
      s.setDate(1, java.sql.Date.valueOf(DAY1));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          stored.add(r.getString(1));
        }
      }
    }
    assertThat(stored).containsExactlyInAnyOrderElementsOf(hostile);
    org.marketingengine.testing.ReliabilityLog.passed(
        "11c injection into the export",
        "strategy rows for user ids holding '; drop table ...; --, </script>, ${jndi:...}, %s,"
            + " \\N and a line break, exported to PostgreSQL",
        "parameterised writes: the ids stored unchanged, no statement injected",
        hostile.size()
            + " ids read back byte for byte from marketing_user_strategy, which still exists");
  }

  @Test
  void aWrongPasswordIsAOneLineErrorWithoutThePassword(SparkSession spark) {
    plan(spark, DAY1, 3);
    JobConfig wrong = config(DAY1, "marketing.export.password-env=MARKETING_TEST_WRONG_PASSWORD");
    assertThatThrownBy(() -> new ExportJob().run(spark, wrong))
        .isInstanceOf(ExportJob.ExportException.class)
        .hasMessageContaining(url)
        .hasMessageNotContaining("not-the-password");
    assertThatThrownBy(
            () -> new ExportJob().run(spark, TestConfigs.config(null, out.toString(), DAY1)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.export.jdbc-url");
  }
}
