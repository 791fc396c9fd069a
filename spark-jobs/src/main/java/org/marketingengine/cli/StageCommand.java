package org.marketingengine.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.marketingengine.stage.StageRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The subcommand of one {@link Stage}: the preamble every stage shares (load and validate the
 * configuration, create the session, run the stage, print its result) in one place. The name, help
 * text and {@code --model-date} come from the stage.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = MarketingCli.Version.class)
final class StageCommand implements Callable<Integer> {
  static final String MODEL_DATE = "--model-date";

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  private final Stage<?> stage;

  private StageCommand(Stage<?> stage) {
    this.stage = stage;
  }

  /** The subcommand of {@code stage}, ready to add to the root command. */
  static CommandLine of(Stage<?> stage) {
    CommandLine line = new CommandLine(new StageCommand(stage));
    CommandSpec spec = line.getCommandSpec();
    spec.name(stage.name());
    spec.usageMessage()
        .header(stage.header())
        .description(stage.description().toArray(String[]::new));
    if (stage.takesModelDate()) {
      spec.addOption(
          OptionSpec.builder(MODEL_DATE)
              .paramLabel("YYYY-MM-DD")
              .type(LocalDate.class)
              .description(
                  "Run date of the train run whose models to use. Default: "
                      + (stage.name().equals("score")
                          ? "--run-date."
                          : "the latest train run on or before --run-date."))
              .build());
    }
    return line;
  }

  @Override
  public Integer call() {
    JobConfig config = global.load();
    Optional<LocalDate> modelDate =
        stage.takesModelDate()
            ? Optional.ofNullable(spec.findOption(MODEL_DATE).getValue())
            : Optional.empty();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      StageContext context = StageContext.of(session.spark(), config).withModelDate(modelDate);
      runAndPrint(stage, context, spec.commandLine().getOut());
      return MarketingCli.OK;
    }
  }

  /** Runs a stage and prints its result. */
  static <R> void runAndPrint(Stage<R> stage, StageContext context, PrintWriter out) {
    R result = StageRunner.execute(stage, context);
    stage.print(result, context, out);
    out.flush();
  }
}
