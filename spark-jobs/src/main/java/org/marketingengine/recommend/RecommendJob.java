package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recommend stage: top-N items for every user of {@code profiles/user_profiles} into {@code
 * recommendations/user_recommendations}, with rank, blended score, ALS and content scores and a
 * reason. Reads the item content vectors the features stage wrote and the profile vectors of the
 * profile stage, so both are computed once per date.
 */
public final class RecommendJob implements Stage<RecommendJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendJob.class);
  public static final String STAGE = "recommend";

  /** Recommendations per reason, and the distinct items behind them. */
  public record Reason(String reason, long recommendations, long items) {}

  /** What was written. */
  public record Result(long users, long recommendations, long usersShort, List<Reason> reasons) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Recommend the top-N items for every user: ALS blended with content similarity.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Writes recommendations/user_recommendations for every user of profiles/user_profiles",
        "from silver/events, silver/items and features/item_vectors of the run date. Run profile",
        "first.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.silver(InputSchemas.EVENTS),
        Tables.silver(InputSchemas.ITEMS),
        Tables.ITEM_VECTORS,
        Tables.USER_PROFILES);
  }

  @Override
  public Optional<String> skipReason(StageContext context) {
    return Stream.of(Tables.silver(InputSchemas.EVENTS), Tables.silver(InputSchemas.ITEMS))
        .filter(table -> !context.has(table))
        .findFirst()
        .map(table -> "no " + table + " for " + context.runDate());
  }

  /** ALS checkpoints its lineage; without a configured directory one goes under the output. */
  static void ensureCheckpointDir(StageContext context) {
    if (context.spark().sparkContext().getCheckpointDir().isEmpty()) {
      context.spark().sparkContext().setCheckpointDir(context.outputRoot() + "/_checkpoints");
    }
  }

  @Override
  public Result run(StageContext context) {
    ensureCheckpointDir(context);
    RecommendConfig settings = TunedSettings.resolve(context);
    String doing = "recommend";
    Dataset<Row> events = context.require(Tables.silver(InputSchemas.EVENTS), doing);
    Dataset<Row> catalog = context.require(Tables.silver(InputSchemas.ITEMS), doing);
    Dataset<Row> itemVectors = context.require(Tables.ITEM_VECTORS, doing);
    Dataset<Row> profiles = context.require(Tables.USER_PROFILES, doing);
    Dataset<Row> users =
        profiles.select(
            col(Recommender.USER_ID), col(Profiles.RFM_SEGMENT).as(Recommender.SEGMENT));
    Dataset<Row> userVectors =
        profiles
            .where(col(Profiles.PROFILE_VECTOR).isNotNull())
            .select(col(Recommender.USER_ID), col(Profiles.PROFILE_VECTOR));
    Dataset<Row> interactions = Interactions.of(events, context.runDate(), settings).cache();
    try {
      context.describe("recommend: fit ALS and the item model");
      Recommender.Model model =
          Recommender.fit(
              interactions,
              new Recommender.Content(itemVectors, userVectors, catalog),
              FeaturesJob.categories(context),
              settings.als(),
              settings.itemWeight() > 0 ? settings.itemModel() : settings.itemModel().off());
      Dataset<Row> recommendations =
          Recommender.rank(
              Recommender.score(model, Recommender.candidates(model, users, settings)),
              boughtExclusions(interactions, model.items(), settings),
              Recommender.Ranking.of(settings),
              settings.topN());
      context.tables().write(Tables.RECOMMENDATIONS, context.runDate(), recommendations);
      context.describe("recommend: summarise");
      Result result = summarise(context, users.count(), settings.topN());
      model.unpersist();
      return result;
    } finally {
      interactions.unpersist();
    }
  }

  /** Users, recommendations and short lists, and the reasons, from the published table. */
  private static Result summarise(StageContext context, long users, int topN) {
    Dataset<Row> written = context.require(Tables.RECOMMENDATIONS, "summarise recommendations");
    Row counts =
        written
            .groupBy(col(Recommender.USER_ID))
            .agg(max(col(Recommender.RANK)).as("_n"))
            .agg(count(lit(1)), sum(col("_n")), StageCounts.countWhere(col("_n").lt(topN)))
            .first();
    long withRecs = counts.getLong(0);
    long total = counts.isNullAt(1) ? 0 : counts.getLong(1);
    long usersShort = (counts.isNullAt(2) ? 0 : counts.getLong(2)) + users - withRecs;
    if (usersShort > 0) {
      LOG.warn(
          "recommend: {} of {} users got fewer than {} items (small catalog after the rules)",
          usersShort,
          users,
          topN);
    }
    List<Reason> reasons =
        written
            .groupBy(Recommender.REASON)
            .agg(count(lit(1)).as("n"), countDistinct(col(Recommender.ITEM_ID)).as("items"))
            .orderBy(col("n").desc())
            .collectAsList()
            .stream()
            .map(r -> new Reason(r.getString(0), r.getLong(1), r.getLong(2)))
            .toList();
    return new Result(users, total, usersShort, reasons);
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
        .where(not(coalesce(repeatable, lit(false))))
        .select(Recommender.USER_ID, Recommender.ITEM_ID);
  }

  @Override
  public String outcome(Result result) {
    return String.format(
        Locale.ROOT,
        "%d recommendations for %d users; by reason: %s",
        result.recommendations(),
        result.users(),
        String.join(
            ", ",
            result.reasons().stream()
                .map(r -> r.reason() + " " + r.recommendations() + " (" + r.items() + " items)")
                .toList()));
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%s of %s under %s: %d recommendations for %d users%s%n",
        Tables.RECOMMENDATIONS,
        context.runDate(),
        context.outputRoot(),
        result.recommendations(),
        result.users(),
        result.usersShort() > 0 ? " (" + result.usersShort() + " with fewer than top-n)" : "");
  }
}
