package org.marketingengine.stage;

import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.JobConfig;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;

/**
 * What a stage runs with: the session, the validated configuration, the table store of the output
 * root, and the run's dates.
 *
 * @param modelDate the train run whose models to use ({@code --model-date}), if given
 */
public record StageContext(
    SparkSession spark, JobConfig config, TableStore tables, Optional<LocalDate> modelDate) {

  /** The context of a run on {@code spark} with {@code config}. */
  public static StageContext of(SparkSession spark, JobConfig config) {
    return new StageContext(
        spark,
        config,
        new TableStore(spark, config.outputRoot(), config.tableFormat()),
        Optional.empty());
  }

  /** The same context with {@code --model-date}. */
  public StageContext withModelDate(Optional<LocalDate> date) {
    return new StageContext(spark, config, tables, date);
  }

  public LocalDate runDate() {
    return config.runDate();
  }

  public String outputRoot() {
    return config.outputRoot();
  }

  public Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** Names the Spark jobs that follow, e.g. {@code "features: correlations"}. */
  public void describe(String jobs) {
    spark.sparkContext().setJobDescription(jobs);
  }

  /** Whether the run date of {@code table} is published. */
  public boolean has(String table) {
    return tables.hasPartition(table, runDate());
  }

  /** The run date's rows of an optional table (without {@code run_date}), or empty. */
  public Optional<Dataset<Row>> optional(String table) {
    return tables.readIfPresent(table, runDate());
  }

  /**
   * The run date's rows of a table the stage cannot do without (without {@code run_date}).
   *
   * @throws InvalidInputException naming the table and the stage to run first
   */
  public Dataset<Row> require(String table, String doing) {
    return optional(table).orElseThrow(() -> missing(table, doing));
  }

  /** The error for a missing table: what could not be done and which stage to run first. */
  public InvalidInputException missing(String table, String doing) {
    return new InvalidInputException(
        "Cannot "
            + doing
            + ": no "
            + table
            + " for run_date="
            + runDate()
            + " under "
            + outputRoot()
            + ". Run "
            + Tables.writer(table)
            + " for that date first");
  }
}
