package org.marketingengine.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.JobConfig;
import org.marketingengine.io.InputReader;
import org.marketingengine.io.InputSchema;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.RawInput;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.quality.InputQuality;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: reads the six inputs and splits every row into {@code bronze/<input>} (typed,
 * valid) or {@code quarantine/<input>} (raw record, reason, source file).
 *
 * <p>Per input: two scans of the source and no shuffle or cache. The first writes the quarantine
 * while an {@link Observation} counts rows per reason; if too large a share is invalid the input is
 * rejected (exit 3) before bronze is touched; the second writes bronze. Records {@code ingest} in
 * {@code runs/<run_date>/data_quality.json}. An optional input without a source is logged, its
 * partition of the run date removed (so a rerun without it leaves no stale rows), and skipped.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  public static final String STAGE = "ingest";
  private static final String ROWS = "rows";

  private IngestJob() {}

  /** Table names of an input's outputs. */
  public static String bronzeTable(String input) {
    return "bronze/" + input;
  }

  public static String quarantineTable(String input) {
    return "quarantine/" + input;
  }

  /** Runs the stage and returns what happened to each input. */
  public static List<InputQuality> run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    spark.sparkContext().setJobGroup(STAGE, "ingest " + config.runDate(), false);
    InputReader reader = new InputReader(spark);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    List<InputQuality> results = new ArrayList<>();
    for (InputSchema input : InputSchemas.ALL) {
      InputSchema schema =
          input.required() && !config.ingest().requireEvents()
              ? new InputSchema(input.name(), false, input.columns())
              : input;
      Optional<RawInput> raw = reader.read(config.input(schema.name()), schema, config.inputRoot());
      if (raw.isEmpty()) {
        store.deletePartition(bronzeTable(schema.name()), config.runDate());
        store.deletePartition(quarantineTable(schema.name()), config.runDate());
        results.add(InputQuality.missing(schema.name()));
        continue;
      }
      results.add(ingest(spark, config, store, schema, raw.get()));
    }
    DataQualityReport.record(
        spark.sparkContext().hadoopConfiguration(),
        config.outputRoot(),
        config.runDate(),
        STAGE,
        results);
    long read = results.stream().mapToLong(InputQuality::rowsRead).sum();
    long quarantined = results.stream().mapToLong(InputQuality::rowsQuarantined).sum();
    LOG.info(
        "ingest done in {}: {} rows read from {} inputs, {} quarantined; report {}",
        StageCounts.elapsed(started),
        read,
        results.stream().filter(r -> r.status().equals("read")).count(),
        quarantined,
        DataQualityReport.path(config.outputRoot(), config.runDate()));
    return results;
  }

  private static InputQuality ingest(
      SparkSession spark, JobConfig config, TableStore store, InputSchema schema, RawInput raw) {
    long started = System.nanoTime();
    String name = schema.name();
    Dataset<Row> validated =
        IngestValidation.apply(
            raw.rows(), schema, config.runDate(), config.ingest().futureToleranceHours());
    List<String> reasons = IngestValidation.possibleReasons(schema);
    List<Column> metrics = new ArrayList<>();
    for (String reason : reasons) {
      metrics.add(sum(when(col(Quarantine.REASON).equalTo(reason), 1L).otherwise(0L)).as(reason));
    }
    Observation observation = new Observation("ingest " + name);
    Dataset<Row> counted =
        validated.observe(observation, count(lit(1)).as(ROWS), metrics.toArray(Column[]::new));

    store.write(quarantineTable(name), config.runDate(), IngestValidation.rejected(counted));
    InputQuality quality =
        InputQuality.fromCounts(
            name, raw.path(), raw.format().sparkName(), StageCounts.observed(observation, name));
    rejectIfMostlyBad(config, raw, quality);
    store.write(bronzeTable(name), config.runDate(), IngestValidation.valid(validated));
    LOG.info(
        "ingest {} done in {}: {} rows read, {} kept, {} quarantined{}",
        name,
        StageCounts.elapsed(started),
        quality.rowsRead(),
        quality.rowsKept(),
        quality.rowsQuarantined(),
        quality.rowsQuarantined() == 0 ? "" : " (top reason " + quality.topReason() + ")");
    return quality;
  }

  private static void rejectIfMostlyBad(JobConfig config, RawInput raw, InputQuality quality) {
    double share =
        quality.rowsRead() == 0 ? 0 : (double) quality.rowsQuarantined() / quality.rowsRead();
    if (share > config.ingest().maxQuarantineShare()) {
      throw new InvalidInputException(
          String.format(
              Locale.ROOT,
              "Cannot ingest %s from '%s': %.0f%% of %d rows are invalid (most often %s). Check"
                  + " the file's format, delimiter and column mapping, or raise"
                  + " marketing.ingest.max-quarantine-share",
              raw.name(),
              raw.path(),
              share * 100,
              quality.rowsRead(),
              quality.topReason()));
    }
  }
}
