package org.marketingengine.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.ItemVectors;
import org.marketingengine.Columns.Recommendations;
import org.marketingengine.Columns.Scores;
import org.marketingengine.io.Tables;
import org.marketingengine.report.ReportSummary.Calibration;
import org.marketingengine.report.ReportSummary.Count;
import org.marketingengine.report.ReportSummary.Model;
import org.marketingengine.report.ReportSummary.Models;
import org.marketingengine.report.ReportSummary.Segment;
import org.marketingengine.report.ReportSummary.Segments;
import org.marketingengine.report.ReportSummary.Variant;
import org.marketingengine.stage.StageContext;

/**
 * The sections about what the run learnt: models (metrics, ROC and gains from the binned test
 * scores, calibration, top features), segments and profiles, and recommendations. Every chart's
 * data is an aggregation in Spark; only its few rows reach the driver.
 */
final class ResultSections {
  private ResultSections() {}

  private static final int TOP_FEATURES = 10;
  private static final int HISTOGRAM_BINS = 20;

  static Models models(StageContext context) {
    Optional<Dataset<Row>> metrics = context.optional(Tables.MODEL_METRICS);
    if (metrics.isEmpty()) {
      return new Models(ReportSummary.NOT_RUN, "train has not run for this date", List.of());
    }
    Map<String, List<Curves.Bin>> bins = new LinkedHashMap<>();
    context
        .optional(Tables.MODEL_SCORE_BINS)
        .ifPresent(
            t ->
                t.orderBy("model", "bin")
                    .collectAsList()
                    .forEach(
                        r ->
                            bins.computeIfAbsent(r.getAs("model"), m -> new ArrayList<>())
                                .add(
                                    new Curves.Bin(
                                        r.<Integer>getAs("bin"),
                                        r.<Long>getAs("rows"),
                                        r.<Long>getAs("positives")))));
    Map<String, List<Calibration>> calibration = new LinkedHashMap<>();
    context
        .optional(Tables.MODEL_CALIBRATION)
        .ifPresent(
            t ->
                t.orderBy("model", "decile")
                    .collectAsList()
                    .forEach(
                        r ->
                            calibration
                                .computeIfAbsent(r.getAs("model"), m -> new ArrayList<>())
                                .add(
                                    new Calibration(
                                        r.<Integer>getAs("decile"),
                                        r.<Long>getAs("rows"),
                                        r.<Double>getAs("mean_predicted"),
                                        r.<Double>getAs("observed_rate")))));
    Map<String, List<Count>> importance = new LinkedHashMap<>();
    context
        .optional(Tables.FEATURE_IMPORTANCE)
        .ifPresent(
            t ->
                t.orderBy(col("model"), col("importance").desc())
                    .collectAsList()
                    .forEach(
                        r -> {
                          List<Count> top =
                              importance.computeIfAbsent(r.getAs("model"), m -> new ArrayList<>());
                          if (top.size() < TOP_FEATURES) {
                            top.add(new Count(r.getAs("feature"), r.<Double>getAs("importance")));
                          }
                        }));
    Map<String, Model> models = new LinkedHashMap<>();
    for (Row r : metrics.get().orderBy("task", "model", "split", "metric").collectAsList()) {
      String name = r.getAs("model");
      Model m =
          models.computeIfAbsent(
              name,
              n ->
                  new Model(
                      n,
                      r.getAs("task"),
                      r.<Boolean>getAs("champion"),
                      new LinkedHashMap<>(),
                      new LinkedHashMap<>(),
                      bins.containsKey(n) ? Curves.roc(bins.get(n)) : List.of(),
                      bins.containsKey(n) ? Curves.gains(bins.get(n)) : List.of(),
                      calibration.getOrDefault(n, List.of()),
                      importance.getOrDefault(n, List.of())));
      String split = r.getAs("split");
      if (split.equals("test")) {
        m.test().put(r.getAs("metric"), r.<Double>getAs("value"));
      } else if (split.equals("baseline")) {
        m.baseline().put(r.getAs("metric"), r.<Double>getAs("value"));
      }
    }
    return new Models(ReportSummary.OK, null, List.copyOf(models.values()));
  }

