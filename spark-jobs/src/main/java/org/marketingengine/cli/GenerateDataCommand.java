package org.marketingengine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.GenerateConfig;
import org.marketingengine.config.JobConfig;
import org.marketingengine.generate.GenerateDataJob;
import org.marketingengine.generate.GeneratorParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate-data}: a synthetic data set with planted structure, at any scale. */
@Command(
    name = "generate-data",
    header = "Write a synthetic data set with planted structure, at any scale.",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a synthetic events, users, items, market, social and responses data set under",
      "--output, covering the --days days before --run-date, with bad rows injected at",
      "--bad-rows-rate. Deterministic for a seed. Defaults come from marketing.generate.*."
    })
final class GenerateDataCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Option(names = "--users", paramLabel = "N", description = "Number of users.")
  Long users;

  @Option(names = "--items", paramLabel = "N", description = "Number of catalog items.")
  Integer items;

  @Option(names = "--days", paramLabel = "N", description = "Days of history (at least 14).")
  Integer days;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed.")
  Long seed;

  @Option(names = "--format", paramLabel = "csv|parquet", description = "Output file format.")
  String format;

  @Option(
      names = "--bad-rows-rate",
      paramLabel = "RATE",
      description = "Share of rows of each input made invalid (0 to 0.5).")
  Double badRowsRate;

  @Option(
      names = "--noise-rate",
      paramLabel = "RATE",
      description =
          "Share of valid rows given noise that clean must remove or repair: exact duplicate"
              + " events, bot users, price outliers, missing ages and incomes (0 to 0.2).")
  Double noiseRate;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    GenerateConfig defaults = config.generate();
    GeneratorParams params =
        new GeneratorParams(
            users != null ? users : defaults.users(),
            items != null ? items : defaults.items(),
            days != null ? days : defaults.days(),
            seed != null ? seed : defaults.seed(),
            config.runDate(),
            format != null ? FileFormat.parse(format, "--format") : defaults.format(),
            badRowsRate != null ? badRowsRate : defaults.badRowsRate(),
            defaults.categories(),
            noiseRate != null ? noiseRate : defaults.noiseRate());
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      SparkSession spark = session.spark();
      List<GenerateDataJob.Written> written =
          GenerateDataJob.run(spark, params, config.outputRoot());
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-10s %12s %10s%n", "input", "rows", "bad rows");
      for (GenerateDataJob.Written w : written) {
        out.printf(
            "%-10s %12d %10d%n",
            w.input(),
            w.rows(),
            w.badRowsByReason().values().stream().mapToLong(Long::longValue).sum());
      }
      out.printf(
          "wrote %s data for %s to %s (use it with --input %s --run-date %s)%n",
          params.format().sparkName(),
          params.startDate() + ".." + params.endDate().minusDays(1),
          config.outputRoot(),
          config.outputRoot(),
          config.runDate());
      out.flush();
      return 0;
    }
  }
}
