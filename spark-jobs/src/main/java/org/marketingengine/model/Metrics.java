package org.marketingengine.model;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.quality.StageCounts;
import scala.Tuple2;

/**
 * Model quality on a scored split. Classifier metrics use the positive-class probability; each
 * family is one aggregation (the AUCs one evaluator pass each).
 */
public final class Metrics {
  private Metrics() {}

  /** The positive-class probability of a classifier's output. */
  public static final String SCORE = "_score";

  /** The calibrated probability ({@link Calibration}) next to {@link #SCORE}. */
  public static final String CALIBRATED = "_calibrated";

  private static final double EPSILON = 1e-15;

  /** Adds {@link #SCORE} from the {@code probability} vector. */
  public static Dataset<Row> withScore(Dataset<Row> predictions) {
    return predictions.withColumn(
        SCORE, element_at(vector_to_array(col("probability"), "float64"), 2));
  }

  /**
   * AUC-ROC of scored rows (with {@link #SCORE}), exact: the rows and positives per distinct score
   * in one aggregation, then the ROC curve's trapezoids over the distinct scores from the highest,
   * on the driver. MLlib's {@code BinaryClassificationEvaluator} gives the same value up to 2,000
   * distinct scores and bins above that (an approximation), and runs about ten Spark jobs per call;
   * this is one or two, and the grid search calls it once per point. NaN without both classes, as
   * MLlib's. The driver holds one small row per distinct score (the validation or test split).
   */
  public static double areaUnderRoc(Dataset<Row> scored, String label) {
    List<Row> byScore =
        scored
            .where(col(SCORE).isNotNull())
            .groupBy(col(SCORE))
            .agg(
                count(lit(1)),
                sum(when(col(label).cast(DataTypes.DoubleType).gt(0.5), 1L).otherwise(0L)))
            .collectAsList();
    double[][] counts = new double[byScore.size()][];
    for (int i = 0; i < counts.length; i++) {
      Row r = byScore.get(i);
      counts[i] = new double[] {r.getDouble(0), r.getLong(1), r.getLong(2)};
    }
    return areaUnderRoc(counts);
  }

  /** The ROC curve's area from {score, rows, positives} per distinct score, in any order. */
  static double areaUnderRoc(double[][] counts) {
    double[][] sorted = counts.clone();
    Arrays.sort(sorted, (a, b) -> Double.compare(b[0], a[0]));
    double positives = 0;
    double rows = 0;
    for (double[] c : sorted) {
      rows += c[1];
      positives += c[2];
    }
    double negatives = rows - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double area = 0;
    double tp = 0;
    double fp = 0;
    for (double[] c : sorted) {
      double tpr = tp / positives;
      double fpr = fp / negatives;
      tp += c[2];
      fp += c[1] - c[2];
      area += (fp / negatives - fpr) * (tp / positives + tpr) / 2;
    }
    return area;
  }

