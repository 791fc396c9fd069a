package org.marketingengine.model;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.pow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;

/** Platt scaling recovers a known distortion of the scores and lowers the Brier score. */
@ExtendWith(SparkExtension.class)
class CalibrationTest {

  /**
   * 20,000 rows whose true probability is sigmoid(x) and whose score is sigmoid(2x + 1): too
   * confident and too high, as a class-weighted model is. Platt's slope is 0.5, intercept -0.5.
   */
  static Dataset<Row> distorted(SparkSession spark, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double x = random.nextGaussian() * 1.5 - 1;
      double p = 1 / (1 + Math.exp(-x));
      double score = 1 / (1 + Math.exp(-(2 * x + 1)));
      rows.add(RowFactory.create(score, random.nextDouble() < p ? 1 : 0));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add(Metrics.SCORE, DataTypes.DoubleType)
            .add("label", DataTypes.IntegerType));
  }

  @Test
  void plattScalingUndoesAKnownDistortion(SparkSession spark) {
    Calibration platt = Calibration.fit(distorted(spark, 1), "label");
    assertThat(platt.slope()).isCloseTo(0.5, within(0.05));
    assertThat(platt.intercept()).isCloseTo(-0.5, within(0.08));

    Dataset<Row> test =
        distorted(spark, 2).withColumn("calibrated", platt.apply(col(Metrics.SCORE)));
    Row brier =
        test.agg(
                avg(pow(col(Metrics.SCORE).minus(col("label")), 2)),
                avg(pow(col("calibrated").minus(col("label")), 2)),
                avg(col("calibrated")),
                avg(col("label")))
            .first();
    assertThat(brier.getDouble(1)).isLessThan(brier.getDouble(0) - 0.01);
    assertThat(brier.getDouble(2)).isCloseTo(brier.getDouble(3), within(0.01));
    // Monotone: the order of the scores, and so the AUC, is unchanged.
    assertThat(test.where(col(Metrics.SCORE).gt(0.5).and(col("calibrated").lt(0.2))).count())
        .isZero();
  }

  @Test
  void oneClassOnlyOrAReversedRankingLeavesTheScoresAsTheyAre(SparkSession spark) {
    Dataset<Row> allNegative = distorted(spark, 3).withColumn("label", col("label").multiply(0));
    assertThat(Calibration.fit(allNegative, "label")).isEqualTo(Calibration.IDENTITY);
    Dataset<Row> reversed =
        distorted(spark, 4)
            .withColumn(
                Metrics.SCORE, org.apache.spark.sql.functions.lit(1.0).minus(col(Metrics.SCORE)));
    assertThat(Calibration.fit(reversed, "label")).isEqualTo(Calibration.IDENTITY);
  }
}
