package org.marketingengine.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.marketingengine.Columns;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features stage: {@code silver/*} to {@code features/user_features} (one row per user and
 * purpose, plus one per campaign contact) and {@code features/category_index} (the order of the
 * categories in {@code category_affinity}). Only {@code silver/events} is required.
 */
public final class FeaturesJob {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesJob.class);
  public static final String STAGE = "features";
  public static final String USER_FEATURES = "features/user_features";
  public static final String CATEGORY_INDEX = "features/category_index";
  public static final String CORRELATIONS = "features/feature_correlations";

  private FeaturesJob() {}

  /** What was written: rows per purpose. */
  public record Result(Map<String, Long> rowsByPurpose, List<String> categories) {}

  public static Result run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    spark.sparkContext().setJobGroup(STAGE, "features " + config.runDate(), false);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    boolean hasEvents =
        store.hasPartition(CleanJob.silverTable(InputSchemas.EVENTS), config.runDate());
    if (!hasEvents && config.ingest().requireEvents()) {
      throw new InvalidInputException(
          "Cannot build features: no silver/events for run_date="
              + config.runDate()
              + " under "
              + config.outputRoot()
              + ". Run ingest and clean for that date first"
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
            hasEvents ? silver(store, InputSchemas.EVENTS, config).orElseThrow() : noEvents(spark),
            silver(store, InputSchemas.USERS, config),
            silver(store, InputSchemas.ITEMS, config),
            silver(store, InputSchemas.MARKET, config),
            silver(store, InputSchemas.SOCIAL, config),
            silver(store, InputSchemas.RESPONSES, config));
    for (String input :
        List.of(
            InputSchemas.USERS,
            InputSchemas.ITEMS,
            InputSchemas.MARKET,
            InputSchemas.SOCIAL,
            InputSchemas.RESPONSES)) {
      if (!store.hasPartition(CleanJob.silverTable(input), config.runDate())) {
        LOG.info(
            "features: no silver/{} for {}; its features are left empty", input, config.runDate());
      }
    }
    sources.users().ifPresent(users -> checkExtraAttributes(users, config));
    List<String> categories = categories(spark, sources);

    Observation observation = new Observation("features");
    Dataset<Row> features =
        UserFeatures.apply(sources, config.runDate(), config.features(), categories)
            .observe(
                observation,
                count(lit(1)).as("rows"),
                countPurpose(UserFeatures.TRAINING),
                countPurpose(UserFeatures.SCORING),
                countPurpose(UserFeatures.RESPONSE));
    store.write(USER_FEATURES, config.runDate(), features);
    store.write(CATEGORY_INDEX, config.runDate(), categoryIndex(spark, categories));
    spark.sparkContext().setJobDescription("features: correlations with the labels");
    Dataset<Row> correlations =
        FeatureCorrelations.apply(
            store.read(USER_FEATURES, config.runDate()).drop(Columns.RUN_DATE));
    store.write(CORRELATIONS, config.runDate(), correlations);
    Map<String, Long> rows = StageCounts.observed(observation, "features");
    LOG.info(
        "features done in {}: {} training, {} scoring and {} response rows, {} categories",
        StageCounts.elapsed(started),
        rows.get(UserFeatures.TRAINING),
        rows.get(UserFeatures.SCORING),
        rows.get(UserFeatures.RESPONSE),
        categories.size());
    return new Result(rows, categories);
  }

  /**
   * The categories of the affinity vector written by the features run of {@code runDate}, in vector
   * order (tens to thousands of rows).
   */
  public static List<String> categories(TableStore store, java.time.LocalDate runDate) {
    if (!store.hasPartition(CATEGORY_INDEX, runDate)) {
      return List.of();
    }
    return store.read(CATEGORY_INDEX, runDate).orderBy(col("index")).collectAsList().stream()
        .map(r -> r.<String>getAs("category"))
        .toList();
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
  public static List<Row> strongestCorrelations(SparkSession spark, JobConfig config, int limit) {
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    return store
        .read(CORRELATIONS, config.runDate())
        .orderBy(
            org.apache
                .spark
                .sql
                .functions
                .abs(col(FeatureCorrelations.WITH_PURCHASED))
                .desc_nulls_last())
        .select(
            FeatureCorrelations.FEATURE,
            FeatureCorrelations.WITH_PURCHASED,
            FeatureCorrelations.WITH_SPEND)
        .limit(limit)
        .collectAsList();
  }

  private static org.apache.spark.sql.Column countPurpose(String purpose) {
    return StageCounts.countWhere(col(Features.PURPOSE).equalTo(purpose)).as(purpose);
  }

  /**
   * The catalog's categories, sorted: the order of the affinity vector. Collected to the driver: a
   * catalog has tens to thousands of categories, not millions.
   */
  private static List<String> categories(SparkSession spark, UserFeatures.Sources sources) {
    if (sources.items().isEmpty()) {
      return List.of();
    }
    spark.sparkContext().setJobDescription("features: list categories");
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

  private static Optional<Dataset<Row>> silver(TableStore store, String input, JobConfig config) {
    return store.readIfPresent(CleanJob.silverTable(input), config.runDate());
  }
}
