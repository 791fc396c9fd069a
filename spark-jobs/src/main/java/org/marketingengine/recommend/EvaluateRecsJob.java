package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.RecordRows;
import org.marketingengine.io.Tables;
import org.marketingengine.recommend.RankingEvaluation.Measured;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranking evaluation ({@code evaluate-recs}): holds out interactions ({@link Holdouts}), fits
 * on the rest, recommends with the items seen in training excluded, and measures the lists against
 * the held-out items for the blend (each configured weight), ALS alone, content alone and the
 * most-popular baseline. One row per variant and k in {@code metrics/recommendation_metrics}. Uses
 * the settings {@code tune-recs} chose when {@code recommend.settings = tuned} and there are any.
 */
public final class EvaluateRecsJob implements Stage<EvaluateRecsJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateRecsJob.class);
  public static final String STAGE = "evaluate-recs";

  /** Every variant's quality, the users measured, and the best variant by NDCG. */
  public record Result(List<Measured> measured, long users, String best) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Measure the recommender on held-out interactions against most-popular.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Holds out interactions (marketing.recommend.evaluation), fits on the rest and writes",
        "precision, recall, NDCG, MAP, hit rate, coverage and novelty at each k for the blend,",
        "ALS, content, the item model and most-popular to metrics/recommendation_metrics. Run",
        "clean first.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.silver(InputSchemas.EVENTS),
        Tables.silver(InputSchemas.ITEMS),
        Tables.silver(InputSchemas.MARKET),
        Tables.USER_PROFILES);
  }

  @Override
  public Result run(StageContext context) {
    RecommendConfig settings = TunedSettings.resolve(context);
    Measurement measurement = measure(context, settings, variants(settings));
    List<Measured> results = measurement.measured();
    context
        .tables()
        .write(
            Tables.RECOMMENDATION_METRICS,
            context.runDate(),
            table(context.spark(), results, settings));
    for (Measured m : results) {
      LOG.info("evaluate-recs {}", describe(m));
    }
    Measured best =
        results.stream()
            .filter(m -> !m.variant().equals("most_popular") && !m.variant().equals("content"))
            .max(Comparator.comparingDouble(Measured::ndcg))
            .orElseThrow();
    return new Result(results, measurement.users(), best.variant());
  }

  /** Every variant measured on the holdout, and the users with held-out items. */
  record Measurement(List<Measured> measured, long users) {}

  /**
   * Holds out interactions as {@code settings.evaluation()} says, fits on the rest with {@code
   * settings} and measures each of {@code variants} (by name) and most-popular.
   */
  static Measurement measure(
      StageContext context, RecommendConfig settings, Map<String, Recommender.Ranking> variants) {
    RecommendJob.ensureCheckpointDir(context);
    String doing = "evaluate recommendations";
    Dataset<Row> events = context.require(Tables.silver(InputSchemas.EVENTS), doing);
    Dataset<Row> catalog = context.require(Tables.silver(InputSchemas.ITEMS), doing);
    Holdouts.Split split = Holdouts.split(events, context.runDate(), settings);
    Dataset<Row> training = split.training().cache();
    Dataset<Row> relevant = RankingEvaluation.Holdout.relevantSets(split.relevant()).cache();
    try {
      long evaluated = relevant.count();
      requireBothSides(evaluated, training, settings);
      Dataset<Row> users =
          relevant
              .select(Recommender.USER_ID)
              .join(segments(context, events), Recommender.USER_ID, "left")
              .withColumn(Recommender.SEGMENT, coalesce(col(Recommender.SEGMENT), lit("all")));
      List<String> categories = FeaturesJob.categories(context);
      Recommender.Content content =
          Recommender.Content.of(
              training,
              catalog,
              context.optional(Tables.silver(InputSchemas.MARKET)),
              categories,
              settings.brandBuckets(),
              split.fitEnd());
      Dataset<Row> itemUsers =
          training
              .groupBy(Recommender.ITEM_ID)
              .agg(countDistinct(col(Recommender.USER_ID)).as("_item_users"));
      long trainingUsers = training.select(Recommender.USER_ID).distinct().count();
      boolean itemModel = variants.values().stream().anyMatch(r -> r.itemWeight() > 0);
      Recommender.Model model =
          Recommender.fit(
              training,
              content,
              categories,
              settings.als(),
              itemModel ? settings.itemModel() : settings.itemModel().off());
      RankingEvaluation.Holdout holdout =
          new RankingEvaluation.Holdout(relevant, itemUsers, trainingUsers, model.items().count());
      Measurement measurement =
          new Measurement(evaluate(settings, variants, model, holdout, users, training), evaluated);
      model.unpersist();
      return measurement;
    } finally {
      training.unpersist();
      relevant.unpersist();
    }
  }

  private static void requireBothSides(
      long evaluated, Dataset<Row> training, RecommendConfig settings) {
    if (evaluated == 0 || training.isEmpty()) {
      throw new InvalidInputException(
          "Cannot evaluate recommendations: the "
              + settings.evaluation().holdout().name().toLowerCase(Locale.ROOT)
              + " holdout leaves "
              + (evaluated == 0 ? "no held-out interactions" : "no training interactions")
              + " in the window; widen marketing.recommend.window-days or change"
              + " marketing.recommend.evaluation");
    }
  }

  /** The users' RFM segments from the profiles, or one segment "all" without them. */
  private static Dataset<Row> segments(StageContext context, Dataset<Row> events) {
    return context
        .optional(Tables.USER_PROFILES)
        .map(
            p ->
                p.select(
                    col(Recommender.USER_ID), col(Profiles.RFM_SEGMENT).as(Recommender.SEGMENT)))
        .orElseGet(
            () ->
                events
                    .select(col(Recommender.USER_ID))
                    .where(col(Recommender.USER_ID).isNotNull())
                    .distinct()
                    .withColumn(Recommender.SEGMENT, lit("all")));
  }

  /** Measures every variant of one fitted model, and the most-popular baseline. */
  private static List<Measured> evaluate(
      RecommendConfig settings,
      Map<String, Recommender.Ranking> variants,
      Recommender.Model model,
      RankingEvaluation.Holdout holdout,
      Dataset<Row> users,
      Dataset<Row> training) {
    Dataset<Row> seen = training.select(Recommender.USER_ID, Recommender.ITEM_ID);
    int maxK = settings.evaluation().k().stream().mapToInt(Integer::intValue).max().orElse(10);
    Dataset<Row> scored =
        Recommender.score(model, Recommender.candidates(model, users, settings)).cache();
    try {
      List<Measured> results = new ArrayList<>();
      for (Map.Entry<String, Recommender.Ranking> v : variants.entrySet()) {
        Dataset<Row> recs = Recommender.rank(scored, seen, v.getValue(), maxK);
        results.addAll(
            RankingEvaluation.measure(v.getKey(), recs, holdout, settings.evaluation().k()));
      }
      Dataset<Row> popular = Recommender.mostPopular(model, users, seen, maxK, 200);
      results.addAll(
          RankingEvaluation.measure("most_popular", popular, holdout, settings.evaluation().k()));
      return results;
    } finally {
      scored.unpersist();
    }
  }

  /** A category cap no list reaches: the diversity step left out. */
  static final int NO_CAP = 1_000_000;

  /**
   * The variants: ALS alone, content alone, the item model alone (unless its kind is none), the
   * blend, other weights, each with the configured category cap; and the blend without the cap,
   * which shows what the diversity step costs.
   */
  private static Map<String, Recommender.Ranking> variants(RecommendConfig settings) {
    int cap = settings.maxPerCategory();
    double w = settings.blendWeight();
    double v = settings.itemWeight();
    Map<String, Recommender.Ranking> variants = new LinkedHashMap<>();
    variants.put("als", new Recommender.Ranking(1.0, 0.0, cap));
    variants.put("content", new Recommender.Ranking(0.0, 0.0, cap));
    if (settings.itemModel().kind() != RecommendConfig.ItemModelKind.NONE) {
      variants.put(
          "item model " + settings.itemModel().kind().name().toLowerCase(Locale.ROOT),
          new Recommender.Ranking(w, 1.0, cap));
    }
    variants.put("blend", new Recommender.Ranking(w, v, cap));
    for (double other : settings.evaluation().blendWeights()) {
      if (other != 0.0 && other != 1.0 && other != w) {
        variants.put(
            String.format(Locale.ROOT, "blend w=%.2f", other),
            new Recommender.Ranking(other, v, cap));
      }
    }
    variants.put("blend without category cap", new Recommender.Ranking(w, v, NO_CAP));
    return variants;
  }

  static String describe(Measured m) {
    return String.format(
        Locale.ROOT,
        "%s @%d: precision %.4f recall %.4f ndcg %.4f map %.4f hit rate %.4f coverage %.4f"
            + " novelty %.4f (%d users)",
        m.variant(),
        m.k(),
        m.precision(),
        m.recall(),
        m.ndcg(),
        m.map(),
        m.hitRate(),
        m.coverage(),
        m.novelty(),
        m.users());
  }

  /** One row of {@code metrics/recommendation_metrics}. */
  record MetricsRow(
      String variant,
      String holdout,
      int k,
      double precisionAtK,
      double recallAtK,
      double ndcgAtK,
      double mapAtK,
      double hitRate,
      double catalogCoverage,
      double novelty,
      long users) {}

  private static Dataset<Row> table(
      SparkSession spark, List<Measured> results, RecommendConfig settings) {
    String holdout = settings.evaluation().holdout().name().toLowerCase(Locale.ROOT);
    List<MetricsRow> rows =
        results.stream()
            .map(
                m ->
                    new MetricsRow(
                        m.variant(),
                        holdout,
                        m.k(),
                        m.precision(),
                        m.recall(),
                        m.ndcg(),
                        m.map(),
                        m.hitRate(),
                        m.coverage(),
                        m.novelty(),
                        m.users()))
            .toList();
    return RecordRows.dataFrame(spark, rows, MetricsRow.class);
  }

  @Override
  public String outcome(Result result) {
    return result.users() + " users with held-out items; best by NDCG: " + result.best();
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%s of %s under %s:%n",
        Tables.RECOMMENDATION_METRICS, context.runDate(), context.outputRoot());
    out.printf(
        "  %-34s %4s %9s %9s %9s %9s %9s %9s%n",
        "variant", "k", "precision", "recall", "ndcg", "map", "hit_rate", "coverage");
    for (Measured m : result.measured()) {
      out.printf(
          Locale.ROOT,
          "  %-34s %4d %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f%n",
          m.variant(),
          m.k(),
          m.precision(),
          m.recall(),
          m.ndcg(),
          m.map(),
          m.hitRate(),
          m.coverage());
    }
  }
}
