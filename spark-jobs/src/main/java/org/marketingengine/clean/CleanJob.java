package org.marketingengine.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.CleanConfig;
import org.marketingengine.config.CleanConfig.MissingPolicy;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.config.JobConfig;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.CleanQuality;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.quality.InputQuality;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.quality.StageQuality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean stage: {@code bronze/<input>} to {@code silver/<input>}, in the order users, items,
 * market, events, social, responses (events are checked against the cleaned users and items).
 *
 * <p>Per input: standardise text, mark duplicates, apply missing-value policies, mark anomalies,
 * pseudonymise personal columns, then write the removed rows (but duplicates) to {@code
 * quarantine/<input>} next to ingest's rejects (column {@code stage} tells them apart) while an
 * {@link Observation} counts every rule, and write the kept rows to {@code silver/<input>}.
 * Shuffles: the duplicate windows, the per-category price quartiles, the bot counts and the joins
 * with users and items.
 */
public final class CleanJob {
  private static final Logger LOG = LoggerFactory.getLogger(CleanJob.class);
  public static final String STAGE = "clean";
  private static final String ROWS = "rows";

  /** Inputs whose columns describe people, where personal data can live. */
  private static final Set<String> PERSONAL_INPUTS =
      Set.of(InputSchemas.USERS, InputSchemas.EVENTS, InputSchemas.SOCIAL, InputSchemas.RESPONSES);

  private static final Map<String, List<String>> KEYS =
      Map.of(
          InputSchemas.EVENTS, List.of(Events.EVENT_ID),
          InputSchemas.USERS, List.of(Users.USER_ID),
          InputSchemas.ITEMS, List.of(Items.ITEM_ID),
          InputSchemas.MARKET, List.of(Market.DATE, Market.CATEGORY, Market.REGION),
          InputSchemas.SOCIAL, List.of(),
          InputSchemas.RESPONSES, List.of(Responses.CAMPAIGN_ID, Responses.USER_ID));

  private static final Map<String, Set<String>> CATEGORICAL =
      Map.of(
          InputSchemas.EVENTS, Set.of(Events.EVENT_TYPE, Events.CHANNEL),
          InputSchemas.USERS, Set.of(Users.GENDER, Users.REGION),
          InputSchemas.ITEMS, Set.of(Items.CATEGORY, Items.BRAND),
          InputSchemas.MARKET, Set.of(Market.CATEGORY, Market.REGION),
          InputSchemas.SOCIAL, Set.of(Social.PLATFORM, Social.INTERACTION_TYPE, Social.CATEGORY),
          InputSchemas.RESPONSES, Set.of(Responses.OFFER, Responses.CHANNEL, Responses.GROUP));

  private static final List<String> ORDER =
      List.of(
          InputSchemas.USERS,
          InputSchemas.ITEMS,
          InputSchemas.MARKET,
          InputSchemas.EVENTS,
          InputSchemas.SOCIAL,
          InputSchemas.RESPONSES);

  private CleanJob() {}

  public static String silverTable(String input) {
    return "silver/" + input;
  }

