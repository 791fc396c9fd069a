package org.marketingengine.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.marketingengine.config.JobConfig;
import org.marketingengine.evaluate.EvaluateJob;
import org.marketingengine.strategy.StrategyJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code evaluate}: campaign effect from responses, and offer priors for the next strategy. */
@Command(
    name = "evaluate",
    header = "Measure campaigns on their responses: uplift, revenue, ROI; write offer priors.",
    mixinStandardHelpOptions = true,
    description = {
      "Compares treatment with control per campaign, offer, channel and segment in",
      "silver/responses of the run date and writes evaluation/campaign_effect and",
      "feedback/offer_priors (read by the next strategy run)."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      List<Row> effects = EvaluateJob.run(session.spark(), config);
      var out = spec.commandLine().getOut();
      out.printf(
          "%-24s %-16s %9s %9s %8s %8s %9s %21s %8s%n",
          "campaign",
          "offer",
          "treated",
          "control",
          "t_rate",
          "c_rate",
          "uplift",
          "95% interval",
          "p");
      for (Row r : effects) {
        if (!r.getString(1).equals("offer") && !r.getString(1).equals(EvaluateJob.ALL)) {
          continue;
        }
        out.printf(
            "%-24s %-16s %9d %9d %7.2f%% %7.2f%% %8.2f%% [%7.2f%%, %7.2f%%] %8.4f%s%n",
            r.getString(0),
            r.getString(2),
            r.getLong(3),
            r.getLong(5),
            100 * r.getDouble(7),
            100 * r.getDouble(8),
            100 * r.getDouble(9),
            100 * r.getDouble(10),
            100 * r.getDouble(11),
            r.getDouble(13),
            r.getBoolean(22) ? "  small group" : "");
      }
      out.printf(
          "%s and %s of %s under %s%n",
          EvaluateJob.CAMPAIGN_EFFECT,
          StrategyJob.OFFER_PRIORS,
          config.runDate(),
          config.outputRoot());
      out.flush();
      return 0;
    }
  }
}
