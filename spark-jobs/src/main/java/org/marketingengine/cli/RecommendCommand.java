package org.marketingengine.cli;

import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.recommend.RecommendJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recommend}: top-N items per user from ALS blended with content similarity. */
@Command(
    name = "recommend",
    header = "Recommend top-N items per user (ALS + content cosine, business rules).",
    mixinStandardHelpOptions = true,
    description = {
      "Fits implicit-feedback ALS on the weighted interactions of the run date's window, scores",
      "candidates per user by a blend of ALS and content cosine, removes bought and out-of-stock",
      "items, caps items per category, and writes recommendations/user_recommendations for every",
      "user of profiles/user_profiles."
    })
final class RecommendCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      RecommendJob.Result result = RecommendJob.run(session.spark(), config);
      spec.commandLine()
          .getOut()
          .printf(
              "%s of %s under %s: %d recommendations for %d users%s%n",
              RecommendJob.RECOMMENDATIONS,
              config.runDate(),
              config.outputRoot(),
              result.recommendations(),
              result.users(),
              result.usersShort() > 0
                  ? " (" + result.usersShort() + " with fewer than top-n)"
                  : "");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
