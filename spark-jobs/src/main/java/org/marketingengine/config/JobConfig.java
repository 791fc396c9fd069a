package org.marketingengine.config;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration of one run. Immutable; built by {@link ConfigLoader}.
 *
 * @param runDate the logical date of the run; outputs are partitioned by it
 * @param inputRoot directory under which inputs are found by name, if set
 * @param outputRoot root of every output table
 * @param master Spark master to use when not launched by spark-submit
 * @param shufflePartitionMib MiB of a stage's input tables per shuffle partition (0: off), see
 *     {@code org.marketingengine.stage.ShufflePartitions}
 * @param sparkSettings {@code spark.*} settings applied to the session
 */
public record JobConfig(
    LocalDate runDate,
    Optional<String> inputRoot,
    String outputRoot,
    String master,
    String appName,
    TableFormat tableFormat,
    int shufflePartitionMib,
    Map<String, InputConfig> inputs,
    IngestConfig ingest,
    CleanConfig clean,
    FeaturesConfig features,
    TrainConfig train,
    ProfileConfig profile,
    RecommendConfig recommend,
    StrategyConfig strategy,
    EvaluateConfig evaluate,
    ExportConfig export,
    ReportConfig report,
    GenerateConfig generate,
    Map<String, String> sparkSettings) {

  public JobConfig {
    inputs = Map.copyOf(inputs);
    sparkSettings = Map.copyOf(sparkSettings);
  }

  /** The same configuration for another run date. */
  public JobConfig withRunDate(LocalDate date) {
    return new JobConfig(
        date,
        inputRoot,
        outputRoot,
        master,
        appName,
        tableFormat,
        shufflePartitionMib,
        inputs,
        ingest,
        clean,
        features,
        train,
        profile,
        recommend,
        strategy,
        evaluate,
        export,
        report,
        generate,
        sparkSettings);
  }

  /** The configuration of one input; every input of SPEC section 2 has one. */
  public InputConfig input(String name) {
    InputConfig input = inputs.get(name);
    if (input == null) {
      throw new IllegalArgumentException("No input named '" + name + "'");
    }
    return input;
  }
}
