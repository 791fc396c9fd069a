package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.RecordRows;
import org.marketingengine.io.Tables;
import org.marketingengine.recommend.TuningSearch.Trial;
import org.marketingengine.stage.StageContext;

/**
 * One trial of {@code tune-recs}: the validation split of {@link Holdouts#validation} with the
 * trial's event weights, an ALS fit on its training side, and every (blend weight, category cap)
 * ranked and measured in one pass over the scored candidates of the validation users.
 */
final class TuningTrials {
  private static final String VARIANT = "_variant";

  private TuningTrials() {}

  /** Fits one trial on the validation split and measures every blend weight and category cap. */
  static List<TrialRow> measure(
      StageContext context, RecommendConfig settings, TuningSearch search, Trial trial, int fit) {
    long start = System.nanoTime();
    RecommendConfig.Tune tune = settings.tune();
    RecommendConfig s =
        settings.with(
            new RecommendConfig.Tuned(
                trial.als(),
                search.weights(trial),
                trial.ratingScaling(),
                settings.blendWeight(),
                settings.itemWeight(),
                settings.maxPerCategory()));
    String doing = "tune recommendations";
    Dataset<Row> events = context.require(Tables.silver(InputSchemas.EVENTS), doing);
    Holdouts.Split validation =
        Holdouts.validation(events, Holdouts.split(events, context.runDate(), s), s);
    Dataset<Row> training = validation.training().cache();
    Dataset<Row> relevant =
        RankingEvaluation.Holdout.relevantSets(validation.relevant())
            .orderBy(xxhash64(lit(tune.seed()), col(Recommender.USER_ID)))
            .limit(tune.maxUsers())
            .cache();
    Dataset<Row> scored = null;
    try {
      long users = relevant.count();
      if (users == 0 || training.isEmpty()) {
        throw new InvalidInputException(
            "Cannot tune recommendations: the validation split inside the training side of the "
                + settings.evaluation().holdout().name().toLowerCase(Locale.ROOT)
                + " holdout leaves "
                + (users == 0 ? "no validation interactions" : "no interactions to fit on")
                + "; widen marketing.recommend.window-days or change"
                + " marketing.recommend.evaluation");
      }
      List<double[]> variants = variants(settings);
      Recommender.Model model =
          fit(context, s, validation, training, variants.stream().anyMatch(v -> v[1] > 0));
      Dataset<Row> candidates =
          Recommender.candidates(
              model,
              relevant.select(Recommender.USER_ID).withColumn(Recommender.SEGMENT, lit("all")),
              s);
      scored = Recommender.score(model, candidates).cache();
      Dataset<Row> keys = variantTable(context, variants);
      Dataset<Row> recs =
          Recommender.rank(
              Recommender.eligible(
                      scored, training.select(Recommender.USER_ID, Recommender.ITEM_ID))
                  .crossJoin(broadcast(keys)),
              col("_w"),
              col("_v"),
              col("_cap"),
              tune.k(),
              List.of(VARIANT));
      Map<Integer, RankingEvaluation.Quality> quality =
          RankingEvaluation.measureEach(recs, VARIANT, keys, relevant, tune.k());
      List<TrialRow> rows =
          rows(trial, fit, tune, variants, quality, users, (System.nanoTime() - start) / 1e9);
      model.unpersist();
      return rows;
    } finally {
      training.unpersist();
      relevant.unpersist();
      if (scored != null) {
        scored.unpersist();
      }
    }
  }

  /** ALS, the content side and (when a variant uses it) the item model on the training side. */
  private static Recommender.Model fit(
      StageContext context,
      RecommendConfig s,
      Holdouts.Split validation,
      Dataset<Row> training,
      boolean itemModel) {
    List<String> categories = FeaturesJob.categories(context);
    Dataset<Row> catalog =
        context.require(Tables.silver(InputSchemas.ITEMS), "tune recommendations");
    return Recommender.fit(
        training,
        Recommender.Content.of(
            training,
            catalog,
            context.optional(Tables.silver(InputSchemas.MARKET)),
            categories,
            s.brandBuckets(),
            validation.fitEnd()),
        categories,
        s.als(),
        itemModel ? s.itemModel() : s.itemModel().off());
  }

  private static List<TrialRow> rows(
      Trial trial,
      int fit,
      RecommendConfig.Tune tune,
      List<double[]> variants,
      Map<Integer, RankingEvaluation.Quality> quality,
      long users,
      double seconds) {
    List<TrialRow> rows = new ArrayList<>();
    for (int v = 0; v < variants.size(); v++) {
      RankingEvaluation.Quality q = quality.get(v);
      rows.add(
          new TrialRow(
              fit,
              trial.als().rank(),
              trial.als().regParam(),
              trial.als().alpha(),
              trial.als().maxIter(),
              trial.weights(),
              trial.ratingScaling(),
              variants.get(v)[0],
              variants.get(v)[1],
              (int) variants.get(v)[2],
              tune.metric(),
              tune.k(),
              q.precision(),
              q.recall(),
              q.ndcg(),
              q.map(),
              q.hitRate(),
              q.get(tune.metric()),
              users,
              seconds,
              false));
    }
    return rows;
  }

  /**
   * Every (blend weight, item weight, category cap) of the tune grid, the configured ones included;
   * the item weight only 0 without an item model.
   */
  static List<double[]> variants(RecommendConfig settings) {
    List<Double> weights = withConfigured(settings.tune().blendWeights(), settings.blendWeight());
    List<Double> itemWeights =
        settings.itemModel().kind() == RecommendConfig.ItemModelKind.NONE
            ? List.of(0.0)
            : withConfigured(settings.tune().itemWeights(), settings.itemWeight());
    List<Double> caps =
        withConfigured(
            settings.tune().maxPerCategory().stream().map(Integer::doubleValue).toList(),
            (double) settings.maxPerCategory());
    List<double[]> variants = new ArrayList<>();
    for (double w : weights) {
      for (double v : itemWeights) {
        for (double cap : caps) {
          variants.add(new double[] {w, v, cap});
        }
      }
    }
    return variants;
  }

  private static List<Double> withConfigured(List<Double> grid, double configured) {
    List<Double> values = new ArrayList<>(grid);
    if (!values.contains(configured)) {
      values.add(configured);
    }
    return values;
  }

  /** The variants as a small table ({@code _variant, _w, _v, _cap}). */
  private static Dataset<Row> variantTable(StageContext context, List<double[]> variants) {
    List<Variant> rows = new ArrayList<>();
    for (int v = 0; v < variants.size(); v++) {
      rows.add(new Variant(v, variants.get(v)[0], variants.get(v)[1], (int) variants.get(v)[2]));
    }
    return RecordRows.dataFrame(context.spark(), rows, Variant.class)
        .toDF(VARIANT, "_w", "_v", "_cap");
  }

  record Variant(int variant, double w, double v, int cap) {}
}
