package org.marketingengine.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.CleanConfig;
import org.marketingengine.config.CleanConfig.MissingPolicy;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.CleanQuality;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.stage.Concurrently;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean stage: {@code bronze/<input>} to {@code silver/<input>}, in the order users, items,
 * market, events, social, responses (events are checked against the cleaned users and items).
 *
 * <p>Per input: standardise text, mark duplicates, apply missing-value policies, mark anomalies,
 * then write the removed rows (but duplicates) to {@code quarantine/<input>} next to ingest's
 * rejects (column {@code stage} tells them apart) while an observation counts every rule, and write
 * the kept rows to {@code silver/<input>}. Shuffles: the duplicate windows, the per-category price
 * quartiles, the bot counts and the joins with users and items, once per input: the marked rows are
 * cached ({@code MEMORY_AND_DISK}) for the two writes.
 */
public final class CleanJob implements Stage<CleanJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(CleanJob.class);
  public static final String STAGE = "clean";

  /** What happened to each input. */
  public record Result(List<CleanQuality> inputs) {
    long sum(java.util.function.ToLongFunction<CleanQuality> count) {
      return inputs.stream().mapToLong(count).sum();
    }
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Clean bronze/ into silver/: de-duplicate, impute, remove anomalies.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Reads bronze/<input> of the run date (run ingest first) and writes silver/<input>;",
        "removed rows go to quarantine/<input> with a reason, and every rule is counted in",
        "runs/<run_date>/data_quality.json.");
  }

  @Override
  public List<String> reads() {
    return InputRules.ORDER.stream().map(Tables::bronze).toList();
  }

  @Override
  public Result run(StageContext context) {
    List<CleanQuality> results = new ArrayList<>();
    for (List<String> wave : InputRules.WAVES) {
      results.addAll(Concurrently.map(wave, input -> cleanOrSkip(context, input)));
    }
    List<CleanQuality.Summary> summaries =
        CleanCounts.summaries(
            DataQualityReport.readIfExists(
                context.hadoop(), context.outputRoot(), context.runDate()),
            results);
    DataQualityReport.record(
        context.hadoop(), context.outputRoot(), context.runDate(), STAGE, results);
    DataQualityReport.record(
        context.hadoop(), context.outputRoot(), context.runDate(), "summary", summaries);
    return new Result(results);
  }

  @Override
  public String outcome(Result r) {
    return String.format(
        Locale.ROOT,
        "%d rows kept, %d duplicates, %d anomalies, %d dropped for missing values",
        r.sum(CleanQuality::rowsKept),
        r.sum(CleanQuality::duplicatesRemoved),
        r.sum(CleanQuality::anomaliesRemoved),
        r.sum(CleanQuality::missingDropped));
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%-10s %10s %10s %11s %10s %9s %8s%n",
        "input", "in", "kept", "duplicates", "anomalies", "missing", "imputed");
    for (CleanQuality r : result.inputs()) {
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
        context.outputRoot(), DataQualityReport.path(context.outputRoot(), context.runDate()));
  }

  private static CleanQuality cleanOrSkip(StageContext context, String input) {
    if (!context.has(Tables.bronze(input))) {
      context.tables().deletePartition(Tables.silver(input), context.runDate());
      LOG.info("clean {}: no bronze/{} for {}; skipped", input, input, context.runDate());
      return CleanQuality.missing(input);
    }
    return clean(context, input);
  }

  private static CleanQuality clean(StageContext context, String input) {
    long started = System.nanoTime();
    CleanConfig rules = context.config().clean();
    Dataset<Row> bronze =
        withAllSpecColumns(context.require(Tables.bronze(input), "clean " + input), input);
    Dataset<Row> rows =
        CleanRules.standardise(
            CleanRules.start(bronze),
            InputRules.categorical(bronze, input, rules.personalData().columns()));
    if (rules.deduplicate()) {
      rows = Duplicates.markDuplicates(rows, InputRules.presentKey(rows, input));
      if (input.equals(InputSchemas.EVENTS)) {
        rows = Duplicates.markNearDuplicateEvents(rows, rules.eventTimeToleranceSeconds());
      }
    }
    Map<String, MissingPolicy> missing = rules.missing(input);
    rows = CleanRules.handleMissing(rows, input, missing);
    rows = CleanRules.convertCurrency(rows, InputRules.amountColumns(input), rules.currency());
    Dataset<Row> marked =
        markAnomalies(context, input, rows).persist(StorageLevel.MEMORY_AND_DISK());
    CleanCounts counts = new CleanCounts(input, InputRules.possibleReasons(input, missing), marked);
    try {
      write(context, input, marked, counts);
    } finally {
      marked.unpersist();
    }

    CleanQuality quality = counts.quality();
    LOG.info(
        "clean {} done in {}: {} rows in, {} kept, {} duplicates, {} anomalies, {} dropped for"
            + " missing values, {} values imputed",
        input,
        StageCounts.elapsed(started),
        quality.rowsIn(),
        quality.rowsKept(),
        quality.duplicatesRemoved(),
        quality.anomaliesRemoved(),
        quality.missingDropped(),
        quality.valuesImputed().values().stream().mapToLong(Long::longValue).sum());
    return quality;
  }

  /**
   * The removed rows (but duplicates) to the quarantine, counted on the way, then the kept rows to
   * silver: both from the same marked rows, which the caller caches so that the duplicate windows,
   * bot counts and joins run once, not once per write.
   */
  private static void write(
      StageContext context, String input, Dataset<Row> marked, CleanCounts counts) {
    context
        .tables()
        .write(
            Tables.quarantine(input),
            context.runDate(),
            ingestRejects(context, input).unionByName(rejected(counts.observe(marked), input)));
    context.tables().write(Tables.silver(input), context.runDate(), kept(marked));
  }

  private static Dataset<Row> markAnomalies(StageContext context, String input, Dataset<Row> rows) {
    CleanConfig.Anomalies rules = context.config().clean().anomalies();
    Optional<Dataset<Row>> users = context.optional(Tables.silver(InputSchemas.USERS));
    return switch (input) {
      case InputSchemas.USERS -> Anomalies.markUserAnomalies(rows, rules);
      case InputSchemas.ITEMS ->
          rules.priceOutliers() && has(rows, Items.PRICE)
              ? Anomalies.markPriceOutliers(
                  rows, Items.CATEGORY, Items.ITEM_ID, Items.PRICE, rules.priceIqrFactor())
              : rows;
      case InputSchemas.EVENTS ->
          markUnknownUsers(
              markEventAnomalies(rows, context.optional(Tables.silver(InputSchemas.ITEMS)), rules),
              users,
              rules);
      case InputSchemas.SOCIAL, InputSchemas.RESPONSES -> markUnknownUsers(rows, users, rules);
      default -> rows;
    };
  }

  /**
   * Bots, and where the catalog exists, price outliers by the item's category and unknown items.
   */
  private static Dataset<Row> markEventAnomalies(
      Dataset<Row> events, Optional<Dataset<Row>> items, CleanConfig.Anomalies rules) {
    Dataset<Row> result =
        rules.bots() ? Anomalies.markBots(events, rules.botMaxEventsPerMinute()) : events;
    if (items.isEmpty()) {
      return result;
    }
    if (rules.priceOutliers()) {
      result =
          Anomalies.markPriceOutliers(
                  Anomalies.withItemCategory(result, items.get()),
                  Anomalies.ITEM_CATEGORY,
                  Events.ITEM_ID,
                  Events.PRICE,
                  rules.priceIqrFactor())
              .drop(Anomalies.ITEM_CATEGORY);
    }
    return Anomalies.markUnknown(
        result,
        Events.ITEM_ID,
        items.get(),
        rules.unknownItems(),
        CleanRules.UNKNOWN_ITEM_FLAG,
        CleanRules.UNKNOWN_ITEM);
  }

  private static Dataset<Row> markUnknownUsers(
      Dataset<Row> rows, Optional<Dataset<Row>> users, CleanConfig.Anomalies rules) {
    return users
        .map(
            known ->
                Anomalies.markUnknown(
                    rows,
                    Users.USER_ID,
                    known,
                    rules.unknownUsers(),
                    CleanRules.UNKNOWN_USER_FLAG,
                    CleanRules.UNKNOWN_USER))
        .orElse(rows);
  }

  /** The kept rows without bookkeeping. */
  static Dataset<Row> kept(Dataset<Row> rows) {
    List<String> internal = Arrays.stream(rows.columns()).filter(c -> c.startsWith("_")).toList();
    return rows.where(col(CleanRules.REASON).isNull()).drop(internal.toArray(String[]::new));
  }

  /** The removed rows (but duplicates) in the quarantine layout. */
  static Dataset<Row> rejected(Dataset<Row> rows, String input) {
    Column[] data =
        Arrays.stream(rows.columns())
            .filter(c -> !c.startsWith("_"))
            .map(Columns::quoted)
            .toArray(Column[]::new);
    return rows.where(
            col(CleanRules.REASON)
                .isNotNull()
                .and(col(CleanRules.REASON).notEqual(CleanRules.DUPLICATE)))
        .select(
            to_json(struct(data)).as(Quarantine.RAW_RECORD),
            col(CleanRules.REASON).as(Quarantine.REASON),
            lit(Tables.bronze(input)).as(Quarantine.SOURCE_FILE),
            lit(STAGE).as(Quarantine.STAGE));
  }

  /** Ingest's rejects of the input, kept beside clean's in the quarantine table. */
  private static Dataset<Row> ingestRejects(StageContext context, String input) {
    return context
        .optional(Tables.quarantine(input))
        .map(
            q ->
                q.where(col(Quarantine.STAGE).equalTo("ingest"))
                    .select(
                        col(Quarantine.RAW_RECORD),
                        col(Quarantine.REASON),
                        col(Quarantine.SOURCE_FILE),
                        col(Quarantine.STAGE)))
        .orElseGet(() -> context.spark().createDataFrame(List.of(), Tables.QUARANTINE_SCHEMA));
  }

  /** Adds the SPEC columns a bronze table lacks as typed nulls, as ingest would have. */
  private static Dataset<Row> withAllSpecColumns(Dataset<Row> bronze, String input) {
    Dataset<Row> result = bronze;
    for (ColumnSpec spec : InputSchemas.byName(input).columns()) {
      if (!has(result, spec.name())) {
        result = result.withColumn(spec.name(), lit(null).cast(spec.type().sparkType()));
      }
    }
    return result;
  }

  private static boolean has(Dataset<Row> rows, String column) {
    return Arrays.asList(rows.columns()).contains(column);
  }
}
