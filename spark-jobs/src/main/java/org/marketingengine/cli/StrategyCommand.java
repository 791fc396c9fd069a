package org.marketingengine.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.marketingengine.config.JobConfig;
import org.marketingengine.strategy.StrategyJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strategy}: the per-user strategy of every active campaign. */
@Command(
    name = "strategy",
    header = "Plan each active campaign per user: objective, offer, channel, items, message.",
    mixinStandardHelpOptions = true,
    description = {
      "Writes strategy/user_strategy (one row per user and campaign active on the day after the",
      "run date) and strategy/segment_summary from profiles, recommendations, consent, the",
      "response model or feedback/offer_priors, the budget, caps and the control group."
    })
final class StrategyCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      StrategyJob.Result result = StrategyJob.run(session.spark(), config);
      var out = spec.commandLine().getOut();
      out.printf(
          "%s of %s under %s:%n", StrategyJob.USER_STRATEGY, config.runDate(), config.outputRoot());
      for (Map.Entry<String, Row> e : result.campaigns().entrySet()) {
        Row r = e.getValue();
        out.printf(
            "  campaign %s: %d users, %d contacted, %d control, expected cost %.2f%n",
            e.getKey(),
            r.getLong(1),
            r.getLong(2),
            r.getLong(3),
            r.isNullAt(4) ? 0.0 : r.getDouble(4));
      }
      StrategyJob.printSummary(session.spark(), config, out);
      out.flush();
      return 0;
    }
  }
}
