package org.marketingengine.profile;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Responses;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.ProfileConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.model.ModelStore;
import org.marketingengine.model.ScoreJob;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.recommend.ContentVectors;
import org.marketingengine.recommend.Interactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile stage: one row per known user in {@code profiles/user_profiles} (scores of the
 * champion models, expected value, RFM scores and segment, learned cluster, category affinity,
 * channels and the content {@code profile_vector}), and {@code profiles/segment_summary}.
 */
public final class ProfileJob {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileJob.class);
  public static final String STAGE = "profile";
  public static final String USER_PROFILES = "profiles/user_profiles";
  public static final String SEGMENT_SUMMARY = "profiles/segment_summary";
  public static final String MARGIN_RATE = "margin_rate";
  public static final String EXPECTED_VALUE = "expected_value";
  public static final String MAIN_CHANNEL = "main_channel";
  public static final String PREFERRED_CHANNEL = "preferred_channel";
  public static final String CLUSTER_TRAITS = "cluster_traits";

  private ProfileJob() {}

  /*
   * Expected value = predicted spend x margin. The spend model predicts the next window's spend
   * of every user, zero for those who do not buy, so its prediction already is purchase
   * probability x spend when buying; multiplying by the propensity again would count it twice.
   */

  /** What was written: users, the chosen k, and users per RFM segment. */
  public record Result(long users, int k, Map<String, Long> segments) {}

  public static Result run(SparkSession spark, JobConfig config, Optional<LocalDate> modelDate) {
    long started = System.nanoTime();
    LocalDate runDate = config.runDate();
    spark.sparkContext().setJobGroup(STAGE, "profile " + runDate, false);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    if (!store.hasPartition(FeaturesJob.USER_FEATURES, runDate)) {
      throw new InvalidInputException(
          "Cannot profile: no features/user_features for run_date="
              + runDate
              + ". Run the features stage for that date first");
    }
    LocalDate models =
        modelDate.orElseGet(
            () ->
                ModelStore.latestRun(spark, config.outputRoot(), runDate)
                    .orElseThrow(
                        () ->
                            new InvalidInputException(
                                "Cannot profile: no trained models on or before "
                                    + runDate
                                    + " under "
                                    + config.outputRoot()
                                    + "/models. Run train first")));
    ScoreJob.run(spark, config, models);
    spark.sparkContext().setJobGroup(STAGE, "profile " + runDate, false);
    ProfileConfig settings = config.profile();

    Dataset<Row> users =
        store
            .read(FeaturesJob.USER_FEATURES, runDate)
            .drop(Columns.RUN_DATE)
            .where(col(Features.PURPOSE).equalTo(UserFeatures.SCORING));
    Dataset<Row> scores =
        store.read(ScoreJob.USER_SCORES, runDate).drop(Columns.RUN_DATE, ScoreJob.MODEL_DATE);
    Dataset<Row> profiles =
        users
            .withColumn(MAIN_CHANNEL, mainChannel(users, config.features().channels()))
            .select(userColumns(users, config))
            .join(scores, Features.USER_ID, "left");
    profiles =
        withMargin(
            profiles,
            store.readIfPresent(CleanJob.silverTable(InputSchemas.ITEMS), runDate),
            settings);
    profiles =
        profiles.withColumn(
            EXPECTED_VALUE, col(ScoreJob.PREDICTED_SPEND).multiply(col(MARGIN_RATE)));
    profiles =
        withPreferredChannel(
            profiles,
            store.readIfPresent(CleanJob.silverTable(InputSchemas.RESPONSES), runDate),
            settings);
    profiles = profiles.join(profileVectors(spark, store, config), Features.USER_ID, "left");
    profiles = RfmSegments.apply(profiles, settings.newUserDays()).cache();
    try {
      Clusters.Fitted clusters = Clusters.fit(profiles, settings);
      Dataset<Row> clustered =
          clusters
              .model()
              .transform(Clusters.withFilledFeatures(profiles, settings.clusterFeatures()))
              .select(col(Features.USER_ID), col(Clusters.CLUSTER));
      Dataset<Row> traits = traitsTable(spark, clusters.traits());
      Dataset<Row> result =
          profiles
              .join(clustered, Features.USER_ID)
              .join(traits, Clusters.CLUSTER, "left")
              .withColumn(ScoreJob.MODEL_DATE, lit(java.sql.Date.valueOf(models)));
      store.write(USER_PROFILES, runDate, result);
      Dataset<Row> written = store.read(USER_PROFILES, runDate);
      store.write(SEGMENT_SUMMARY, runDate, segmentSummary(written, clusters));
      List<Row> summary =
          store
              .read(SEGMENT_SUMMARY, runDate)
              .orderBy(col("kind"), col("users").desc())
              .collectAsList();
      Map<String, Long> segments = new java.util.LinkedHashMap<>();
      long total = 0;
      for (Row r : summary) {
        LOG.info(
            "profile: {} {}: {} users, mean purchase propensity {}{}",
            r.getAs("kind"),
            r.getAs("segment"),
            r.getAs("users"),
            r.getAs("mean_purchase_propensity") == null
                ? "-"
                : String.format("%.3f", (Double) r.getAs("mean_purchase_propensity")),
            r.getAs("traits") == null ? "" : " (" + r.getAs("traits") + ")");
        if ("rfm_segment".equals(r.getAs("kind"))) {
          segments.put(r.getAs("segment"), r.getAs("users"));
          total += (Long) r.getAs("users");
        }
      }
      LOG.info(
          "profile done in {}: {} users, {} RFM segments, k={} clusters (silhouettes {}), models of"
              + " {}",
          StageCounts.elapsed(started),
          total,
          segments.size(),
          clusters.k(),
          clusters.silhouettes(),
          models);
      return new Result(total, clusters.k(), segments);
    } finally {
      profiles.unpersist();
    }
  }

  private static Column[] userColumns(Dataset<Row> users, JobConfig config) {
    List<String> wanted =
        new ArrayList<>(
            List.of(
                Features.USER_ID,
                Features.RECENCY_DAYS,
                Features.FREQUENCY,
                Features.MONETARY,
                Features.TENURE_DAYS,
                Features.TOP_CATEGORY,
                Features.CATEGORY_AFFINITY,
                Columns.Users.REGION,
                MAIN_CHANNEL));
    for (String f : config.profile().clusterFeatures()) {
      if (!wanted.contains(f)) {
        wanted.add(f);
      }
    }
    List<String> have = new ArrayList<>(Arrays.asList(users.columns()));
    have.add(MAIN_CHANNEL);
    List<Column> columns = new ArrayList<>();
    for (String name : wanted) {
      if (have.contains(name)) {
        columns.add(col(name));
      } else if (config.profile().clusterFeatures().contains(name)) {
        throw new InvalidInputException(
            "Cannot profile: cluster feature '"
                + name
                + "' (marketing.profile.clusters.features) is not a column of"
                + " features/user_features");
      } else {
        columns.add(lit(null).cast(DataTypes.StringType).as(name));
      }
    }
    return columns.toArray(Column[]::new);
  }

  /** The event channel with the largest share of the user's events; "unknown" without events. */
  static Column mainChannel(Dataset<Row> users, List<String> channels) {
    List<String> have = Arrays.asList(users.columns());
    Column best = lit("unknown");
    Column bestShare = lit(0.0);
    for (String c : channels) {
      String share = Features.CHANNEL_SHARE_PREFIX + c;
      if (have.contains(share)) {
        Column s = coalesce(col(share), lit(0.0));
        best = when(s.gt(bestShare), lit(c)).otherwise(best);
        bestShare = greatest(s, bestShare);
      }
    }
    return best;
  }

  /** Mean margin rate of the user's top category, else of the catalog, else the default. */
  private static Dataset<Row> withMargin(
      Dataset<Row> profiles, Optional<Dataset<Row>> items, ProfileConfig settings) {
    if (items.isEmpty() || !Arrays.asList(items.get().columns()).contains(Items.MARGIN_RATE)) {
      return profiles.withColumn(MARGIN_RATE, lit(settings.defaultMargin()));
    }
    Dataset<Row> byCategory =
        items
            .get()
            .groupBy(col(Items.CATEGORY).as(Features.TOP_CATEGORY))
            .agg(avg(col(Items.MARGIN_RATE)).as("_category_margin"));
    Row overall = items.get().agg(avg(col(Items.MARGIN_RATE))).first();
    double catalog = overall.isNullAt(0) ? settings.defaultMargin() : overall.getDouble(0);
    return profiles
        .join(byCategory, Features.TOP_CATEGORY, "left")
        .withColumn(MARGIN_RATE, coalesce(col("_category_margin"), lit(catalog)))
        .drop("_category_margin");
  }

  /**
   * The contact channel with the best engagement (opened, clicked or converted; Laplace-smoothed
   * rate, ties to more contacts) in the user's campaign history; without history, the channel
   * configured for the user's main event channel.
   */
  private static Dataset<Row> withPreferredChannel(
      Dataset<Row> profiles, Optional<Dataset<Row>> responses, ProfileConfig settings) {
    Column fallback = lit(settings.contactChannelByBehaviour().getOrDefault("unknown", "email"));
    for (Map.Entry<String, String> e : settings.contactChannelByBehaviour().entrySet()) {
      fallback = when(col(MAIN_CHANNEL).equalTo(e.getKey()), lit(e.getValue())).otherwise(fallback);
    }
    if (responses.isEmpty()) {
      return profiles.withColumn(PREFERRED_CHANNEL, fallback);
    }
    Column engaged =
        coalesce(col(Responses.OPENED), lit(false))
            .or(coalesce(col(Responses.CLICKED), lit(false)))
            .or(coalesce(col(Responses.CONVERTED), lit(false)));
    Dataset<Row> byChannel =
        responses
            .get()
            .where(
                col(Responses.CHANNEL)
                    .isin(org.marketingengine.config.ConfigLoader.CONTACT_CHANNELS.toArray()))
            .groupBy(col(Responses.USER_ID), col(Responses.CHANNEL))
            .agg(count(lit(1)).as("_contacts"), sum(when(engaged, 1).otherwise(0)).as("_engaged"))
            .withColumn("_rate", col("_engaged").plus(1.0).divide(col("_contacts").plus(2.0)))
            .groupBy(col(Responses.USER_ID))
            .agg(
                max_by(col(Responses.CHANNEL), struct(col("_rate"), col("_contacts")))
                    .as("_history_channel"));
    return profiles
        .join(byChannel, Features.USER_ID, "left")
        .withColumn(PREFERRED_CHANNEL, coalesce(col("_history_channel"), fallback))
        .drop("_history_channel");
  }

  /** {@code user_id, profile_vector} from the interactions of the recommendation window. */
  static Dataset<Row> profileVectors(SparkSession spark, TableStore store, JobConfig config) {
    Optional<Dataset<Row>> events =
        store.readIfPresent(CleanJob.silverTable(InputSchemas.EVENTS), config.runDate());
    Optional<Dataset<Row>> items =
        store.readIfPresent(CleanJob.silverTable(InputSchemas.ITEMS), config.runDate());
    StructType schema =
        new StructType()
            .add(Features.USER_ID, DataTypes.StringType)
            .add(ContentVectors.PROFILE_VECTOR, new org.apache.spark.ml.linalg.VectorUDT());
    if (events.isEmpty() || items.isEmpty()) {
      LOG.info("profile: no silver/events or silver/items; profile vectors left empty");
      return spark.createDataFrame(List.of(), schema);
    }
    var rec = config.recommend();
    Dataset<Row> interactions =
        Interactions.weighted(
            Interactions.window(events.get(), config.runDate(), rec.windowDays()),
            rec.eventWeights(),
            rec.halfLifeDays(),
            config.runDate());
    Dataset<Row> itemVectors =
        ContentVectors.items(
            items.get(),
            interactions,
            store.readIfPresent(CleanJob.silverTable(InputSchemas.MARKET), config.runDate()),
            FeaturesJob.categories(store, config.runDate()),
            rec.brandBuckets(),
            config.runDate());
    return ContentVectors.users(interactions, itemVectors);
  }

  private static Dataset<Row> traitsTable(SparkSession spark, List<String> traits) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < traits.size(); i++) {
      rows.add(RowFactory.create(i, traits.get(i)));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add(Clusters.CLUSTER, DataTypes.IntegerType)
            .add(CLUSTER_TRAITS, DataTypes.StringType));
  }

  /** Per RFM segment and per cluster: users, share, mean scores and value. */
  private static Dataset<Row> segmentSummary(Dataset<Row> profiles, Clusters.Fitted clusters) {
    Column[] aggregates = {
      count(lit(1)).as("users"),
      avg(col(ScoreJob.PURCHASE_PROPENSITY)).as("mean_purchase_propensity"),
      avg(col(ScoreJob.RESPONSE_PROPENSITY)).as("mean_response_propensity"),
      avg(col(ScoreJob.PREDICTED_SPEND)).as("mean_predicted_spend"),
      sum(col(EXPECTED_VALUE)).as("total_expected_value"),
      avg(col(Features.RECENCY_DAYS)).as("mean_recency_days"),
      avg(col(Features.FREQUENCY)).as("mean_frequency"),
      avg(col(Features.MONETARY)).as("mean_monetary")
    };
    Dataset<Row> rfm =
        profiles
            .groupBy(col(RfmSegments.SEGMENT).as("segment"))
            .agg(aggregates[0], Arrays.copyOfRange(aggregates, 1, aggregates.length))
            .withColumn("kind", lit("rfm_segment"))
            .withColumn("traits", lit(null).cast(DataTypes.StringType))
            .withColumn("silhouette", lit(null).cast(DataTypes.DoubleType));
    Dataset<Row> byCluster =
        profiles
            .groupBy(col(Clusters.CLUSTER).cast("string").as("segment"), col(CLUSTER_TRAITS))
            .agg(aggregates[0], Arrays.copyOfRange(aggregates, 1, aggregates.length))
            .withColumn("kind", lit("cluster"))
            .withColumnRenamed(CLUSTER_TRAITS, "traits")
            .withColumn("silhouette", lit(clusters.silhouettes().get(clusters.k())));
    Dataset<Row> all = rfm.unionByName(byCluster);
    long users = profiles.count();
    return all.withColumn("share", col("users").divide((double) Math.max(users, 1)));
  }
}
