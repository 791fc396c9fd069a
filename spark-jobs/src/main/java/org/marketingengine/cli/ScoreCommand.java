package org.marketingengine.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.model.ScoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code score}: the saved champions score the users of the run date. */
@Command(
    name = "score",
    header = "Score users with the champion models of a train run.",
    mixinStandardHelpOptions = true,
    description = {
      "Scores the scoring rows of features/user_features of the run date with the champion",
      "models saved by the train run of --model-date (default: the run date) into",
      "scores/user_scores: purchase and response propensity, predicted spend, top drivers."
    })
final class ScoreCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Option(
      names = "--model-date",
      paramLabel = "YYYY-MM-DD",
      description = "Run date of the train run whose models to use. Default: --run-date.")
  LocalDate modelDate;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      LocalDate models = modelDate != null ? modelDate : config.runDate();
      ScoreJob.run(session.spark(), config, models);
      spec.commandLine()
          .getOut()
          .printf(
              "%s of %s under %s, scored with the models of %s%n",
              ScoreJob.USER_SCORES, config.runDate(), config.outputRoot(), models);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
