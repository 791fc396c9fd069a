package org.marketingengine.features;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;
import org.marketingengine.config.JobConfig;
import org.marketingengine.interactions.ContentVectors;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.stage.Concurrently;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features stage: {@code silver/*} to {@code features/user_features} (one row per user and
 * purpose, plus one per campaign contact), {@code features/category_index} (the order of the
 * categories in {@code category_affinity}), {@code features/feature_correlations} and {@code
 * features/item_vectors} (the catalog's content vectors, which profile and recommend share). Only
 * {@code silver/events} is required.
 */
public final class FeaturesJob implements Stage<FeaturesJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesJob.class);
  public static final String STAGE = "features";
  private static final List<String> OPTIONAL_SOURCES =
      List.of(
          InputSchemas.USERS,
          InputSchemas.ITEMS,
          InputSchemas.MARKET,
          InputSchemas.SOCIAL,
          InputSchemas.RESPONSES);

  /** A feature's Pearson correlation with the labels (null for a constant feature). */
  public record Correlation(String feature, Double withPurchased, Double withSpend) {}

  /** What was written: rows per purpose, the categories, the strongest correlations. */
  public record Result(
      Map<String, Long> rowsByPurpose, List<String> categories, List<Correlation> strongest) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Build leakage-free user features for training, scoring and campaign contacts.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Writes features/user_features (training rows with labels, scoring rows, one row per",
        "campaign contact), features/category_index, features/feature_correlations and",
        "features/item_vectors from silver/* of the run date. Run ingest and clean first.");
  }

  @Override
  public List<String> reads() {
    List<String> reads = new ArrayList<>(List.of(Tables.silver(InputSchemas.EVENTS)));
    OPTIONAL_SOURCES.forEach(input -> reads.add(Tables.silver(input)));
    return reads;
  }

  @Override
  public Result run(StageContext context) {
    JobConfig config = context.config();
    boolean hasEvents = context.has(Tables.silver(InputSchemas.EVENTS));
    if (!hasEvents && config.ingest().requireEvents()) {
      throw new InvalidInputException(
          context.missing(Tables.silver(InputSchemas.EVENTS), "build features").getMessage()
              + " (or set marketing.ingest.require-events=false for data without events)");
    }
    if (!hasEvents) {
      LOG.warn(
          "features: no silver/events for {} and events are not required: behaviour features are"
              + " zero, purchase labels empty",
          config.runDate());
    }
    UserFeatures.Sources sources =
        new UserFeatures.Sources(
            hasEvents
                ? context.require(Tables.silver(InputSchemas.EVENTS), "build features")
                : noEvents(context.spark()),
            silver(context, InputSchemas.USERS),
            silver(context, InputSchemas.ITEMS),
            silver(context, InputSchemas.MARKET),
            silver(context, InputSchemas.SOCIAL),
            silver(context, InputSchemas.RESPONSES));
    for (String input : OPTIONAL_SOURCES) {
      if (!context.has(Tables.silver(input))) {
        LOG.info(
            "features: no silver/{} for {}; its features are left empty", input, config.runDate());
      }
    }
    sources.users().ifPresent(users -> checkExtraAttributes(users, config));
    List<String> categories = categories(context, sources);

    Observation observation = new Observation("features");
    // Every feature family joins the anchors, and they read all events (the users seen there):
    // computed once, not once per family.
    Dataset<Row> anchors =
        UserFeatures.anchors(sources, config.runDate(), config.features())
            .persist(StorageLevel.MEMORY_AND_DISK());
    TableStore tables = context.tables();
    try {
      Dataset<Row> features =
          UserFeatures.apply(sources, anchors, config.features(), categories)
              .observe(
                  observation,
                  count(lit(1)).as("rows"),
                  countPurpose(UserFeatures.TRAINING),
                  countPurpose(UserFeatures.SCORING),
                  countPurpose(UserFeatures.RESPONSE));
      tables.write(Tables.USER_FEATURES, config.runDate(), features);
    } finally {
      anchors.unpersist();
    }
    // Three independent tables, written at the same time (Concurrently).
    Concurrently.run(
        List.of(
            () ->
                tables.write(
                    Tables.CATEGORY_INDEX,
                    config.runDate(),
                    categoryIndex(context.spark(), categories)),
            () -> {
              context.describe("features: correlations with the labels");
              tables.write(
                  Tables.FEATURE_CORRELATIONS,
                  config.runDate(),
                  FeatureCorrelations.apply(
                      context.require(Tables.USER_FEATURES, "correlate features")));
            },
            () -> writeItemVectors(context, sources, categories)));
    return new Result(
        StageCounts.observed(observation, "features"),
        categories,
        strongestCorrelations(context, 15));
  }

  @Override
  public String outcome(Result result) {
    return String.format(
        Locale.ROOT,
        "%d training, %d scoring and %d response rows, %d categories",
        result.rowsByPurpose().get(UserFeatures.TRAINING),
        result.rowsByPurpose().get(UserFeatures.SCORING),
        result.rowsByPurpose().get(UserFeatures.RESPONSE),
        result.categories().size());
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    for (String purpose :
        List.of(UserFeatures.TRAINING, UserFeatures.SCORING, UserFeatures.RESPONSE)) {
      out.printf("%-10s %10d rows%n", purpose, result.rowsByPurpose().get(purpose));
    }
    out.printf("%nstrongest correlations with the labels (training rows):%n");
    out.printf("%-28s %15s %11s%n", "feature", "corr_purchased", "corr_spend");
    for (Correlation c : result.strongest()) {
      out.printf(
          "%-28s %15s %11s%n", c.feature(), signed(c.withPurchased()), signed(c.withSpend()));
    }
    out.printf(
        "%s and %s under %s (%d categories)%n",
        Tables.USER_FEATURES,
        Tables.CATEGORY_INDEX,
        context.outputRoot(),
        result.categories().size());
  }

  private static String signed(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%+.3f", value);
  }

  /**
   * The catalog's content vectors over the recommendation window, computed once per date for the
   * profile vectors and the recommender. Skipped without events or items.
   */
  private static void writeItemVectors(
      StageContext context, UserFeatures.Sources sources, List<String> categories) {
    var settings = context.config().recommend();
    if (sources.items().isEmpty() || !context.has(Tables.silver(InputSchemas.EVENTS))) {
      context.tables().deletePartition(Tables.ITEM_VECTORS, context.runDate());
      return;
    }
    context.describe("features: item content vectors");
    Dataset<Row> interactions = Interactions.of(sources.events(), context.runDate(), settings);
    context
        .tables()
        .write(
            Tables.ITEM_VECTORS,
            context.runDate(),
            ContentVectors.items(
                sources.items().get(),
                interactions,
                sources.market(),
                categories,
                settings.brandBuckets(),
                context.runDate()));
  }

  /**
   * The categories of the affinity vector written by the features run of the context's date, in
   * vector order (tens to thousands of rows).
   */
  public static List<String> categories(StageContext context) {
    return context
        .optional(Tables.CATEGORY_INDEX)
        .map(
            index ->
                index
                    .orderBy(col("index"))
                    .select(col("category"))
                    .as(Encoders.STRING())
                    .collectAsList())
        .orElse(List.of());
  }

  /** An empty events table with the typed columns of the events input. */
  private static Dataset<Row> noEvents(SparkSession spark) {
    StructType schema = new StructType();
    for (ColumnSpec spec : InputSchemas.EVENTS_SCHEMA.columns()) {
      schema = schema.add(spec.name(), spec.type().sparkType(), true);
    }
    return spark.createDataFrame(List.of(), schema);
  }

  /** The features most correlated with {@code purchased}, strongest first (a few rows). */
  private static List<Correlation> strongestCorrelations(StageContext context, int limit) {
    return context
        .require(Tables.FEATURE_CORRELATIONS, "list correlations")
        .orderBy(abs(col(FeatureCorrelations.WITH_PURCHASED)).desc_nulls_last())
        .limit(limit)
        .collectAsList()
        .stream()
        .map(
            r ->
                new Correlation(
                    r.getAs(FeatureCorrelations.FEATURE),
                    r.getAs(FeatureCorrelations.WITH_PURCHASED),
                    r.getAs(FeatureCorrelations.WITH_SPEND)))
        .toList();
  }

  private static org.apache.spark.sql.Column countPurpose(String purpose) {
    return StageCounts.countWhere(col(Features.PURPOSE).equalTo(purpose)).as(purpose);
  }

  /**
   * The catalog's categories, sorted: the order of the affinity vector. Collected to the driver: a
   * catalog has tens to thousands of categories, not millions.
   */
  private static List<String> categories(StageContext context, UserFeatures.Sources sources) {
    if (sources.items().isEmpty()) {
      return List.of();
    }
    context.describe("features: list categories");
    return sources
        .items()
        .get()
        .select(col(Items.CATEGORY))
        .where(col(Items.CATEGORY).isNotNull())
        .distinct()
        .orderBy(col(Items.CATEGORY))
        .as(Encoders.STRING())
        .collectAsList();
  }

  private static Dataset<Row> categoryIndex(SparkSession spark, List<String> categories) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < categories.size(); i++) {
      rows.add(RowFactory.create(i, categories.get(i)));
    }
    StructType schema =
        new StructType().add("index", DataTypes.IntegerType).add("category", DataTypes.StringType);
    return spark.createDataFrame(rows, schema);
  }

  private static void checkExtraAttributes(Dataset<Row> users, JobConfig config) {
    List<String> present = Arrays.asList(users.columns());
    List<String> declared = new ArrayList<>(config.features().extraNumeric());
    declared.addAll(config.features().extraCategorical());
    for (String column : declared) {
      if (!present.contains(column)) {
        throw new InvalidInputException(
            "Cannot build features: users has no column '"
                + column
                + "' declared in marketing.features.extra-numeric/extra-categorical (found: "
                + String.join(
                    ", ", present.stream().filter(c -> !c.equals(Columns.RUN_DATE)).toList())
                + "). Remove it from the config or add it to the users input");
      }
    }
  }

  private static Optional<Dataset<Row>> silver(StageContext context, String input) {
    return context.optional(Tables.silver(input));
  }
}
