package org.marketingengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.testing.SparkExtension;
import picocli.CommandLine;

@ExtendWith(SparkExtension.class)
class MarketingCliTest {

  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {
    String lastErrorLine() {
      String[] lines = err.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  private static Result run(String... args) {
    CommandLine cli = MarketingCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpAndVersionExitZero() {
    Result help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("ingest").contains("generate-data");

    Result ingestHelp = run("ingest", "--help");
    assertThat(ingestHelp.exitCode()).isZero();
    assertThat(ingestHelp.out())
        .contains("--conf", "--run-date", "--input", "--output", "--master", "--set");

    Result version = run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).contains("marketing ").contains("Spark 4.2.0");
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    Result noCommand = run();
    assertThat(noCommand.exitCode()).isEqualTo(MarketingCli.USAGE);
    assertThat(noCommand.lastErrorLine()).contains("Missing subcommand");

    Result unknownOption = run("ingest", "--frobnicate");
    assertThat(unknownOption.exitCode()).isEqualTo(MarketingCli.USAGE);
    assertThat(unknownOption.err().strip().lines().count()).isEqualTo(1);
    assertThat(unknownOption.lastErrorLine())
        .contains("--frobnicate")
        .contains("'marketing ingest --help'");

    Result badDate = run("ingest", "--run-date", "2026-13-45");
    assertThat(badDate.exitCode()).isEqualTo(MarketingCli.USAGE);
    assertThat(badDate.lastErrorLine()).contains("--run-date");
  }

  @Test
  void configErrorsExitTwoNamingTheKey() {
    Result unknownKey = run("ingest", "--set", "marketing.no-such-key=1");
    assertThat(unknownKey.exitCode()).isEqualTo(MarketingCli.USAGE);
    assertThat(unknownKey.lastErrorLine()).contains("'marketing.no-such-key'");

    Result outOfRange = run("generate-data", "--output", dir.toString(), "--bad-rows-rate", "0.9");
    assertThat(outOfRange.exitCode()).isEqualTo(MarketingCli.USAGE);
    assertThat(outOfRange.lastErrorLine()).contains("--bad-rows-rate");

    Result missingConf = run("ingest", "--conf", dir.resolve("absent.conf").toString());
    assertThat(missingConf.exitCode()).isEqualTo(MarketingCli.USAGE);
    assertThat(missingConf.lastErrorLine()).contains("absent.conf' does not exist");
  }

  @Test
  void missingRequiredColumnExitsThreeNamingFileAndColumn(SparkSession spark) throws IOException {
    Path input = dir.resolve("in");
    Files.createDirectories(input);
    Files.writeString(input.resolve("events.csv"), "user_id,item_id,event_type\nu1,i1,view\n");

    Result result =
        run(
            "ingest",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--run-date",
            "2026-11-01");

    assertThat(result.exitCode()).isEqualTo(MarketingCli.INVALID_INPUT);
    assertThat(result.lastErrorLine())
        .contains("events.csv")
        .contains("column 'event_time' is missing")
        .contains("found: user_id, item_id, event_type");
    assertThat(spark.sparkContext().isStopped()).isFalse();
  }

  @Test
  void missingInputDirectoryExitsThree() {
    Result result =
        run(
            "ingest",
            "--input",
            dir.resolve("nowhere").toString(),
            "--output",
            dir.resolve("out").toString());

    assertThat(result.exitCode()).isEqualTo(MarketingCli.INVALID_INPUT);
    assertThat(result.lastErrorLine()).contains("nowhere' does not exist");
  }

  @Test
  void generateThenIngestThroughTheCli() {
    String data = dir.resolve("data").toString();
    String out = dir.resolve("out").toString();

    Result generated =
        run(
            "generate-data",
            "--output",
            data,
            "--run-date",
            "2026-11-01",
            "--users",
            "150",
            "--items",
            "40",
            "--days",
            "20",
            "--bad-rows-rate",
            "0.02");
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    assertThat(generated.out()).contains("events").contains("--input " + data);

    Result ingested = run("ingest", "--input", data, "--output", out, "--run-date", "2026-11-01");
    assertThat(ingested.exitCode()).as(ingested.err()).isZero();
    assertThat(ingested.out()).contains("events").contains("quarantined");
    assertThat(Path.of(out, "runs", "2026-11-01", "data_quality.json")).exists();
    assertThat(Path.of(out, "bronze", "events", "run_date=2026-11-01")).isDirectory();
    assertThat(Path.of(out, "quarantine", "events", "run_date=2026-11-01")).isDirectory();
  }
}
