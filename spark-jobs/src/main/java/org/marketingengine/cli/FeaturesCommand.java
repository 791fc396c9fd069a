package org.marketingengine.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.marketingengine.config.JobConfig;
import org.marketingengine.features.FeaturesJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code features}: {@code silver/*} to {@code features/user_features}. */
@Command(
    name = "features",
    header = "Build leakage-free user features from silver/.",
    mixinStandardHelpOptions = true,
    description = {
      "Builds leakage-free user features from silver/* of the run date: training rows (features",
      "before the label window, labels in it), scoring rows (features up to the run date) and one",
      "row per campaign contact (features before the send time, responded label). Run clean first."
    })
final class FeaturesCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  private static String format(Row row, int i) {
    return row.isNullAt(i) ? "-" : String.format(java.util.Locale.ROOT, "%+.3f", row.getDouble(i));
  }

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      FeaturesJob.Result result = FeaturesJob.run(session.spark(), config);
      PrintWriter out = spec.commandLine().getOut();
      result
          .rowsByPurpose()
          .forEach((purpose, rows) -> out.printf("%-10s %10d rows%n", purpose, rows));
      out.printf("%nstrongest correlations with the labels (training rows):%n");
      out.printf("%-28s %15s %11s%n", "feature", "corr_purchased", "corr_spend");
      for (Row row : FeaturesJob.strongestCorrelations(session.spark(), config, 15)) {
        out.printf("%-28s %15s %11s%n", row.getString(0), format(row, 1), format(row, 2));
      }
      out.printf(
          "%s and %s under %s (%d categories)%n",
          FeaturesJob.USER_FEATURES,
          FeaturesJob.CATEGORY_INDEX,
          config.outputRoot(),
          result.categories().size());
      out.flush();
      return 0;
    }
  }
}
