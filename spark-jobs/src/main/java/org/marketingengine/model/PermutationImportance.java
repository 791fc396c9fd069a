package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns.Features;

/**
 * Permutation importance of a model's inputs, for models without coefficients (the MLPs): how much
 * the AUC falls when one input's values are shuffled across rows (seeded), breaking its link with
 * the label. Measured on a seeded sample of the test rows: the sample and every input's shuffled
 * copy of it are scored in one pass (two joins, one model transform, one collect of row, score and
 * label), and the AUCs computed on the driver, instead of a sort, a join and an evaluation of the
 * whole test split per input.
 */
final class PermutationImportance {
  private static final String ROW = "_row";
  private static final String DONOR = "_donor";
  private static final String SHUFFLED = "_shuffled";

  /** The tag of the unshuffled copy. */
  private static final String NONE = "";

  private PermutationImportance() {}

  /**
   * Rows: model, feature, coefficient (null), importance (the AUC drop; near 0 or negative for a
   * useless input).
   *
   * @param rows the test split, with {@code label} as 0/1
   * @param sampleRows at most this many rows (the same ones on every run) are used
   */
  static Dataset<Row> of(
      SparkSession spark,
      String modelName,
      PipelineModel model,
      Dataset<Row> rows,
      List<String> columns,
      String label,
      long seed,
      int sampleRows) {
    List<Column> kept = new ArrayList<>();
    for (String c : columns) {
      kept.add(col(c));
    }
    kept.add(col(label));
    kept.add(col(ROW));
    Dataset<Row> sample =
        rows.withColumn(
                ROW,
                org.apache
                    .spark
                    .sql
                    .functions
                    .row_number()
                    .over(
                        Window.orderBy(
                            xxhash64(lit(seed), col(Features.ANCHOR_ID).cast("string")),
                            col(Features.ANCHOR_ID))))
            .select(kept.toArray(Column[]::new))
            .where(col(ROW).leq(sampleRows))
            .cache();
    try {
      Map<String, Double> auc = aucByShuffledColumn(spark, model, sample, columns, label, seed);
      double base = auc.get(NONE);
      List<Row> result = new ArrayList<>();
      for (String column : columns) {
        result.add(RowFactory.create(modelName, column, null, base - auc.get(column)));
      }
      return spark.createDataFrame(
          result,
          new StructType()
              .add("model", DataTypes.StringType)
              .add("feature", DataTypes.StringType)
              .add("coefficient", DataTypes.DoubleType)
              .add("importance", DataTypes.DoubleType));
    } finally {
      sample.unpersist();
    }
  }

  private static Map<String, Double> aucByShuffledColumn(
      SparkSession spark,
      PipelineModel model,
      Dataset<Row> sample,
      List<String> columns,
      String label,
      long seed) {
    int n = (int) sample.count();
    // Which row lends its value to which: the identity for the unshuffled copy, a seeded
    // permutation per input.
    List<Row> pairs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      pairs.add(RowFactory.create(NONE, i, i));
    }
    for (String column : columns) {
      List<Integer> donors = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        donors.add(i);
      }
      Collections.shuffle(donors, new Random(seed + column.hashCode()));
      for (int i = 1; i <= n; i++) {
        pairs.add(RowFactory.create(column, i, donors.get(i - 1)));
      }
    }
    Dataset<Row> mapping =
        spark.createDataFrame(
            pairs,
            new StructType()
                .add(SHUFFLED, DataTypes.StringType)
                .add(ROW, DataTypes.IntegerType)
                .add(DONOR, DataTypes.IntegerType));
    Dataset<Row> donors =
        sample.select(
            col(ROW).as(DONOR),
            org.apache
                .spark
                .sql
                .functions
                .struct(columns.stream().map(c -> col(c)).toArray(Column[]::new))
                .as("_d"));
    List<Column> permuted = new ArrayList<>();
    permuted.add(col(SHUFFLED));
    permuted.add(col(label));
    for (String c : columns) {
      permuted.add(when(col(SHUFFLED).equalTo(c), col("_d." + c)).otherwise(col(c)).as(c));
    }
    Dataset<Row> copies =
        mapping.join(sample, ROW).join(donors, DONOR).select(permuted.toArray(Column[]::new));
    List<Row> scored =
        Metrics.withScore(model.transform(copies))
            .select(col(SHUFFLED), col(Metrics.SCORE), col(label).cast("double"))
            .collectAsList();
    Map<String, List<double[]>> byCopy = new HashMap<>();
    for (Row r : scored) {
      byCopy
          .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(new double[] {r.getDouble(1), r.getDouble(2)});
    }
    Map<String, Double> auc = new HashMap<>();
    byCopy.forEach((copy, points) -> auc.put(copy, areaUnderRoc(points)));
    return auc;
  }

  /**
   * The AUC of (score, 0/1 label) points, ties counting half ({@link
   * Metrics#areaUnderRoc(double[][])} over the points grouped by score); 0.5 without both classes,
   * so a copy with one class shows no drop rather than NaN.
   */
  static double areaUnderRoc(List<double[]> points) {
    Map<Double, double[]> byScore = new HashMap<>();
    for (double[] p : points) {
      double[] c = byScore.computeIfAbsent(p[0], s -> new double[] {s, 0, 0});
      c[1]++;
      c[2] += p[1] > 0.5 ? 1 : 0;
    }
    double auc = Metrics.areaUnderRoc(byScore.values().toArray(double[][]::new));
    return Double.isNaN(auc) ? 0.5 : auc;
  }
}