  /** Runs the stage and returns what happened to each input. */
  public static List<CleanQuality> run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    spark.sparkContext().setJobGroup(STAGE, "clean " + config.runDate(), false);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    CleanConfig rules = config.clean();
    List<CleanQuality> results = new ArrayList<>();
    for (String input : ORDER) {
      if (!store.hasPartition(IngestJob.bronzeTable(input), config.runDate())) {
        store.deletePartition(silverTable(input), config.runDate());
        LOG.info("clean {}: no bronze/{} for {}; skipped", input, input, config.runDate());
        results.add(CleanQuality.missing(input));
        continue;
      }
      results.add(clean(spark, config, store, input));
    }
    List<StageQuality> summaries = summaries(spark, config, results);
    DataQualityReport.record(
        spark.sparkContext().hadoopConfiguration(),
        config.outputRoot(),
        config.runDate(),
        STAGE,
        results);
    DataQualityReport.record(
        spark.sparkContext().hadoopConfiguration(),
        config.outputRoot(),
        config.runDate(),
        "summary",
        summaries);
    LOG.info(
        "clean done in {}: {} rows kept, {} duplicates, {} anomalies, {} dropped for missing"
            + " values",
        StageCounts.elapsed(started),
        results.stream().mapToLong(CleanQuality::rowsKept).sum(),
        results.stream().mapToLong(CleanQuality::duplicatesRemoved).sum(),
        results.stream().mapToLong(CleanQuality::anomaliesRemoved).sum(),
        results.stream().mapToLong(CleanQuality::missingDropped).sum());
    if (rules.personalData().mode() == CleanConfig.PersonalDataMode.PSEUDONYMISE) {
      LOG.debug(
          "personal columns pseudonymised with the key from ${}", rules.personalData().secretEnv());
    }
    return results;
  }

  private static CleanQuality clean(
      SparkSession spark, JobConfig config, TableStore store, String input) {
    long started = System.nanoTime();
    CleanConfig rules = config.clean();
    Dataset<Row> bronze =
        withAllSpecColumns(
            store.read(IngestJob.bronzeTable(input), config.runDate()).drop(Columns.RUN_DATE),
            input);
    Set<String> categorical = new LinkedHashSet<>(CATEGORICAL.get(input));
    if (input.equals(InputSchemas.USERS)) {
      categorical.addAll(extraTextColumns(bronze, input, rules.personalData().columns()));
    }
    Dataset<Row> rows = CleanRules.standardise(CleanRules.start(bronze), categorical);
    if (rules.deduplicate()) {
      rows = CleanRules.markDuplicates(rows, presentKey(rows, input));
      if (input.equals(InputSchemas.EVENTS)) {
        rows = CleanRules.markNearDuplicateEvents(rows, rules.eventTimeToleranceSeconds());
      }
    }
    Map<String, MissingPolicy> missing = rules.missing(input);
    rows = CleanRules.handleMissing(rows, input, missing);
    rows = CleanRules.convertCurrency(rows, amountColumns(input), rules.currency());
    rows = markAnomalies(spark, config, store, input, rows);
    if (PERSONAL_INPUTS.contains(input)) {
      rows =
          CleanRules.protectPersonalData(
              rows, rules.personalData().columns(), keyedHash(rules, rows));
    }

    List<String> reasons = possibleReasons(input, missing, rules);
    List<String> imputed =
        Arrays.stream(rows.columns()).filter(c -> c.startsWith(CleanRules.IMPUTED_PREFIX)).toList();
    List<String> unknownFlags =
        Arrays.stream(rows.columns())
            .filter(
                c ->
                    c.equals(CleanRules.UNKNOWN_USER_FLAG)
                        || c.equals(CleanRules.UNKNOWN_ITEM_FLAG))
            .toList();
    List<Column> metrics = new ArrayList<>();
    for (String reason : reasons) {
      metrics.add(StageCounts.countWhere(col(CleanRules.REASON).equalTo(reason)).as(reason));
    }
    for (String flag : imputed) {
      metrics.add(StageCounts.countWhere(col(flag)).as(flag));
    }
    for (String flag : unknownFlags) {
      metrics.add(StageCounts.countWhere(col(flag)).as(flag));
    }
    Observation observation = new Observation("clean " + input);
    Dataset<Row> counted =
        rows.observe(observation, count(lit(1)).as(ROWS), metrics.toArray(Column[]::new));

    store.write(
        IngestJob.quarantineTable(input),
        config.runDate(),
        ingestRejects(spark, store, input, config).unionByName(rejected(counted, input)));
    Map<String, Long> counts = StageCounts.observed(observation, input);
    store.write(silverTable(input), config.runDate(), kept(rows));

    CleanQuality quality = quality(input, counts, reasons, imputed);
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

  private static Dataset<Row> markAnomalies(
      SparkSession spark, JobConfig config, TableStore store, String input, Dataset<Row> rows) {
    CleanConfig.Anomalies rules = config.clean().anomalies();
    Dataset<Row> result = rows;
    switch (input) {
      case InputSchemas.USERS -> result = CleanRules.markUserAnomalies(result, rules);
      case InputSchemas.ITEMS -> {
        if (rules.priceOutliers() && has(result, Items.PRICE)) {
          result =
              CleanRules.markPriceOutliers(
                  result, Items.CATEGORY, Items.ITEM_ID, Items.PRICE, rules.priceIqrFactor());
        }
      }
      case InputSchemas.EVENTS -> {
        if (rules.bots()) {
          result = CleanRules.markBots(result, rules.botMaxEventsPerMinute());
        }
        Optional<Dataset<Row>> items = silver(store, InputSchemas.ITEMS, config);
        if (items.isPresent()) {
          if (rules.priceOutliers()) {
            result =
                CleanRules.markPriceOutliers(
                        CleanRules.withItemCategory(result, items.get()),
                        CleanRules.ITEM_CATEGORY,
                        Events.ITEM_ID,
                        Events.PRICE,
                        rules.priceIqrFactor())
                    .drop(CleanRules.ITEM_CATEGORY);
          }
          result =
              CleanRules.markUnknown(
                  result,
                  Events.ITEM_ID,
                  items.get(),
                  rules.unknownItems(),
                  CleanRules.UNKNOWN_ITEM_FLAG,
                  CleanRules.UNKNOWN_ITEM);
        }
        result = markUnknownUsers(result, silver(store, InputSchemas.USERS, config), rules);
      }
      case InputSchemas.SOCIAL, InputSchemas.RESPONSES ->
          result = markUnknownUsers(result, silver(store, InputSchemas.USERS, config), rules);
      default -> {}
    }
    return result;
  }

  private static Dataset<Row> markUnknownUsers(
      Dataset<Row> rows, Optional<Dataset<Row>> users, CleanConfig.Anomalies rules) {
    if (users.isEmpty()) {
      return rows;
    }
    return CleanRules.markUnknown(
        rows,
        Users.USER_ID,
        users.get(),
        rules.unknownUsers(),
        CleanRules.UNKNOWN_USER_FLAG,
        CleanRules.UNKNOWN_USER);
  }

  private static Optional<Dataset<Row>> silver(TableStore store, String input, JobConfig config) {
    return store.hasPartition(silverTable(input), config.runDate())
        ? Optional.of(store.read(silverTable(input), config.runDate()))
        : Optional.empty();
  }

  /** Every reason the rules of this input can give, for counting. */
  private static List<String> possibleReasons(
      String input, Map<String, MissingPolicy> missing, CleanConfig rules) {
    List<String> reasons = new ArrayList<>();
    reasons.add(CleanRules.DUPLICATE);
    if (!amountColumns(input).isEmpty()) {
      reasons.add(CleanRules.UNKNOWN_CURRENCY);
    }
    missing.forEach(
        (column, policy) -> {
          if (policy.kind() == MissingPolicy.Kind.DROP) {
            reasons.add(CleanRules.MISSING_VALUE + ":" + column);
          }
        });
    switch (input) {
      case InputSchemas.USERS -> {
        reasons.add(CleanRules.AGE_OUT_OF_RANGE);
        reasons.add(CleanRules.NEGATIVE_INCOME);
      }
      case InputSchemas.ITEMS -> reasons.add(CleanRules.PRICE_OUTLIER);
      case InputSchemas.EVENTS -> {
        reasons.add(CleanRules.PRICE_OUTLIER);
        reasons.add(CleanRules.BOT);
        reasons.add(CleanRules.UNKNOWN_USER);
        reasons.add(CleanRules.UNKNOWN_ITEM);
      }
      case InputSchemas.SOCIAL, InputSchemas.RESPONSES -> reasons.add(CleanRules.UNKNOWN_USER);
      default -> {}
    }
    return reasons;
  }

  private static CleanQuality quality(
      String input, Map<String, Long> counts, List<String> reasons, List<String> imputed) {
    long duplicates = counts.getOrDefault(CleanRules.DUPLICATE, 0L);
    long missingDropped = 0;
    long anomalies = 0;
    Map<String, Long> byReason = new HashMap<>();
    for (String reason : reasons) {
      long n = counts.getOrDefault(reason, 0L);
      if (n == 0) {
        continue;
      }
      byReason.put(reason, n);
      if (reason.startsWith(CleanRules.MISSING_VALUE)) {
        missingDropped += n;
      } else if (reason.startsWith("anomaly:")) {
        anomalies += n;
      }
    }
    Map<String, Long> imputedByColumn = new HashMap<>();
    for (String flag : imputed) {
      imputedByColumn.put(flag.substring(CleanRules.IMPUTED_PREFIX.length()), counts.get(flag));
    }
    long rowsIn = counts.get(ROWS);
    return new CleanQuality(
        input,
        "read",
        rowsIn,
        rowsIn - duplicates - missingDropped - anomalies,
        duplicates,
        missingDropped,
        anomalies,
        byReason,
        imputedByColumn,
        counts.getOrDefault(CleanRules.UNKNOWN_USER_FLAG, 0L),
        counts.getOrDefault(CleanRules.UNKNOWN_ITEM_FLAG, 0L));
  }

  private static List<StageQuality> summaries(
      SparkSession spark, JobConfig config, List<CleanQuality> results) {
    JsonNode report =
        DataQualityReport.readIfExists(
            spark.sparkContext().hadoopConfiguration(), config.outputRoot(), config.runDate());
    List<StageQuality> summaries = new ArrayList<>();
    for (CleanQuality clean : results) {
      JsonNode ingest = report.path("inputs").path(clean.input()).path(IngestJob.STAGE);
      if (!clean.status().equals("read") || ingest.isMissingNode()) {
        continue;
      }
      InputQuality ingested =
          new InputQuality(
              clean.input(),
              "read",
              null,
              null,
              ingest.path("rows_read").asLong(),
              ingest.path("rows_kept").asLong(),
              ingest.path("rows_quarantined").asLong(),
              Map.of());
      CleanQuality.Summary summary = CleanQuality.Summary.of(ingested, clean);
      if (!summary.reconciles()) {
        LOG.warn(
            "{}: rows do not reconcile (read {} != kept {} + quarantined {} + duplicates {} +"
                + " anomalies {}): was bronze rewritten after ingest?",
            clean.input(),
            summary.rowsRead(),
            summary.rowsKept(),
            summary.rowsQuarantined(),
            summary.duplicatesRemoved(),
            summary.anomaliesRemoved());
      }
      summaries.add(summary);
    }
    return summaries;
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
            lit(IngestJob.bronzeTable(input)).as(Quarantine.SOURCE_FILE),
            lit(STAGE).as(Quarantine.STAGE));
  }

  private static Dataset<Row> ingestRejects(
      SparkSession spark, TableStore store, String input, JobConfig config) {
    if (!store.hasPartition(IngestJob.quarantineTable(input), config.runDate())) {
      StructType schema =
          new StructType()
              .add(Quarantine.RAW_RECORD, DataTypes.StringType)
              .add(Quarantine.REASON, DataTypes.StringType)
              .add(Quarantine.SOURCE_FILE, DataTypes.StringType)
              .add(Quarantine.STAGE, DataTypes.StringType);
      return spark.createDataFrame(List.of(), schema);
    }
    return store
        .read(IngestJob.quarantineTable(input), config.runDate())
        .where(col(Quarantine.STAGE).equalTo(IngestJob.STAGE))
        .select(
            col(Quarantine.RAW_RECORD),
            col(Quarantine.REASON),
            col(Quarantine.SOURCE_FILE),
            col(Quarantine.STAGE));
  }

  private static List<String> presentKey(Dataset<Row> rows, String input) {
    List<String> key = KEYS.get(input);
    List<String> present = Arrays.asList(rows.columns());
    if (input.equals(InputSchemas.MARKET) && !present.contains(Market.REGION)) {
      return List.of(Market.DATE, Market.CATEGORY);
    }
    return key.stream().allMatch(present::contains) ? key : List.of();
  }

  /** Text columns a source adds beyond SPEC, other than personal ones: customer attributes. */
  private static List<String> extraTextColumns(
      Dataset<Row> rows, String input, List<String> personal) {
    Set<String> spec = new LinkedHashSet<>();
    for (ColumnSpec c : InputSchemas.byName(input).columns()) {
      spec.add(c.name());
    }
    return Arrays.stream(rows.schema().fields())
        .filter(f -> f.dataType().equals(org.apache.spark.sql.types.DataTypes.StringType))
        .map(f -> f.name())
        .filter(name -> !spec.contains(name) && !personal.contains(name))
        .toList();
  }

  private static List<String> amountColumns(String input) {
    return switch (input) {
      case InputSchemas.EVENTS -> List.of(Events.PRICE);
      case InputSchemas.ITEMS -> List.of(Items.PRICE);
      case InputSchemas.RESPONSES -> List.of(Responses.REVENUE);
      default -> List.of();
    };
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

  private static UserDefinedFunction keyedHash(CleanConfig rules, Dataset<Row> rows) {
    CleanConfig.PersonalData personal = rules.personalData();
    boolean anyPersonal = personal.columns().stream().anyMatch(c -> has(rows, c));
    if (!anyPersonal || personal.mode() == CleanConfig.PersonalDataMode.DROP) {
      return null;
    }
    String secret = System.getenv(personal.secretEnv());
    if (secret == null || secret.isBlank()) {
      throw new InvalidConfigException(
          "Personal columns need a pseudonymisation key: set the environment variable "
              + personal.secretEnv()
              + " (marketing.clean.personal-data.secret-env), or set"
              + " marketing.clean.personal-data.mode = drop");
    }
    return KeyedHash.udfFor(secret);
  }
}
