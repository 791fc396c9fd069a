package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Measures ranked lists ({@code user_id, rank, item_id}) against the held-out items of each user:
 * precision, recall, NDCG, MAP and hit rate at each k (one aggregation over the users for all of
 * them), catalog coverage and novelty.
 */
final class RankingEvaluation {
  static final String RECOMMENDED = "_recommended";
  static final String RELEVANT = "_relevant";

  private RankingEvaluation() {}

  /** The five ranking metrics of one variant at one k, as {@link #metricsAt} orders them. */
  record Quality(double precision, double recall, double ndcg, double map, double hitRate) {

    /** The metric named as in {@code recommend.tune.metric}. */
    double get(String metric) {
      return switch (metric) {
        case "precision" -> precision;
        case "recall" -> recall;
        case "map" -> map;
        case "hit-rate" -> hitRate;
        default -> ndcg;
      };
    }
  }

  /**
   * The metrics at {@code k} of every variant in one pass: {@code recs} has a column {@code key}
   * (one list per user and variant), {@code variants} the key's values; a user with held-out items
   * but no list of a variant counts as 0 for it.
   */
  static Map<Integer, Quality> measureEach(
      Dataset<Row> recs, String key, Dataset<Row> variants, Dataset<Row> relevant, int k) {
    Dataset<Row> joined = withLists(relevant.crossJoin(variants.select(key)), recs, List.of(key));
    Map<Integer, Quality> out = new TreeMap<>();
    List<Column> metrics = metricsAt(k);
    List<Row> rows =
        joined
            .groupBy(col(key))
            .agg(metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new))
            .collectAsList();
    for (Row r : rows) {
      out.put(
          r.getInt(0),
          new Quality(
              r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5)));
    }
    return out;
  }

  /** Each relevant row with the user's recommended items in rank order (empty without a list). */
  private static Dataset<Row> withLists(
      Dataset<Row> relevant, Dataset<Row> recs, List<String> keys) {
    List<Column> groups = new ArrayList<>();
    keys.forEach(k -> groups.add(col(k)));
    groups.add(col(Recommender.USER_ID));
    Dataset<Row> lists =
        recs.groupBy(groups.toArray(Column[]::new))
            .agg(
                transform(
                        array_sort(
                            collect_list(struct(col(Recommender.RANK), col(Recommender.ITEM_ID)))),
                        s -> s.getField(Recommender.ITEM_ID))
                    .as(RECOMMENDED));
    List<String> on = new ArrayList<>(keys);
    on.add(Recommender.USER_ID);
    return relevant
        .join(lists, on.toArray(String[]::new), "left")
        .withColumn(
            RECOMMENDED,
            coalesce(
                col(RECOMMENDED), array().cast(DataTypes.createArrayType(DataTypes.StringType))));
  }

  /** Precision, recall, NDCG, MAP and hit rate at {@code k}, averaged. */
  private static List<Column> metricsAt(int k) {
    Column recommended = col(RECOMMENDED);
    Column relevant = col(RELEVANT);
    return List.of(
        avg(RankingMetrics.precisionAt(recommended, relevant, k)),
        avg(RankingMetrics.recallAt(recommended, relevant, k)),
        avg(RankingMetrics.ndcgAt(recommended, relevant, k)),
        avg(RankingMetrics.averagePrecisionAt(recommended, relevant, k)),
        avg(RankingMetrics.hitAt(recommended, relevant, k)));
  }

  /** The measured quality of one variant at one k. */
  record Measured(
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

  /** What every variant is measured against. */
  record Holdout(Dataset<Row> relevant, Dataset<Row> itemUsers, long trainingUsers, long catalog) {

    /** {@code relevant}: per user the set of held-out items ({@code user_id, _relevant}). */
    static Dataset<Row> relevantSets(Dataset<Row> heldOut) {
      return heldOut
          .groupBy(Recommender.USER_ID)
          .agg(collect_set(col(Recommender.ITEM_ID)).as(RELEVANT));
    }
  }

  /** Averages the ranking metrics of {@code recs} over the users with held-out items. */
  static List<Measured> measure(
      String variant, Dataset<Row> recs, Holdout holdout, List<Integer> ks) {
    Dataset<Row> joined = withLists(holdout.relevant(), recs, List.of());
    List<Column> aggregates = new ArrayList<>();
    for (int k : ks) {
      aggregates.addAll(metricsAt(k));
    }
    Row m = joined.agg(count(lit(1)), aggregates.toArray(Column[]::new)).first();
    List<Measured> out = new ArrayList<>();
    for (int i = 0; i < ks.size(); i++) {
      int k = ks.get(i);
      Row reach =
          recs.where(col(Recommender.RANK).leq(k))
              .join(holdout.itemUsers(), Recommender.ITEM_ID, "left")
              .agg(
                  countDistinct(col(Recommender.ITEM_ID)),
                  avg(
                      log(
                              2.0,
                              greatest(col("_item_users"), lit(1))
                                  .divide((double) holdout.trainingUsers()))
                          .multiply(-1)))
              .first();
      int base = 1 + 5 * i;
      out.add(
          new Measured(
              variant,
              k,
              m.getDouble(base),
              m.getDouble(base + 1),
              m.getDouble(base + 2),
              m.getDouble(base + 3),
              m.getDouble(base + 4),
              holdout.catalog() == 0 ? 0 : reach.getLong(0) / (double) holdout.catalog(),
              reach.isNullAt(1) ? 0 : reach.getDouble(1),
              m.getLong(0)));
    }
    return out;
  }
}
