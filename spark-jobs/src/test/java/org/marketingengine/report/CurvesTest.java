package org.marketingengine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.marketingengine.model.Metrics;
import org.marketingengine.report.ReportSummary.Point;
import org.marketingengine.testing.SparkExtension;

class CurvesTest {

  /** Four test rows: scores 0.9 (positive), 0.7 (negative), 0.5 (positive), 0.2 (negative). */
  private static Dataset<Row> fourScores(SparkSession spark) {
    StructType schema =
        new StructType()
            .add(Metrics.SCORE, DataTypes.DoubleType)
            .add("label", DataTypes.DoubleType);
    return spark.createDataFrame(
        List.of(
            RowFactory.create(0.9, 1.0),
            RowFactory.create(0.7, 0.0),
            RowFactory.create(0.5, 1.0),
            RowFactory.create(0.2, 0.0)),
        schema);
  }

  private static List<Curves.Bin> bins(Dataset<Row> binned) {
    List<Curves.Bin> bins = new ArrayList<>();
    for (Row r : binned.collectAsList()) {
      bins.add(
          new Curves.Bin(
              r.<Integer>getAs("bin"), r.<Long>getAs("rows"), r.<Long>getAs("positives")));
    }
    return bins;
  }

  @Test
  void rocAndGainsOfFourScoresFromTheirBins() {
    SparkSession spark = SparkExtension.spark();
    Dataset<Row> scored = fourScores(spark);
    List<Curves.Bin> bins = bins(Metrics.scoreBins(scored, "label"));

    assertThat(bins).hasSize(4);
    assertThat(Curves.roc(bins))
        .containsExactly(
            new Point(0, 0),
            new Point(0, 0.5),
            new Point(0.5, 0.5),
            new Point(0.5, 1),
            new Point(1, 1));
    assertThat(Curves.gains(bins))
        .containsExactly(
            new Point(0, 0),
            new Point(0.25, 0.5),
            new Point(0.5, 0.5),
            new Point(0.75, 1),
            new Point(1, 1));
    double mllib =
        new BinaryClassificationEvaluator()
            .setRawPredictionCol(Metrics.SCORE)
            .setLabelCol("label")
            .evaluate(scored);
    assertThat(Curves.area(Curves.roc(bins))).isCloseTo(mllib, within(1e-12)).isEqualTo(0.75);
  }

  @Test
  void scoresOfOneBinCountAsATie() {
    List<Curves.Bin> oneBin = List.of(new Curves.Bin(42, 10, 5));
    assertThat(Curves.area(Curves.roc(oneBin))).isEqualTo(0.5);
    assertThat(Curves.roc(List.of())).containsExactly(new Point(0, 0));
  }
}
