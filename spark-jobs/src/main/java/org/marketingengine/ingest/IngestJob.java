package org.marketingengine.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.JobConfig;
import org.marketingengine.io.InputReader;
import org.marketingengine.io.InputSchema;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.RawInput;
import org.marketingengine.io.ReadFailures;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.quality.InputQuality;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.stage.Concurrently;
import org.marketingengine.stage.SessionSetting;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: reads the six inputs and splits every row into {@code bronze/<input>} (typed,
 * valid) or {@code quarantine/<input>} (raw record, reason, source file).
 *
 * <p>Per input: one scan of the source, no shuffle. The validated rows are cached (memory, then the
 * executors' local disk; the raw record kept only for rejected rows) while the quarantine is
 * written and an {@link Observation} counts rows per reason; if too large a share is invalid the
 * input is rejected (exit 3) before bronze is touched; bronze is then written from the cache, which
 * is released after. Records {@code ingest} in {@code runs/<run_date>/data_quality.json}. An
 * optional input without a source is logged, its partition of the run date removed (so a rerun
 * without it leaves no stale rows), and skipped.
 */
public final class IngestJob implements Stage<IngestJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  public static final String STAGE = "ingest";
  private static final String ROWS = "rows";

  /**
   * The validation of a wide input (every column typed and checked in one projection) compiles to a
   * generated method above HotSpot's limit of 8,000 bytes of bytecode, which the JVM then never
   * compiles: it ran interpreted, a third of ingest's CPU time. With Spark's limit at the same
   * value, such a plan runs without whole-stage code generation instead, in methods the JIT
   * compiles (ingest at 100k users: 66 s to 54 s, docs/performance.md).
   */
  static final String HUGE_METHOD_LIMIT = "spark.sql.codegen.hugeMethodLimit";

  static final String HOTSPOT_HUGE_METHOD = "8000";

  /** What happened to each input. */
  public record Result(List<InputQuality> inputs) {
    public long rowsRead() {
      return inputs.stream().mapToLong(InputQuality::rowsRead).sum();
    }

    public long rowsQuarantined() {
      return inputs.stream().mapToLong(InputQuality::rowsQuarantined).sum();
    }
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Read the inputs; split every row into bronze/ (valid) and quarantine/ (with a reason).";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Reads events, users, items, market, social and responses (CSV or Parquet) from --input",
        "or marketing.inputs.<input>.path, validates every row against the input's schema and",
        "writes bronze/<input> and quarantine/<input> for the run date, and",
        "runs/<run_date>/data_quality.json. Only events is required.");
  }

  @Override
  public List<String> reads() {
    return InputSchemas.ALL.stream().map(InputSchema::name).toList();
  }

  @Override
  public Result run(StageContext context) {
    JobConfig config = context.config();
    InputReader reader = new InputReader(context.spark(), config.clean().personalData());
    // Every input is located and its header read first, so that a file-level problem (a missing
    // column, a missing key for personal columns) stops the stage before anything is written.
    Map<InputSchema, Optional<RawInput>> raws = new LinkedHashMap<>();
    for (InputSchema input : InputSchemas.ALL) {
      InputSchema schema =
          input.required() && !config.ingest().requireEvents()
              ? new InputSchema(input.name(), false, input.columns())
              : input;
      raws.put(schema, reader.read(config.input(schema.name()), schema, config.inputRoot()));
    }
    // The inputs are independent: a few are ingested at a time (Concurrently).
    List<InputQuality> results =
        SessionSetting.during(
            context.spark(),
            HUGE_METHOD_LIMIT,
            HOTSPOT_HUGE_METHOD,
            () ->
                Concurrently.map(
                    new ArrayList<>(raws.entrySet()),
                    entry -> ingestOrSkip(context, entry.getKey(), entry.getValue())));
    DataQualityReport.record(
        context.hadoop(), context.outputRoot(), context.runDate(), STAGE, results);
    return new Result(results);
  }

  @Override
  public String outcome(Result result) {
    return String.format(
        Locale.ROOT,
        "%d rows read from %d inputs, %d quarantined",
        result.rowsRead(),
        result.inputs().stream().filter(r -> r.status().equals("read")).count(),
        result.rowsQuarantined());
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf("%-10s %10s %10s %12s%n", "input", "read", "kept", "quarantined");
    for (InputQuality r : result.inputs()) {
      if (r.status().equals("missing")) {
        out.printf("%-10s %10s%n", r.input(), "(no input)");
      } else {
        out.printf(
            "%-10s %10d %10d %12d%n", r.input(), r.rowsRead(), r.rowsKept(), r.rowsQuarantined());
      }
    }
    out.printf(
        "bronze/ and quarantine/ under %s; report %s%n",
        context.outputRoot(), DataQualityReport.path(context.outputRoot(), context.runDate()));
  }

  /** One input ingested, or its run date's partitions removed when it has no source. */
  private static InputQuality ingestOrSkip(
      StageContext context, InputSchema schema, Optional<RawInput> raw) {
    if (raw.isEmpty()) {
      context.tables().deletePartition(Tables.bronze(schema.name()), context.runDate());
      context.tables().deletePartition(Tables.quarantine(schema.name()), context.runDate());
      return InputQuality.missing(schema.name());
    }
    try {
      return ingest(context, schema, raw.get());
    } catch (Exception e) { // SparkException is checked, but thrown from Scala undeclared
      Optional<InvalidInputException> problem = ReadFailures.asInputProblem(e, raw.get());
      if (problem.isPresent()) {
        throw problem.get();
      }
      throw e;
    }
  }

  private static InputQuality ingest(StageContext context, InputSchema schema, RawInput raw) {
    long started = System.nanoTime();
    JobConfig config = context.config();
    String name = schema.name();
    Dataset<Row> validated =
        IngestValidation.rawRecordOfRejectedOnly(
                IngestValidation.apply(
                    raw.rows(), schema, config.runDate(), config.ingest().futureToleranceHours()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return write(context, schema, raw, validated, started);
    } finally {
      validated.unpersist();
    }
  }

  /**
   * Writes the quarantine, then (unless too much is bad) bronze, from the cached validated rows:
   * the source is parsed and checked once.
   */
  private static InputQuality write(
      StageContext context,
      InputSchema schema,
      RawInput raw,
      Dataset<Row> validated,
      long started) {
    JobConfig config = context.config();
    String name = schema.name();
    List<Column> metrics = new ArrayList<>();
    for (String reason : IngestValidation.possibleReasons(schema)) {
      metrics.add(StageCounts.countWhere(col(Quarantine.REASON).equalTo(reason)).as(reason));
    }
    Observation observation = new Observation("ingest " + name);
    Dataset<Row> counted =
        validated.observe(observation, count(lit(1)).as(ROWS), metrics.toArray(Column[]::new));

    context
        .tables()
        .write(Tables.quarantine(name), config.runDate(), IngestValidation.rejected(counted));
    InputQuality quality =
        InputQuality.fromCounts(
            name, raw.path(), raw.format().sparkName(), StageCounts.observed(observation, name));
    rejectIfMostlyBad(config, raw, quality);
    context
        .tables()
        .write(Tables.bronze(name), config.runDate(), IngestValidation.valid(validated));
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
