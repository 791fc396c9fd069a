package org.marketingengine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.model.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code train}: {@code features/user_features} to {@code models/<run_date>/*}. */
@Command(
    name = "train",
    header = "Train, evaluate and save the spend, purchase and response models.",
    mixinStandardHelpOptions = true,
    description = {
      "Trains spend_regression, purchase_logreg, purchase_mlp and, where campaign contacts exist,",
      "response_logreg and response_mlp on features/user_features of the run date; saves them",
      "under models/<run_date>/ and their test metrics to metrics/model_metrics. Run features first."
    })
final class TrainCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      List<TrainJob.TrainedModel> models = TrainJob.run(session.spark(), config);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "%-18s %9s %8s %8s %8s %8s %10s  %s%n",
          "model", "rows", "AUC", "AUC-PR", "lift@10", "RMSE", "base RMSE", "");
      for (TrainJob.TrainedModel m : models) {
        out.printf(
            "%-18s %9d %8s %8s %8s %8s %10s  %s%n",
            m.name(),
            m.trainingRows(),
            value(m.test().get("auc_roc")),
            value(m.test().get("auc_pr")),
            value(m.test().get("top_decile_lift")),
            value(m.test().get("rmse")),
            value(m.baseline().get("rmse")),
            m.champion() ? "champion" : "");
      }
      out.printf(
          "test-split metrics; models under %s/models/%s%n", config.outputRoot(), config.runDate());
      out.flush();
      return 0;
    }
  }

  private static String value(Double v) {
    return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
