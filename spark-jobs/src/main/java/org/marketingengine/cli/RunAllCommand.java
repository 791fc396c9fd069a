package org.marketingengine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.pipeline.Pipeline;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code run-all}: the stages of {@link Pipeline#runAll} in order, in one Spark application. */
@Command(
    name = "run-all",
    header = "Run every stage in order for one run date (or --from/--to a part of them).",
    mixinStandardHelpOptions = true,
    versionProvider = MarketingCli.Version.class,
    description = {
      "Runs the pipeline's stages for the run date in one Spark application. evaluate runs before",
      "strategy so that the strategy uses the offer priors of the responses received so far. Each",
      "stage reads what the earlier ones published, so --from STAGE reruns the pipeline from a",
      "stage on the outputs already there. A stage whose optional input is missing (items for",
      "recommend, responses for evaluate, marketing.export.jdbc-url for export) is skipped with a",
      "log line; the first failing stage stops the run with its exit code."
    })
final class RunAllCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunAllCommand.class);

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  private final Pipeline pipeline;

  RunAllCommand(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Option(
      names = "--from",
      paramLabel = "STAGE",
      description = "First stage to run: ${COMPLETION-CANDIDATES}. Default: the first.",
      completionCandidates = StageNames.class)
  String fromName;

  @Option(
      names = "--to",
      paramLabel = "STAGE",
      description = "Last stage to run: ${COMPLETION-CANDIDATES}. Default: the last.",
      completionCandidates = StageNames.class)
  String toName;

  /** The names of the standard pipeline's stages, for the help text. */
  static final class StageNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Pipeline.STANDARD.names().iterator();
    }
  }

  private int index(String option, String name, int otherwise) {
    if (name == null) {
      return otherwise;
    }
    int index = pipeline.names().indexOf(name.trim().toLowerCase(Locale.ROOT));
    if (index < 0) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " '"
              + name
              + "' is no stage: use one of "
              + String.join(", ", pipeline.names()));
    }
    return index;
  }

  @Override
  public Integer call() {
    int from = index("--from", fromName, 0);
    int to = index("--to", toName, pipeline.runAll().size() - 1);
    if (to < from) {
      throw new ParameterException(
          spec.commandLine(),
          "--to "
              + pipeline.names().get(to)
              + " comes before --from "
              + pipeline.names().get(from)
              + " in the pipeline");
    }
    List<Stage<?>> stages = pipeline.runAll().subList(from, to + 1);
    JobConfig config = global.load();
    PrintWriter out = spec.commandLine().getOut();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      StageContext context = StageContext.of(session.spark(), config);
      long started = System.nanoTime();
      for (Stage<?> stage : stages) {
        Optional<String> skip = stage.skipReason(context);
        if (skip.isPresent()) {
          LOG.info("run-all: {} skipped: {}", stage.name(), skip.get());
          out.printf("%-10s skipped: %s%n", stage.name(), skip.get());
          out.flush();
          continue;
        }
        long stageStarted = System.nanoTime();
        try {
          StageCommand.runAndPrint(stage, context, out);
        } catch (RuntimeException e) {
          LOG.error("run-all: {} failed; later stages not run", stage.name());
          throw e;
        }
        out.printf("%-10s done in %s%n%n", stage.name(), StageCounts.elapsed(stageStarted));
        out.flush();
      }
      out.printf(
          "run-all %s..%s for %s done in %s under %s%n",
          stages.get(0).name(),
          stages.get(stages.size() - 1).name(),
          config.runDate(),
          StageCounts.elapsed(started),
          config.outputRoot());
      out.flush();
      return MarketingCli.OK;
    }
  }
}
