package org.marketingengine.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.marketingengine.config.ConfigLoader;
import org.marketingengine.config.JobConfig;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
public final class GlobalOptions {

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "HOCON config file layered over the defaults, e.g. conf/local.conf.")
  Path confFile;

  @Option(
      names = "--run-date",
      paramLabel = "YYYY-MM-DD",
      description = "Logical date of the run; outputs are partitioned by it. Default: today (UTC).")
  LocalDate runDate;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Directory holding the inputs (events.csv, events.parquet or events/, ...).")
  String inputRoot;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Root directory of the output tables (local, hdfs:// or s3a://).")
  String outputRoot;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master for runs outside spark-submit, e.g. local[2]. Default: "
              + "marketing.local-master (local[*]). Under spark-submit its --master is used.")
  String master;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Overrides one config key, e.g. --set marketing.output.table-format=delta.")
  List<String> sets = new ArrayList<>();

  /** Loads the layered, validated configuration. */
  public JobConfig load() {
    LocalDate date = runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC);
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            Optional.ofNullable(confFile),
            sets,
            Optional.ofNullable(inputRoot),
            Optional.ofNullable(outputRoot),
            Optional.ofNullable(master),
            date));
  }

  /** True when the master must be set by the job, not by spark-submit. */
  boolean masterFromJob() {
    return master != null || System.getProperty("spark.master") == null;
  }
}
