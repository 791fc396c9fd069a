package org.marketingengine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.quality.CleanQuality;
import org.marketingengine.quality.DataQualityReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clean}: {@code bronze/*} to {@code silver/*}. */
@Command(
    name = "clean",
    header = "Clean bronze/ into silver/.",
    mixinStandardHelpOptions = true,
    description = {
      "Standardises, de-duplicates, imputes and filters bronze/<input> of the run date into",
      "silver/<input>; removed rows go to quarantine/<input> with their reason, and every rule",
      "is counted in runs/<run_date>/data_quality.json. Run ingest for the date first."
    })
final class CleanCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      List<CleanQuality> results = CleanJob.run(session.spark(), config);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "%-10s %10s %10s %11s %10s %9s %8s%n",
          "input", "in", "kept", "duplicates", "anomalies", "missing", "imputed");
      for (CleanQuality r : results) {
        if (r.status().equals("missing")) {
          out.printf("%-10s %10s%n", r.input(), "(no input)");
        } else {
          out.printf(
              "%-10s %10d %10d %11d %10d %9d %8d%n",
              r.input(),
              r.rowsIn(),
              r.rowsKept(),
              r.duplicatesRemoved(),
              r.anomaliesRemoved(),
              r.missingDropped(),
              r.valuesImputed().values().stream().mapToLong(Long::longValue).sum());
        }
      }
      out.printf(
          "silver/ under %s; report %s%n",
          config.outputRoot(), DataQualityReport.path(config.outputRoot(), config.runDate()));
      out.flush();
      return 0;
    }
  }
}