  static Segments segments(StageContext context) {
    Optional<Dataset<Row>> summary = context.optional(Tables.PROFILE_SEGMENTS);
    if (summary.isEmpty()) {
      return new Segments(
          ReportSummary.NOT_RUN,
          "profile has not run for this date",
          List.of(),
          List.of(),
          List.of());
    }
    List<Segment> rfm = new ArrayList<>();
    List<Segment> clusters = new ArrayList<>();
    for (Row r : summary.get().orderBy(col("kind"), col("users").desc()).collectAsList()) {
      Segment s =
          new Segment(
              r.getAs("segment"),
              r.<Long>getAs("users"),
              r.<Double>getAs("share"),
              r.isNullAt(r.fieldIndex("total_expected_value"))
                  ? 0
                  : r.<Double>getAs("total_expected_value"));
      ("cluster".equals(r.getAs("kind")) ? clusters : rfm).add(s);
    }
    List<Count> histogram = new ArrayList<>();
    context
        .optional(Tables.USER_PROFILES)
        .filter(p -> List.of(p.columns()).contains(Scores.PURCHASE_PROPENSITY))
        .ifPresent(
            p ->
                p.where(col(Scores.PURCHASE_PROPENSITY).isNotNull())
                    .groupBy(
                        greatest(
                                lit(0),
                                least(
                                    lit(HISTOGRAM_BINS - 1),
                                    floor(
                                        col(Scores.PURCHASE_PROPENSITY).multiply(HISTOGRAM_BINS))))
                            .cast("int")
                            .as("bin"))
                    .agg(count(lit(1)).as("users"))
                    .orderBy("bin")
                    .collectAsList()
                    .forEach(
                        r ->
                            histogram.add(
                                new Count(
                                    String.format(
                                        java.util.Locale.ROOT,
                                        "%.2f",
                                        r.<Integer>getAs("bin") / (double) HISTOGRAM_BINS),
                                    r.<Long>getAs("users")))));
    return new Segments(ReportSummary.OK, null, rfm, clusters, histogram);
  }

  static ReportSummary.Recommendations recommendations(StageContext context) {
    Optional<Dataset<Row>> recs = context.optional(Tables.RECOMMENDATIONS);
    List<Variant> variants = variants(context);
    if (recs.isEmpty()) {
      return new ReportSummary.Recommendations(
          ReportSummary.NOT_RUN,
          "recommend has not run for this date",
          0,
          0,
          0,
          0,
          List.of(),
          variants);
    }
    Dataset<Row> r = recs.get();
    Row totals =
        r.agg(
                countDistinct(col(Recommendations.USER_ID)),
                count(lit(1)),
                countDistinct(col(Recommendations.ITEM_ID)))
            .first();
    double coverage = 0;
    double novelty = 0;
    Optional<Dataset<Row>> items = context.optional(Tables.ITEM_VECTORS);
    if (items.isPresent()) {
      Dataset<Row> catalog =
          items.get().select(col(ItemVectors.ITEM_ID), col(ItemVectors.POPULARITY).as("_pop"));
      Row c = catalog.agg(count(lit(1)), sum(col("_pop"))).first();
      long catalogSize = c.getLong(0);
      coverage = catalogSize == 0 ? 0 : totals.getLong(2) / (double) catalogSize;
      double totalPopularity = c.isNullAt(1) ? 0 : ((Number) c.get(1)).doubleValue();
      if (totalPopularity > 0) {
        Row n =
            r.join(catalog, Recommendations.ITEM_ID)
                .agg(
                    avg(
                        log(2.0, greatest(col("_pop"), lit(1e-9)).divide(totalPopularity))
                            .multiply(-1)))
                .first();
        novelty = n.isNullAt(0) ? 0 : n.getDouble(0);
      }
    }
    List<Count> categories = new ArrayList<>();
    r.groupBy(col(Recommendations.CATEGORY))
        .agg(count(lit(1)).as("n"))
        .orderBy(col("n").desc(), col(Recommendations.CATEGORY))
        .limit(10)
        .collectAsList()
        .forEach(
            row ->
                categories.add(
                    new Count(
                        row.isNullAt(0) ? "(none)" : row.getString(0), row.<Long>getAs("n"))));
    return new ReportSummary.Recommendations(
        ReportSummary.OK,
        variants.isEmpty() ? "evaluate-recs has not run for this date: no ranking metrics" : null,
        totals.getLong(0),
        totals.getLong(1),
        coverage,
        novelty,
        categories,
        variants);
  }

  private static List<Variant> variants(StageContext context) {
    List<Variant> variants = new ArrayList<>();
    context
        .optional(Tables.RECOMMENDATION_METRICS)
        .ifPresent(
            t ->
                t.orderBy("variant")
                    .collectAsList()
                    .forEach(
                        r -> {
                          Map<String, Double> m = new LinkedHashMap<>();
                          for (String metric :
                              List.of(
                                  "precision_at_k",
                                  "recall_at_k",
                                  "ndcg_at_k",
                                  "map_at_k",
                                  "hit_rate",
                                  "catalog_coverage",
                                  "novelty")) {
                            m.put(metric, ((Number) r.getAs(metric)).doubleValue());
                          }
                          variants.add(new Variant(r.getAs("variant"), r.<Integer>getAs("k"), m));
                        }));
    return variants;
  }
}
