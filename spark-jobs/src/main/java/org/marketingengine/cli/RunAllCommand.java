package org.marketingengine.cli;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.evaluate.EvaluateJob;
import org.marketingengine.export.ExportJob;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.TableStore;
import org.marketingengine.model.TrainJob;
import org.marketingengine.profile.ProfileJob;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.recommend.RecommendJob;
import org.marketingengine.strategy.StrategyJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run-all}: every stage in order for one run date, in one Spark application. */
@Command(
    name = "run-all",
    header = "Run every stage in order for one run date (or --from/--to a part of them).",
    mixinStandardHelpOptions = true,
    description = {
      "Runs ingest, clean, features, train, profile, recommend, evaluate, strategy and export for",
      "the run date in one Spark application. evaluate runs before strategy so that the strategy",
      "uses the offer priors of the responses received so far. Each stage reads what the earlier",
      "ones published, so --from STAGE reruns the pipeline from a stage on the outputs already",
      "there. A stage whose optional input is missing (items for recommend, responses for",
      "evaluate, marketing.export.jdbc-url for export) is skipped with a log line; the first",
      "failing stage stops the run with its exit code."
    })
final class RunAllCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunAllCommand.class);

  /** The stages in pipeline order. */
  enum Stage {
    INGEST,
    CLEAN,
    FEATURES,
    TRAIN,
    PROFILE,
    RECOMMEND,
    EVALUATE,
    STRATEGY,
    EXPORT;

    String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  static final String STAGE_NAMES =
      "ingest, clean, features, train, profile, recommend, evaluate, strategy, export";

  @Option(
      names = "--from",
      paramLabel = "STAGE",
      description = "First stage to run: " + STAGE_NAMES + ". Default: ingest.")
  String fromName = "ingest";

  @Option(
      names = "--to",
      paramLabel = "STAGE",
      description = "Last stage to run: " + STAGE_NAMES + ". Default: export.")
  String toName = "export";

  private Stage stage(String option, String name) {
    for (Stage s : Stage.values()) {
      if (s.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), option + " '" + name + "' is no stage: use one of " + STAGE_NAMES);
  }

  @Override
  public Integer call() {
    Stage from = stage("--from", fromName);
    Stage to = stage("--to", toName);
    if (to.ordinal() < from.ordinal()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--to " + to.cliName() + " comes before --from " + from.cliName() + " in the pipeline");
    }
    JobConfig config = global.load();
    var out = spec.commandLine().getOut();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      SparkSession spark = session.spark();
      long started = System.nanoTime();
      for (Stage stage : List.of(Stage.values()).subList(from.ordinal(), to.ordinal() + 1)) {
        Optional<String> skip = skipReason(spark, config, stage);
        if (skip.isPresent()) {
          LOG.info("run-all: {} skipped: {}", stage.cliName(), skip.get());
          out.printf("%-10s skipped: %s%n", stage.cliName(), skip.get());
          out.flush();
          continue;
        }
        long stageStarted = System.nanoTime();
        LOG.info("run-all: {} for {}", stage.cliName(), config.runDate());
        try {
          run(spark, config, stage);
        } catch (RuntimeException e) {
          LOG.error("run-all: {} failed; later stages not run", stage.cliName());
          throw e;
        }
        out.printf("%-10s done in %s%n", stage.cliName(), StageCounts.elapsed(stageStarted));
        if (stage == Stage.STRATEGY) {
          StrategyJob.printSummary(spark, config, out);
        }
        out.flush();
      }
      out.printf(
          "run-all %s..%s for %s done in %s under %s%n",
          from.cliName(),
          to.cliName(),
          config.runDate(),
          StageCounts.elapsed(started),
          config.outputRoot());
      out.flush();
      return 0;
    }
  }

  /** Why a stage cannot run with the data there is, if so (optional inputs missing). */
  static Optional<String> skipReason(SparkSession spark, JobConfig config, Stage stage) {
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    LocalDate date = config.runDate();
    return switch (stage) {
      case RECOMMEND -> {
        boolean events = store.hasPartition(CleanJob.silverTable(InputSchemas.EVENTS), date);
        boolean items = store.hasPartition(CleanJob.silverTable(InputSchemas.ITEMS), date);
        yield events && items
            ? Optional.empty()
            : Optional.of("no silver/" + (events ? "items" : "events") + " for " + date);
      }
      case EVALUATE ->
          store.hasPartition(CleanJob.silverTable(InputSchemas.RESPONSES), date)
              ? Optional.empty()
              : Optional.of("no silver/responses for " + date);
      case EXPORT ->
          config.evaluate().jdbcUrl().isPresent()
              ? Optional.empty()
              : Optional.of("marketing.export.jdbc-url is not set");
      default -> Optional.empty();
    };
  }

  static void run(SparkSession spark, JobConfig config, Stage stage) {
    switch (stage) {
      case INGEST -> IngestJob.run(spark, config);
      case CLEAN -> CleanJob.run(spark, config);
      case FEATURES -> FeaturesJob.run(spark, config);
      case TRAIN -> TrainJob.run(spark, config);
      case PROFILE -> ProfileJob.run(spark, config, Optional.empty());
      case RECOMMEND -> RecommendJob.run(spark, config);
      case EVALUATE -> EvaluateJob.run(spark, config);
      case STRATEGY -> StrategyJob.run(spark, config);
      case EXPORT -> ExportJob.run(spark, config);
    }
  }
}
