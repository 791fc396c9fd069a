package org.marketingengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.testing.TestConfigs;
import picocli.CommandLine;

/**
 * Airflow cannot be installed here, so the DAG is checked without it: it must compile, and every
 * spark-submit task must call an existing subcommand with options that subcommand has (compared
 * with the CLI's own {@code cli-spec}).
 */
class AirflowDagTest {
  static final Path DAG =
      TestConfigs.repoRoot().resolve("scripts/airflow/marketing_strategy_dag.py");
  static final Path CHECK = TestConfigs.repoRoot().resolve("scripts/airflow/check_dag.py");

  @TempDir Path dir;

  private static String cliSpec() {
    CommandLine cli = MarketingCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("cli-spec")).isZero();
    return out.toString();
  }

  private static Result python(String... args) throws IOException, InterruptedException {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("python3"));
    command.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    return new Result(p.waitFor(), output);
  }

  record Result(int code, String output) {}

  @Test
  void theDagCompilesAndMatchesTheCli() throws Exception {
    Result compiled =
        python(
            "-c",
            "import py_compile,sys; py_compile.compile(sys.argv[1], doraise=True, cfile='"
                + dir.resolve("dag.pyc")
                + "')",
            DAG.toString());
    assertThat(compiled.code()).as(compiled.output()).isZero();

    String spec = cliSpec();
    assertThat(spec)
        .contains("\"run-all\"", "\"--run-date\"", "\"--from\"")
        .contains("\"pipeline\" : [ \"ingest\", \"clean\", \"features\", \"train\", \"profile\",");
    Path specFile = Files.writeString(dir.resolve("cli.json"), spec);
    Result check = python("-B", CHECK.toString(), specFile.toString(), DAG.toString());
    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output()).contains("10 spark-submit tasks match the CLI");
  }

  @Test
  void theCheckCatchesAnOptionTheCliDoesNotHave() throws Exception {
    String dag =
        Files.readString(DAG)
            .replace("\"--output\", \"{{ params.output }}\"", "\"--out\", \"{{ params.output }}\"");
    Path broken = Files.writeString(dir.resolve("broken_dag.py"), dag);
    Path specFile = Files.writeString(dir.resolve("cli.json"), cliSpec());
    Result check = python("-B", CHECK.toString(), specFile.toString(), broken.toString());
    assertThat(check.code()).isEqualTo(1);
    assertThat(check.output()).contains("'ingest' has no option --out");
  }

  @Test
  void theCheckCatchesATaskThatRunsBeforeItsStage() throws Exception {
    String dag =
        Files.readString(DAG)
            .replace("profile >> recommend >> responses", "recommend >> profile >> responses");
    Path broken = Files.writeString(dir.resolve("reordered_dag.py"), dag);
    Path specFile = Files.writeString(dir.resolve("cli.json"), cliSpec());
    Result check = python("-B", CHECK.toString(), specFile.toString(), broken.toString());
    assertThat(check.code()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains("recommend does not run after profile");
  }
}
