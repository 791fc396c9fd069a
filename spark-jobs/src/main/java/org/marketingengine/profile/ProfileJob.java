package org.marketingengine.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Scores;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.ProfileConfig;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.Tables;
import org.marketingengine.model.ModelStore;
import org.marketingengine.model.ScoreJob;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile stage: one row per known user in {@code profiles/user_profiles} (scores of the
 * champion models, expected value, RFM scores and segment, learned cluster, category affinity,
 * channels and the content {@code profile_vector}), and {@code profiles/segment_summary}. Scores
 * the users first (as {@code score} does) with the latest train run on or before the run date.
 *
 * <p>Expected value = predicted spend x margin. The spend model predicts the next window's spend of
 * every user, zero for those who do not buy, so its prediction already is purchase probability x
 * spend when buying; multiplying by the propensity again would count it twice.
 */
public final class ProfileJob implements Stage<ProfileJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileJob.class);
  public static final String STAGE = "profile";

  /** What was written: users, the chosen k and its silhouettes, the summary, the model date. */
  public record Result(
      long users,
      int k,
      Map<Integer, Double> silhouettes,
      List<SegmentSummary.Segment> summary,
      LocalDate modelDate) {

    /** Users per RFM segment, largest first. */
    public Map<String, Long> segments() {
      Map<String, Long> segments = new LinkedHashMap<>();
      summary.stream()
          .filter(s -> s.kind().equals("rfm_segment"))
          .forEach(s -> segments.put(s.segment(), s.users()));
      return segments;
    }
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Profile every user: scores, expected value, RFM segment, cluster, channels.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Scores the run date's users with the champions of the latest train run on or before the",
        "run date (or --model-date), then writes profiles/user_profiles and",
        "profiles/segment_summary. Run features and train first.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.USER_FEATURES,
        "models/<model date>",
        Tables.ITEM_VECTORS,
        Tables.silver(InputSchemas.EVENTS),
        Tables.silver(InputSchemas.ITEMS),
        Tables.silver(InputSchemas.RESPONSES));
  }

  @Override
  public boolean takesModelDate() {
    return true;
  }

  @Override
  public Result run(StageContext context) {
    JobConfig config = context.config();
    ProfileConfig settings = config.profile();
    Dataset<Row> users =
        context
            .require(Tables.USER_FEATURES, "profile")
            .where(col(Features.PURPOSE).equalTo(UserFeatures.SCORING));
    LocalDate models = modelDate(context);
    ScoreJob.score(context, models);
    Dataset<Row> scores = context.require(Tables.USER_SCORES, "profile").drop(Scores.MODEL_DATE);
    Dataset<Row> profiles =
        users
            .withColumn(
                Profiles.MAIN_CHANNEL,
                UserProfiles.mainChannel(users, config.features().channels()))
            .select(UserProfiles.columns(users, settings))
            .join(scores, Features.USER_ID, "left");
    profiles =
        UserProfiles.withMargin(
            profiles, context.optional(Tables.silver(InputSchemas.ITEMS)), settings);
    profiles =
        profiles.withColumn(
            Profiles.EXPECTED_VALUE,
            col(Scores.PREDICTED_SPEND).multiply(col(Profiles.MARGIN_RATE)));
    profiles =
        UserProfiles.withPreferredChannel(
            profiles, context.optional(Tables.silver(InputSchemas.RESPONSES)), settings);
    profiles = profiles.join(profileVectors(context), Features.USER_ID, "left");
    profiles = RfmSegments.apply(profiles, settings.newUserDays()).cache();
    try {
      Clusters.Fitted clusters = Clusters.fit(profiles, settings);
      Dataset<Row> clustered =
          clusters
              .model()
              .transform(Clusters.withFilledFeatures(profiles, settings.clusterFeatures()))
              .select(col(Features.USER_ID), col(Profiles.CLUSTER));
      Dataset<Row> result =
          profiles
              .join(clustered, Features.USER_ID)
              .join(traitsTable(context.spark(), clusters.traits()), Profiles.CLUSTER, "left")
              .withColumn(Scores.MODEL_DATE, lit(java.sql.Date.valueOf(models)));
      context.tables().write(Tables.USER_PROFILES, context.runDate(), result);
      Dataset<Row> written = context.require(Tables.USER_PROFILES, "summarise profiles");
      long total = written.count();
      context
          .tables()
          .write(
              Tables.PROFILE_SEGMENTS,
              context.runDate(),
              SegmentSummary.of(written, clusters.silhouettes().get(clusters.k()), total));
      List<SegmentSummary.Segment> summary =
          SegmentSummary.read(context.require(Tables.PROFILE_SEGMENTS, "summarise profiles"));
      return new Result(total, clusters.k(), clusters.silhouettes(), summary, models);
    } finally {
      profiles.unpersist();
    }
  }

  /** {@code --model-date}, else the latest train run on or before the run date. */
  private static LocalDate modelDate(StageContext context) {
    return context
        .modelDate()
        .or(() -> ModelStore.latestRun(context.spark(), context.outputRoot(), context.runDate()))
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "Cannot profile: no trained models on or before "
                        + context.runDate()
                        + " under "
                        + context.outputRoot()
                        + "/models. Run train first"));
  }

  private static Dataset<Row> profileVectors(StageContext context) {
    var events = context.optional(Tables.silver(InputSchemas.EVENTS));
    var vectors = context.optional(Tables.ITEM_VECTORS);
    if (events.isEmpty() || vectors.isEmpty()) {
      LOG.info("profile: no silver/events or features/item_vectors; profile vectors left empty");
    }
    return UserProfiles.profileVectors(
        context.spark(),
        events.map(e -> Interactions.of(e, context.runDate(), context.config().recommend())),
        vectors);
  }

  private static Dataset<Row> traitsTable(SparkSession spark, List<String> traits) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < traits.size(); i++) {
      rows.add(RowFactory.create(i, traits.get(i)));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add(Profiles.CLUSTER, DataTypes.IntegerType)
            .add(Profiles.CLUSTER_TRAITS, DataTypes.StringType));
  }

  @Override
  public String outcome(Result result) {
    return String.format(
        Locale.ROOT,
        "%d users, %d RFM segments, k=%d clusters (silhouettes %s), models of %s",
        result.users(),
        result.segments().size(),
        result.k(),
        result.silhouettes(),
        result.modelDate());
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%s of %s under %s: %d users, %d clusters%n",
        Tables.USER_PROFILES, context.runDate(), context.outputRoot(), result.users(), result.k());
    for (SegmentSummary.Segment s : result.summary()) {
      out.printf(
          Locale.ROOT,
          "  %-12s %-40s %8d  mean purchase propensity %s%n",
          s.kind(),
          s.traits() == null ? s.segment() : s.segment() + " (" + s.traits() + ")",
          s.users(),
          s.meanPurchasePropensity() == null
              ? "-"
              : String.format(Locale.ROOT, "%.3f", s.meanPurchasePropensity()));
    }
  }
}
