package org.marketingengine.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.recommend.RecsEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code evaluate-recs}: ranking quality of the recommender on a holdout. */
@Command(
    name = "evaluate-recs",
    header = "Measure recommendation quality on held-out interactions.",
    mixinStandardHelpOptions = true,
    description = {
      "Holds out interactions (marketing.recommend.evaluation.holdout: time, fraction or",
      "leave-last), fits on the rest and writes precision@k, recall@k, NDCG@k, MAP@k, hit rate,",
      "catalog coverage and novelty of the blend, ALS alone, content alone and the most-popular",
      "baseline to metrics/recommendation_metrics."
    })
final class EvaluateRecsCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      List<RecsEvaluation.Measured> results = RecsEvaluation.run(session.spark(), config);
      var out = spec.commandLine().getOut();
      out.printf(
          "%s of %s under %s:%n", RecsEvaluation.METRICS, config.runDate(), config.outputRoot());
      out.printf(
          "  %-34s %4s %9s %9s %9s %9s %9s %9s%n",
          "variant", "k", "precision", "recall", "ndcg", "map", "hit_rate", "coverage");
      for (RecsEvaluation.Measured m : results) {
        out.printf(
            Locale.ROOT,
            "  %-34s %4d %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f%n",
            m.variant(),
            m.k(),
            m.precision(),
            m.recall(),
            m.ndcg(),
            m.map(),
            m.hitRate(),
            m.coverage());
      }
      out.flush();
      return 0;
    }
  }
}
