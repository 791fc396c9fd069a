package org.marketingengine.cli;

import java.io.PrintWriter;
import org.marketingengine.BuildInfo;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.pipeline.Pipeline;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageLockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The one entry point: {@code marketing <subcommand> [options]}, locally or under {@code
 * spark-submit --class org.marketingengine.cli.MarketingCli <jar> <subcommand> ...}.
 *
 * <p>Exit codes: 0 success, 2 usage or config error, 3 invalid input data, 1 anything else. A
 * failure prints one line saying what is wrong and what to do; the stack trace goes to the log.
 */
@Command(
    name = "marketing",
    mixinStandardHelpOptions = true,
    versionProvider = MarketingCli.Version.class,
    description = "Marketing strategy jobs on Apache Spark.")
public final class MarketingCli implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(MarketingCli.class);

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int INVALID_INPUT = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (used by tests and {@link #main}). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The configured command line: {@code generate-data}, a subcommand per stage of the pipeline,
   * {@code run-all} and {@code cli-spec}, with exit-code mapping.
   */
  public static CommandLine commandLine() {
    return commandLine(Pipeline.STANDARD);
  }

  /** The command line of another pipeline (tests: a pipeline with one more stage). */
  public static CommandLine commandLine(Pipeline pipeline) {
    CommandLine cli = new CommandLine(new MarketingCli());
    cli.addSubcommand("generate-data", new GenerateDataCommand());
    for (Stage<?> stage : pipeline.all()) {
      cli.addSubcommand(stage.name(), StageCommand.of(stage));
    }
    cli.addSubcommand("run-all", new RunAllCommand(pipeline));
    cli.addSubcommand("cli-spec", new CliSpecCommand(pipeline));
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println(
              "marketing: "
                  + ex.getMessage()
                  + ". See '"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help'.");
          err.flush();
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          String command = commandLine.getCommandSpec().qualifiedName();
          int code;
          String message;
          if (ex instanceof InvalidConfigException) {
            code = USAGE;
            message = ex.getMessage();
          } else if (ex instanceof InvalidInputException) {
            code = INVALID_INPUT;
            message = ex.getMessage();
          } else if (ex instanceof StageLockedException) {
            code = FAILED;
            message = ex.getMessage();
          } else {
            code = FAILED;
            message =
                commandLine.getCommandSpec().name()
                    + " failed: "
                    + ex.getClass().getSimpleName()
                    + ": "
                    + firstLine(ex.getMessage())
                    + ". See the log for the stack trace";
          }
          LOG.error("{} failed with exit code {}", command, code, ex);
          PrintWriter err = commandLine.getErr();
          err.println("marketing: " + message);
          err.flush();
          return code;
        });
    return cli;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline);
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"marketing " + BuildInfo.version(), "Spark " + BuildInfo.sparkVersion()};
    }
  }
}