  /**
   * AUC-ROC, AUC-PR, log loss, and accuracy, precision, recall and F1 at {@code threshold}, lift
   * and capture rate of the top decile by score.
   */
  public static Map<String, Double> classifier(
      Dataset<Row> scored, String label, double threshold) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    Dataset<Row> typed = scored.withColumn(label, col(label).cast(DataTypes.DoubleType));
    BinaryClassificationEvaluator evaluator =
        new BinaryClassificationEvaluator().setLabelCol(label).setRawPredictionCol(SCORE);
    metrics.put("auc_roc", areaUnderRoc(typed, label));
    metrics.put("auc_pr", evaluator.setMetricName("areaUnderPR").evaluate(typed));
    double[] decile = typed.stat().approxQuantile(SCORE, new double[] {0.9}, 0.001);
    double topCut = decile.length == 0 ? 1.0 : decile[0];
    Column y = col(label);
    Column p = least(greatest(col(SCORE), lit(EPSILON)), lit(1 - EPSILON));
    Column predicted = col(SCORE).geq(threshold);
    Column top = col(SCORE).gt(topCut);
    Row r =
        typed
            .agg(
                count(lit(1)),
                avg(
                    y.multiply(log(p))
                        .plus(lit(1).minus(y).multiply(log(lit(1).minus(p))))
                        .multiply(-1)),
                StageCounts.countWhere(predicted.and(y.equalTo(1))),
                StageCounts.countWhere(predicted.and(y.equalTo(0))),
                StageCounts.countWhere(predicted.unary_$bang().and(y.equalTo(1))),
                StageCounts.countWhere(predicted.unary_$bang().and(y.equalTo(0))),
                StageCounts.countWhere(top),
                StageCounts.countWhere(top.and(y.equalTo(1))))
            .first();
    long n = r.getLong(0);
    double tp = r.getLong(2);
    double fp = r.getLong(3);
    double fn = r.getLong(4);
    double tn = r.getLong(5);
    double topRows = r.getLong(6);
    double topPositives = r.getLong(7);
    double positives = tp + fn;
    double precision = tp + fp == 0 ? 0 : tp / (tp + fp);
    double recall = positives == 0 ? 0 : tp / positives;
    metrics.put("log_loss", r.isNullAt(1) ? Double.NaN : r.getDouble(1));
    metrics.put("accuracy", n == 0 ? Double.NaN : (tp + tn) / n);
    metrics.put("precision", precision);
    metrics.put("recall", recall);
    metrics.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    metrics.put("threshold", threshold);
    double baseRate = n == 0 ? 0 : positives / n;
    metrics.put(
        "top_decile_lift",
        topRows == 0 || baseRate == 0 ? Double.NaN : (topPositives / topRows) / baseRate);
    metrics.put("top_decile_capture", positives == 0 ? Double.NaN : topPositives / positives);
    metrics.put("positive_rate", baseRate);
    metrics.put("rows", (double) n);
    return metrics;
  }

  /**
   * The threshold on a grid of 0.01 (0.01 to 0.99) with the best F1 on scored validation rows, the
   * lowest among equals. F1 per threshold comes from MLlib's {@link BinaryClassificationMetrics} on
   * the scores cut down to the grid (at most 101 distinct values, so the curve is small): a grid
   * threshold between two scores predicts what the next score above it predicts.
   */
  public static double bestF1Threshold(Dataset<Row> scored, String label) {
    JavaRDD<Tuple2<Object, Object>> pairs =
        scored
            .select(
                floor(col(SCORE).multiply(100)).divide(100.0).as("s"),
                col(label).cast(DataTypes.DoubleType).as("y"))
            .javaRDD()
            .map(r -> new Tuple2<Object, Object>(r.get(0), r.get(1)));
    BinaryClassificationMetrics curve = new BinaryClassificationMetrics(pairs.rdd());
    TreeMap<Double, Double> f1ByScore = new TreeMap<>();
    for (Tuple2<Object, Object> point : curve.fMeasureByThreshold().toJavaRDD().collect()) {
      double f1 = (Double) point._2();
      f1ByScore.put((Double) point._1(), Double.isNaN(f1) ? 0.0 : f1);
    }
    curve.unpersist();
    double best = 0.5;
    double bestF1 = -1;
    for (int i = 1; i < 100; i++) {
      Map.Entry<Double, Double> next = f1ByScore.ceilingEntry(i / 100.0 - 1e-9);
      double f1 = next == null ? 0.0 : next.getValue();
      if (f1 > bestF1) {
        bestF1 = f1;
        best = i / 100.0;
      }
    }
    return best;
  }

  /** The number of score bins of {@link #scoreBins}. */
  public static final int SCORE_BINS = 100;

  /**
   * Test rows and positives per hundredth of the score ({@code bin} 0 to 99, the score in [bin /
   * 100, (bin + 1) / 100)): enough to draw the ROC and cumulative gains curves without the rows.
   */
  public static Dataset<Row> scoreBins(Dataset<Row> scored, String label) {
    Column bin =
        greatest(lit(0), least(lit(SCORE_BINS - 1), floor(col(SCORE).multiply(SCORE_BINS))))
            .cast(DataTypes.IntegerType);
    return scored
        .groupBy(bin.as("bin"))
        .agg(count(lit(1)).as("rows"), sum(col(label).cast(DataTypes.LongType)).as("positives"));
  }

  /**
   * Calibration by score decile: per decile the mean score, the observed positive rate and the mean
   * calibrated probability. Rows: decile (0 lowest), rows, mean_predicted, observed_rate,
   * mean_calibrated.
   */
  public static Dataset<Row> calibration(Dataset<Row> scored, String label) {
    double[] cuts =
        scored
            .stat()
            .approxQuantile(
                SCORE, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, 0.001);
    List<Double> splits = new ArrayList<>();
    splits.add(Double.NEGATIVE_INFINITY);
    for (double cut : cuts) {
      if (cut > splits.get(splits.size() - 1)) {
        splits.add(cut);
      }
    }
    splits.add(Double.POSITIVE_INFINITY);
    Dataset<Row> binned =
        new Bucketizer()
            .setInputCol(SCORE)
            .setOutputCol("decile")
            .setSplits(splits.stream().mapToDouble(Double::doubleValue).toArray())
            .transform(scored);
    return binned
        .groupBy(col("decile").cast(DataTypes.IntegerType).as("decile"))
        .agg(
            count(lit(1)).as("rows"),
            avg(col(SCORE)).as("mean_predicted"),
            avg(col(label).cast(DataTypes.DoubleType)).as("observed_rate"),
            avg(java.util.Arrays.asList(scored.columns()).contains(CALIBRATED)
                    ? col(CALIBRATED)
                    : col(SCORE))
                .as("mean_calibrated"))
        .orderBy("decile");
  }

  /**
   * How well the probabilities match the outcomes, before and after calibration: Brier score (mean
   * squared error of the probability) of {@link #SCORE} and of {@link #CALIBRATED}, the log loss of
   * {@link #CALIBRATED}, and the mean of each against the positive rate.
   */
  public static Map<String, Double> calibrationQuality(Dataset<Row> scored, String label) {
    Column y = col(label).cast(DataTypes.DoubleType);
    Column p = least(greatest(col(CALIBRATED), lit(EPSILON)), lit(1 - EPSILON));
    Row r =
        scored
            .agg(
                avg(pow(col(SCORE).minus(y), 2)),
                avg(pow(col(CALIBRATED).minus(y), 2)),
                avg(
                    y.multiply(log(p))
                        .plus(lit(1).minus(y).multiply(log(lit(1).minus(p))))
                        .multiply(-1)),
                avg(col(SCORE)),
                avg(col(CALIBRATED)))
            .first();
    Map<String, Double> metrics = new LinkedHashMap<>();
    String[] names = {
      "brier", "brier_calibrated", "log_loss_calibrated", "mean_predicted", "mean_calibrated"
    };
    for (int i = 0; i < names.length; i++) {
      metrics.put(names[i], r.isNullAt(i) ? Double.NaN : r.getDouble(i));
    }
    return metrics;
  }

  /**
   * RMSE, MAE and R2 of {@code prediction} against {@code label}, from MLlib's {@link
   * RegressionMetrics} (R2 is NaN when the label is constant), and the rows.
   */
  public static Map<String, Double> regression(Dataset<Row> rows, String label, Column prediction) {
    Dataset<Row> pairs =
        rows.select(
                prediction.cast(DataTypes.DoubleType).as("p"),
                col(label).cast(DataTypes.DoubleType).as("y"))
            .cache();
    try {
      long n = pairs.count();
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (n == 0) {
        metrics.put("rmse", Double.NaN);
        metrics.put("mae", Double.NaN);
        metrics.put("r2", Double.NaN);
      } else {
        RegressionMetrics m =
            new RegressionMetrics(
                pairs.javaRDD().map(r -> new Tuple2<Object, Object>(r.get(0), r.get(1))).rdd());
        double r2 = m.r2();
        metrics.put("rmse", m.rootMeanSquaredError());
        metrics.put("mae", m.meanAbsoluteError());
        metrics.put("r2", Double.isInfinite(r2) ? Double.NaN : r2);
      }
      metrics.put("rows", (double) n);
      return metrics;
    } finally {
      pairs.unpersist();
    }
  }
}
