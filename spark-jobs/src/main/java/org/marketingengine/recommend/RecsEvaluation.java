package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranking evaluation ({@code evaluate-recs}): holds out interactions, fits on the rest,
 * recommends with the items seen in training excluded, and measures the lists against the held-out
 * items for the blend (each configured weight), ALS alone, content alone and the most-popular
 * baseline. One row per variant and k in {@code metrics/recommendation_metrics}.
 */
public final class RecsEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(RecsEvaluation.class);
  public static final String METRICS = "metrics/recommendation_metrics";
  static final String RECOMMENDED = "_recommended";
  static final String RELEVANT = "_relevant";

  private RecsEvaluation() {}

  /** The measured quality of one variant at one k. */
  public record Measured(
      String variant,
      int k,
      double precision,
      double recall,
      double ndcg,
      double map,
      double hitRate,
      double coverage,
      double novelty,
      long users) {}

  /** Training interactions (user, item, weight, bought, last_time) and held-out pairs. */
  record Split(Dataset<Row> training, Dataset<Row> relevant) {}

  public static List<Measured> run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    LocalDate runDate = config.runDate();
    spark.sparkContext().setJobGroup("evaluate-recs", "evaluate-recs " + runDate, false);
    RecommendJob.ensureCheckpointDir(spark, config);
    RecommendConfig settings = config.recommend();
    RecommendJob.Inputs inputs = RecommendJob.inputs(spark, config, false);
    Split split = split(inputs.events(), runDate, settings);
    Dataset<Row> training = split.training().cache();
    Dataset<Row> relevant =
        split
            .relevant()
            .groupBy(Recommender.USER_ID)
            .agg(collect_set(col(Recommender.ITEM_ID)).as(RELEVANT))
            .cache();
    try {
      long evaluated = relevant.count();
      if (evaluated == 0 || training.isEmpty()) {
        throw new InvalidInputException(
            "Cannot evaluate recommendations: the "
                + settings.evaluation().holdout().name().toLowerCase(Locale.ROOT)
                + " holdout leaves "
                + (evaluated == 0 ? "no held-out interactions" : "no training interactions")
                + " in the window; widen marketing.recommend.window-days or change"
                + " marketing.recommend.evaluation");
      }
      LocalDate fitEnd =
          settings.evaluation().holdout() == RecommendConfig.Holdout.TIME
              ? runDate.minusDays(settings.evaluation().holdoutDays())
              : runDate;
      Dataset<Row> users =
          relevant
              .select(Recommender.USER_ID)
              .join(inputs.users(), Recommender.USER_ID, "left")
              .withColumn(Recommender.SEGMENT, coalesce(col(Recommender.SEGMENT), lit("all")));
      Dataset<Row> seen = training.select(Recommender.USER_ID, Recommender.ITEM_ID);
      Dataset<Row> itemUsers =
          training
              .groupBy(Recommender.ITEM_ID)
              .agg(countDistinct(col(Recommender.USER_ID)).as("_item_users"));
      long trainingUsers = training.select(Recommender.USER_ID).distinct().count();
      int maxK = settings.evaluation().k().stream().mapToInt(Integer::intValue).max().orElse(10);
      List<Measured> results = new ArrayList<>();
      List<RecommendConfig.Als> settingsTried =
          settings.alsSearch() ? settings.alsGrid() : List.of(settings.als());
      for (RecommendConfig.Als als : settingsTried) {
        String suffix =
            settings.alsSearch()
                ? String.format(
                    Locale.ROOT,
                    " [rank=%d reg=%s alpha=%s]",
                    als.rank(),
                    als.regParam(),
                    als.alpha())
                : "";
        Recommender.Model model =
            Recommender.fit(
                training,
                inputs.items(),
                inputs.market(),
                inputs.categories(),
                settings,
                als,
                fitEnd);
        Dataset<Row> scored =
            Recommender.score(model, Recommender.candidates(model, users, settings)).cache();
        try {
          long catalog = model.items().count();
          Map<String, Double> variants = new LinkedHashMap<>();
          variants.put("als", 1.0);
          variants.put("content", 0.0);
          variants.put("blend", settings.blendWeight());
          for (double w : settings.evaluation().blendWeights()) {
            if (w != 0.0 && w != 1.0 && w != settings.blendWeight()) {
              variants.put(String.format(Locale.ROOT, "blend w=%.2f", w), w);
            }
          }
          for (Map.Entry<String, Double> v : variants.entrySet()) {
            Dataset<Row> recs =
                Recommender.rank(scored, seen, v.getValue(), maxK, settings.maxPerCategory());
            results.addAll(
                measure(
                    v.getKey() + suffix,
                    recs,
                    relevant,
                    itemUsers,
                    trainingUsers,
                    catalog,
                    settings.evaluation().k()));
          }
          if (suffix.isEmpty() || als == settingsTried.get(0)) {
            Dataset<Row> popular = Recommender.mostPopular(model, users, seen, maxK, 200);
            results.addAll(
                measure(
                    "most_popular",
                    popular,
                    relevant,
                    itemUsers,
                    trainingUsers,
                    catalog,
                    settings.evaluation().k()));
          }
        } finally {
          scored.unpersist();
        }
      }
      TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
      store.write(METRICS, runDate, table(spark, results, settings));
      for (Measured m : results) {
        LOG.info(
            "evaluate-recs {} @{}: precision {} recall {} ndcg {} map {} hit rate {} coverage {}"
                + " novelty {} ({} users)",
            m.variant(),
            m.k(),
            f(m.precision()),
            f(m.recall()),
            f(m.ndcg()),
            f(m.map()),
            f(m.hitRate()),
            f(m.coverage()),
            f(m.novelty()),
            m.users());
      }
      Measured best =
          results.stream()
              .filter(m -> m.variant().startsWith("blend") || m.variant().startsWith("als"))
              .max(java.util.Comparator.comparingDouble(Measured::ndcg))
              .orElseThrow();
      LOG.info(
          "evaluate-recs done in {}: {} users with held-out items; best by NDCG: {}",
          StageCounts.elapsed(started),
          evaluated,
          best.variant());
      return results;
    } finally {
      training.unpersist();
      relevant.unpersist();
    }
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Holds out interactions as configured. */
  static Split split(Dataset<Row> events, LocalDate runDate, RecommendConfig settings) {
    RecommendConfig.Evaluation e = settings.evaluation();
    if (e.holdout() == RecommendConfig.Holdout.TIME) {
      LocalDate cut = runDate.minusDays(e.holdoutDays());
      Dataset<Row> training =
          Interactions.weighted(
              Interactions.window(events, cut, settings.windowDays()),
              settings.eventWeights(),
              settings.halfLifeDays(),
              cut);
      Dataset<Row> later =
          Interactions.weighted(
                  Interactions.window(events, runDate, e.holdoutDays()),
                  settings.eventWeights(),
                  settings.halfLifeDays(),
                  runDate)
              .select(Recommender.USER_ID, Recommender.ITEM_ID);
      Dataset<Row> relevant =
          later.join(
              training.select(Recommender.USER_ID, Recommender.ITEM_ID),
              new String[] {Recommender.USER_ID, Recommender.ITEM_ID},
              "left_anti");
      return new Split(training, relevant);
    }
    Dataset<Row> all =
        Interactions.weighted(
            Interactions.window(events, runDate, settings.windowDays()),
            settings.eventWeights(),
            settings.halfLifeDays(),
            runDate);
    Column order =
        e.holdout() == RecommendConfig.Holdout.FRACTION
            ? xxhash64(lit(e.seed()), col(Recommender.USER_ID), col(Recommender.ITEM_ID))
            : col(Interactions.LAST_TIME).desc();
    Dataset<Row> ranked =
        all.withColumn(
                "_position",
                row_number()
                    .over(
                        Window.partitionBy(col(Recommender.USER_ID))
                            .orderBy(order, col(Recommender.ITEM_ID))))
            .withColumn("_items", count(lit(1)).over(Window.partitionBy(col(Recommender.USER_ID))));
    Column heldOut =
        e.holdout() == RecommendConfig.Holdout.FRACTION
            ? col("_position")
                .leq(greatest(lit(1), expr("floor(_items * " + e.holdoutFraction() + ")")))
                .and(col("_items").geq(2))
            : col("_position").leq(e.leaveLast()).and(col("_position").lt(col("_items")));
    Dataset<Row> marked = ranked.withColumn("_held_out", heldOut);
    return new Split(
        marked
            .where(org.apache.spark.sql.functions.not(col("_held_out")))
            .drop("_position", "_items", "_held_out"),
        marked.where(col("_held_out")).select(Recommender.USER_ID, Recommender.ITEM_ID));
  }

  /** Averages the ranking metrics of {@code recs} ({@code user_id, rank, item_id}) over users. */
  static List<Measured> measure(
      String variant,
      Dataset<Row> recs,
      Dataset<Row> relevant,
      Dataset<Row> itemUsers,
      long trainingUsers,
      long catalog,
      List<Integer> ks) {
    Dataset<Row> lists =
        recs.groupBy(Recommender.USER_ID)
            .agg(
                expr("transform(array_sort(collect_list(struct(rank, item_id))), s ->"
                        + " s.item_id)")
                    .as(RECOMMENDED));
    Dataset<Row> joined =
        relevant
            .join(lists, Recommender.USER_ID, "left")
            .withColumn(
                RECOMMENDED, coalesce(col(RECOMMENDED), expr("cast(array() as array<string>)")))
            .cache();
    try {
      List<Measured> out = new ArrayList<>();
      for (int k : ks) {
        Row m =
            joined
                .agg(
                    avg(RankingMetrics.precisionAt(RECOMMENDED, RELEVANT, k)),
                    avg(RankingMetrics.recallAt(RECOMMENDED, RELEVANT, k)),
                    avg(RankingMetrics.ndcgAt(RECOMMENDED, RELEVANT, k)),
                    avg(RankingMetrics.averagePrecisionAt(RECOMMENDED, RELEVANT, k)),
                    avg(RankingMetrics.hitAt(RECOMMENDED, RELEVANT, k)),
                    count(lit(1)))
                .first();
        Dataset<Row> topK = recs.where(col(Recommender.RANK).leq(k));
        Row reach =
            topK.join(itemUsers, Recommender.ITEM_ID, "left")
                .agg(
                    countDistinct(col(Recommender.ITEM_ID)),
                    avg(
                        log(
                                2.0,
                                greatest(col("_item_users"), lit(1)).divide((double) trainingUsers))
                            .multiply(-1)))
                .first();
        out.add(
            new Measured(
                variant,
                k,
                m.getDouble(0),
                m.getDouble(1),
                m.getDouble(2),
                m.getDouble(3),
                m.getDouble(4),
                catalog == 0 ? 0 : reach.getLong(0) / (double) catalog,
                reach.isNullAt(1) ? 0 : reach.getDouble(1),
                m.getLong(5)));
      }
      return out;
    } finally {
      joined.unpersist();
    }
  }

  private static Dataset<Row> table(
      SparkSession spark, List<Measured> results, RecommendConfig settings) {
    StructType schema =
        new StructType()
            .add("variant", DataTypes.StringType)
            .add("holdout", DataTypes.StringType)
            .add("k", DataTypes.IntegerType)
            .add("precision_at_k", DataTypes.DoubleType)
            .add("recall_at_k", DataTypes.DoubleType)
            .add("ndcg_at_k", DataTypes.DoubleType)
            .add("map_at_k", DataTypes.DoubleType)
            .add("hit_rate", DataTypes.DoubleType)
            .add("catalog_coverage", DataTypes.DoubleType)
            .add("novelty", DataTypes.DoubleType)
            .add("users", DataTypes.LongType);
    String holdout = settings.evaluation().holdout().name().toLowerCase(Locale.ROOT);
    List<Row> rows = new ArrayList<>();
    for (Measured m : results) {
      rows.add(
          RowFactory.create(
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
              m.users()));
    }
    return spark.createDataFrame(rows, schema);
  }
}
