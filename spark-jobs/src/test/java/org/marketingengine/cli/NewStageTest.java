package org.marketingengine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.Json;
import org.marketingengine.io.Tables;
import org.marketingengine.pipeline.Pipeline;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.marketingengine.testing.Fixtures;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;
import picocli.CommandLine;

/** A new stage is one class and one line in the pipeline list: here a test-only stage. */
@ExtendWith(SparkExtension.class)
class NewStageTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 1);

  @TempDir Path out;

  /** The one class: counts the cleaned users with consent for email. */
  static final class EmailReach implements Stage<Long> {
    static final String USERS = Tables.silver(InputSchemas.USERS);

    @Override
    public String name() {
      return "email-reach";
    }

    @Override
    public String header() {
      return "Count the users who can be emailed.";
    }

    @Override
    public List<String> description() {
      return List.of("Reads the cleaned users and counts those with email consent.");
    }

    @Override
    public List<String> reads() {
      return List.of(USERS);
    }

    @Override
    public Optional<String> skipReason(StageContext context) {
      return context.has(USERS) ? Optional.empty() : Optional.of("no cleaned users");
    }

    @Override
    public Long run(StageContext context) {
      return context.require(USERS, "count email reach").where("email_opt_in").count();
    }

    @Override
    public String outcome(Long reach) {
      return reach + " users reachable by email";
    }

    @Override
    public void print(Long reach, StageContext context, PrintWriter console) {
      console.printf("email reach: %d%n", reach);
    }
  }

  /** The one line: the standard pipeline with the new stage appended. */
  static Pipeline withEmailReach() {
    List<Stage<?>> stages = new ArrayList<>(Pipeline.STANDARD.runAll());
    stages.add(new EmailReach());
    return new Pipeline(stages, Pipeline.STANDARD.onDemand());
  }

  record Run(int code, String out, String err) {}

  static Run run(Pipeline pipeline, String... args) {
    CommandLine cli = MarketingCli.commandLine(pipeline);
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    cli.setOut(new PrintWriter(stdout));
    cli.setErr(new PrintWriter(stderr));
    return new Run(cli.execute(args), stdout.toString(), stderr.toString());
  }

  String[] common(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output", out.toString(), "--run-date", RUN.toString()));
    return all.toArray(String[]::new);
  }

  @Test
  void theStageGetsASubcommandARunAllPlaceAndACliSpecEntry(SparkSession spark) throws Exception {
    Pipeline pipeline = withEmailReach();

    Run help = run(pipeline, "email-reach", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Count the users who can be emailed.", "--run-date");

    JsonNode spec = Json.MAPPER.readTree(run(pipeline, "cli-spec").out());
    assertThat(spec.get("pipeline").get(spec.get("pipeline").size() - 1).asText())
        .isEqualTo("email-reach");
    assertThat(spec.get("subcommands").has("email-reach")).isTrue();

    Run skipped = run(pipeline, common("run-all", "--from", "email-reach"));
    assertThat(skipped.code()).isZero();
    assertThat(skipped.out()).contains("email-reach skipped: no cleaned users");

    Run alone = run(pipeline, common("email-reach"));
    assertThat(alone.code()).isEqualTo(MarketingCli.INVALID_INPUT);
    assertThat(alone.err()).contains("Cannot count email reach: no silver/users");

    StageContext.of(spark, TestConfigs.config(null, out.toString(), RUN))
        .tables()
        .write(
            EmailReach.USERS,
            RUN,
            Fixtures.consents(
                spark,
                List.of(
                    Fixtures.consent("a", true, false, false),
                    Fixtures.consent("b", false, true, true),
                    Fixtures.consent("c", true, null, null))));
    Run done = run(pipeline, common("run-all", "--from", "email-reach"));
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.out()).contains("email reach: 2", "run-all email-reach..email-reach");
  }

  @Test
  void theStandardPipelineDoesNotKnowIt() {
    assertThat(run(Pipeline.STANDARD, common("email-reach")).code()).isEqualTo(MarketingCli.USAGE);
  }
}
