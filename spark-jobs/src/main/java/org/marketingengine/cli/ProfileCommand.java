package org.marketingengine.cli;

import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.profile.ProfileJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code profile}: one row per user with scores, segments, cluster and profile vector. */
@Command(
    name = "profile",
    header = "Build user profiles: scores, RFM segment, cluster, channels, profile vector.",
    mixinStandardHelpOptions = true,
    description = {
      "Scores the users of the run date with the champion models (writing scores/user_scores),",
      "then writes profiles/user_profiles (one row per known user) and profiles/segment_summary."
    })
final class ProfileCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Option(
      names = "--model-date",
      paramLabel = "YYYY-MM-DD",
      description =
          "Run date of the train run whose models to use. Default: the latest train run on or"
              + " before --run-date.")
  LocalDate modelDate;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      ProfileJob.Result result =
          ProfileJob.run(session.spark(), config, Optional.ofNullable(modelDate));
      var out = spec.commandLine().getOut();
      out.printf(
          "%s of %s under %s: %d users, %d clusters%n",
          ProfileJob.USER_PROFILES,
          config.runDate(),
          config.outputRoot(),
          result.users(),
          result.k());
      result.segments().forEach((segment, users) -> out.printf("  %-16s %8d%n", segment, users));
      out.flush();
      return 0;
    }
  }
}
