package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Items;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.profile.ProfileJob;
import org.marketingengine.profile.RfmSegments;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recommend stage: top-N items for every user of {@code profiles/user_profiles} into {@code
 * recommendations/user_recommendations}, with rank, blended score, ALS and content scores and a
 * reason.
 */
public final class RecommendJob {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendJob.class);
  public static final String STAGE = "recommend";
  public static final String RECOMMENDATIONS = "recommendations/user_recommendations";

  private RecommendJob() {}

  /** What was written. */
  public record Result(long users, long recommendations, long usersShort) {}

  /** The inputs the recommender needs for a run date. */
  record Inputs(
      Dataset<Row> events,
      Dataset<Row> items,
      Optional<Dataset<Row>> market,
      List<String> categories,
      Dataset<Row> users) {}

  static Inputs inputs(SparkSession spark, JobConfig config, boolean profilesRequired) {
    LocalDate runDate = config.runDate();
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    Dataset<Row> events =
        store
            .readIfPresent(CleanJob.silverTable(InputSchemas.EVENTS), runDate)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Cannot recommend: no silver/events for run_date="
                            + runDate
                            + ". Run ingest and clean for that date first"));
    Dataset<Row> items =
        store
            .readIfPresent(CleanJob.silverTable(InputSchemas.ITEMS), runDate)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Cannot recommend: no silver/items for run_date="
                            + runDate
                            + ": the recommender needs the catalog (items input)"));
    Optional<Dataset<Row>> profiles = store.readIfPresent(ProfileJob.USER_PROFILES, runDate);
    if (profiles.isEmpty() && profilesRequired) {
      throw new InvalidInputException(
          "Cannot recommend: no profiles/user_profiles for run_date="
              + runDate
              + ". Run the profile stage for that date first");
    }
    Dataset<Row> users =
        profiles
            .map(
                p ->
                    p.select(
                        col(Recommender.USER_ID), col(RfmSegments.SEGMENT).as(Recommender.SEGMENT)))
            .orElseGet(
                () ->
                    events
                        .select(col(Recommender.USER_ID))
                        .where(col(Recommender.USER_ID).isNotNull())
                        .distinct()
                        .withColumn(Recommender.SEGMENT, lit("all")));
    return new Inputs(
        events,
        items,
        store.readIfPresent(CleanJob.silverTable(InputSchemas.MARKET), runDate),
        FeaturesJob.categories(store, runDate),
        users);
  }

  /** ALS checkpoints its lineage; without a configured directory one goes under the output. */
  static void ensureCheckpointDir(SparkSession spark, JobConfig config) {
    if (spark.sparkContext().getCheckpointDir().isEmpty()) {
      spark.sparkContext().setCheckpointDir(config.outputRoot() + "/_checkpoints");
    }
  }

  public static Result run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    LocalDate runDate = config.runDate();
    spark.sparkContext().setJobGroup(STAGE, "recommend " + runDate, false);
    ensureCheckpointDir(spark, config);
    RecommendConfig settings = config.recommend();
    Inputs inputs = inputs(spark, config, true);
    Dataset<Row> interactions =
        Interactions.weighted(
                Interactions.window(inputs.events(), runDate, settings.windowDays()),
                settings.eventWeights(),
                settings.halfLifeDays(),
                runDate)
            .cache();
    try {
      Recommender.Model model =
          Recommender.fit(
              interactions,
              inputs.items(),
              inputs.market(),
              inputs.categories(),
              settings,
              settings.als(),
              runDate);
      Dataset<Row> scored =
          Recommender.score(model, Recommender.candidates(model, inputs.users(), settings));
      Dataset<Row> recommendations =
          Recommender.rank(
              scored,
              boughtExclusions(interactions, model.items(), settings),
              settings.blendWeight(),
              settings.topN(),
              settings.maxPerCategory());
      TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
      store.write(RECOMMENDATIONS, runDate, recommendations);
      Row counts =
          store
              .read(RECOMMENDATIONS, runDate)
              .groupBy(col(Recommender.USER_ID))
              .agg(max(col(Recommender.RANK)).as("_n"))
              .agg(
                  count(lit(1)),
                  org.apache.spark.sql.functions.sum(col("_n")),
                  org.marketingengine.quality.StageCounts.countWhere(col("_n").lt(settings.topN())))
              .first();
      long users = inputs.users().count();
      long withRecs = counts.getLong(0);
      long total = counts.isNullAt(1) ? 0 : counts.getLong(1);
      long usersShort = counts.isNullAt(2) ? 0 : counts.getLong(2);
      usersShort += users - withRecs;
      if (usersShort > 0) {
        LOG.warn(
            "recommend: {} of {} users got fewer than {} items (small catalog after the rules)",
            usersShort,
            users,
            settings.topN());
      }
      List<Row> reasons =
          store
              .read(RECOMMENDATIONS, runDate)
              .groupBy(Recommender.REASON)
              .agg(count(lit(1)).as("n"), countDistinct(col(Recommender.ITEM_ID)).as("items"))
              .orderBy(col("n").desc())
              .collectAsList();
      LOG.info(
          "recommend done in {}: {} recommendations for {} users; by reason: {}",
          StageCounts.elapsed(started),
          total,
          users,
          String.join(
              ", ",
              reasons.stream()
                  .map(r -> r.getString(0) + " " + r.getLong(1) + " (" + r.getLong(2) + " items)")
                  .toList()));
      return new Result(users, total, usersShort);
    } finally {
      interactions.unpersist();
    }
  }

  /** Items the user bought, except in repeatable categories: never recommended again. */
  static Dataset<Row> boughtExclusions(
      Dataset<Row> interactions, Dataset<Row> items, RecommendConfig settings) {
    Column repeatable =
        settings.repeatableCategories().isEmpty()
            ? lit(false)
            : col(Items.CATEGORY).isin(settings.repeatableCategories().toArray());
    return interactions
        .where(col(Interactions.BOUGHT))
        .join(items.select(Recommender.ITEM_ID, Items.CATEGORY), Recommender.ITEM_ID, "left")
        .where(
            org.apache.spark.sql.functions.not(
                org.apache.spark.sql.functions.coalesce(repeatable, lit(false))))
        .select(Recommender.USER_ID, Recommender.ITEM_ID);
  }
}
