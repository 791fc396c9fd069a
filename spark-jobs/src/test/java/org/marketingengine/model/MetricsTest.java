package org.marketingengine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class MetricsTest {

  private static final StructType SCORED =
      new StructType().add(Metrics.SCORE, DataTypes.DoubleType).add("y", DataTypes.IntegerType);

  @Test
  void areaUnderRocIsMllibsWhereMllibIsExactAndHandlesTies(SparkSession spark) {
    // 1,500 rows on 300 distinct scores (ties of 5), positives more likely at high scores: below
    // the 2,000 distinct scores where MLlib's evaluator starts binning, so it is exact too.
    java.util.Random random = new java.util.Random(11);
    java.util.List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      double score = (i % 300) / 300.0;
      rows.add(org.apache.spark.sql.RowFactory.create(score, random.nextDouble() < score ? 1 : 0));
    }
    Dataset<Row> scored = spark.createDataFrame(rows, SCORED).repartition(3);
    double mllib =
        new org.apache.spark.ml.evaluation.BinaryClassificationEvaluator()
            .setLabelCol("y")
            .setRawPredictionCol(Metrics.SCORE)
            .evaluate(scored.withColumn("y", scored.col("y").cast(DataTypes.DoubleType)));

    assertThat(mllib).isBetween(0.7, 0.9);
    assertThat(Metrics.areaUnderRoc(scored, "y")).isCloseTo(mllib, within(1e-12));
    // a tie between a positive and a negative counts half: 1 positive, 1 negative, same score
    assertThat(Metrics.areaUnderRoc(new double[][] {{0.5, 2, 1}})).isEqualTo(0.5);
    assertThat(Metrics.areaUnderRoc(new double[][] {{0.2, 1, 0}, {0.9, 1, 1}})).isEqualTo(1.0);
    assertThat(Metrics.areaUnderRoc(new double[][] {{0.2, 3, 0}, {0.9, 1, 0}})).isNaN();
  }

  @Test
  void classifierMetricsOfAHandMadeExample(SparkSession spark) {
    // scores 0.9 0.8 0.7 0.6 0.4 0.3 0.2 0.1 0.05 0.01, positives at 0.9, 0.8, 0.4
    Dataset<Row> scored =
        DataFrames.of(
            spark,
            SCORED,
            new Object[] {0.9, 1},
            new Object[] {0.8, 1},
            new Object[] {0.7, 0},
            new Object[] {0.6, 0},
            new Object[] {0.4, 1},
            new Object[] {0.3, 0},
            new Object[] {0.2, 0},
            new Object[] {0.1, 0},
            new Object[] {0.05, 0},
            new Object[] {0.01, 0});

    Map<String, Double> m = Metrics.classifier(scored, "y", 0.5);

    // pairs (positive, negative) ranked right: 0.9 and 0.8 beat all 7; 0.4 beats 5 of 7
    assertThat(m.get("auc_roc")).isCloseTo(19.0 / 21, within(1e-9));
    // at 0.5: predicted 0.9 0.8 0.7 0.6 -> tp 2, fp 2; fn 1
    assertThat(m.get("precision")).isEqualTo(0.5);
    assertThat(m.get("recall")).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(m.get("f1")).isCloseTo(4.0 / 7, within(1e-9));
    assertThat(m.get("accuracy")).isEqualTo(0.7);
    // top decile = the 0.9 row: 100% positive vs 30% overall
    assertThat(m.get("top_decile_lift")).isCloseTo(1 / 0.3, within(1e-9));
    assertThat(m.get("top_decile_capture")).isCloseTo(1.0 / 3, within(1e-9));
    // -log(p) for positives 0.9 0.8 0.4, -log(1 - p) for the seven negatives
    double logLoss =
        -(Math.log(0.9)
                + Math.log(0.8)
                + Math.log(0.4)
                + Math.log(0.3)
                + Math.log(0.4)
                + Math.log(0.7)
                + Math.log(0.8)
                + Math.log(0.9)
                + Math.log(0.95)
                + Math.log(0.99))
            / 10;
    assertThat(m.get("log_loss")).isCloseTo(logLoss, within(1e-9));
    // cut in (0.7, 0.8]: tp 2, fp 0, fn 1, F1 0.8 beats 0.75 at 0.4; the lowest such cut is kept
    assertThat(Metrics.bestF1Threshold(scored, "y")).isEqualTo(0.71);
  }

  @Test
  void regressionMetricsOfAHandMadeExample(SparkSession spark) {
    StructType schema =
        new StructType().add("y", DataTypes.DoubleType).add("prediction", DataTypes.DoubleType);
    Dataset<Row> rows =
        DataFrames.of(
            spark,
            schema,
            new Object[] {1.0, 2.0},
            new Object[] {3.0, 3.0},
            new Object[] {5.0, 3.0});

    Map<String, Double> m =
        Metrics.regression(rows, "y", org.apache.spark.sql.functions.col("prediction"));

    assertThat(m.get("rmse")).isCloseTo(Math.sqrt(5.0 / 3), within(1e-9));
    assertThat(m.get("mae")).isCloseTo(1.0, within(1e-9));
    // var_pop(y) = 8/3, mse = 5/3
    assertThat(m.get("r2")).isCloseTo(1 - (5.0 / 3) / (8.0 / 3), within(1e-9));
  }

  @Test
  void calibrationHasOneRowPerDecile(SparkSession spark) {
    Object[][] rows = new Object[100][];
    for (int i = 0; i < 100; i++) {
      rows[i] = new Object[] {i / 100.0, i % 10 == 0 ? 1 : 0};
    }
    Dataset<Row> calibration = Metrics.calibration(DataFrames.of(spark, SCORED, rows), "y");

    assertThat(calibration.count()).isEqualTo(10);
    assertThat(calibration.agg(org.apache.spark.sql.functions.sum("rows")).first().getLong(0))
        .isEqualTo(100);
  }
}
