package org.marketingengine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.JobConfig;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.quality.InputQuality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ingest}: inputs to {@code bronze/*} and {@code quarantine/*}. */
@Command(
    name = "ingest",
    header = "Read the inputs into bronze/ and quarantine/.",
    mixinStandardHelpOptions = true,
    description = {
      "Reads events, users, items, market, social and responses (CSV or Parquet) and writes",
      "bronze/<input> (typed, valid rows) and quarantine/<input> (raw record, reason, source",
      "file), plus runs/<run_date>/data_quality.json. Only events is required."
    })
final class IngestCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      SparkSession spark = session.spark();
      List<InputQuality> results = IngestJob.run(spark, config);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-10s %10s %10s %12s%n", "input", "read", "kept", "quarantined");
      for (InputQuality r : results) {
        if (r.status().equals("missing")) {
          out.printf("%-10s %10s%n", r.input(), "(no input)");
        } else {
          out.printf(
              "%-10s %10d %10d %12d%n", r.input(), r.rowsRead(), r.rowsKept(), r.rowsQuarantined());
        }
      }
      out.printf(
          "bronze/ and quarantine/ under %s; report %s%n",
          config.outputRoot(), DataQualityReport.path(config.outputRoot(), config.runDate()));
      out.flush();
      return 0;
    }
  }
}
