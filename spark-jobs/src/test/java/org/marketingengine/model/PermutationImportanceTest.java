package org.marketingengine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;
import scala.Tuple2;

@ExtendWith(SparkExtension.class)
class PermutationImportanceTest {

  @Test
  void theAucAgreesWithMllibWithTies(SparkSession spark) {
    Random random = new Random(3);
    List<double[]> points = new ArrayList<>();
    List<Tuple2<Object, Object>> pairs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      double label = random.nextDouble() < 0.3 ? 1 : 0;
      // Scores on a coarse grid, so that many tie.
      double score = Math.round((label * 0.3 + random.nextDouble()) * 10) / 10.0;
      points.add(new double[] {score, label});
      pairs.add(new Tuple2<>(score, label));
    }
    double mllib =
        new BinaryClassificationMetrics(
                spark
                    .sparkContext()
                    .parallelize(
                        scala.jdk.javaapi.CollectionConverters.asScala(pairs).toSeq(),
                        2,
                        scala.reflect.ClassTag$.MODULE$.apply(Tuple2.class)))
            .areaUnderROC();

    assertThat(PermutationImportance.areaUnderRoc(points)).isCloseTo(mllib, within(1e-9));
    assertThat(PermutationImportance.areaUnderRoc(List.of(new double[] {0.4, 1}))).isEqualTo(0.5);
  }

  @Test
  void shufflingTheInputThatDecidesCostsAucAndNoiseCostsNothing(SparkSession spark) {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      double signal = random.nextGaussian();
      double label = signal + 0.5 * random.nextGaussian() > 0 ? 1.0 : 0.0;
      rows.add(RowFactory.create("a" + i, signal, random.nextGaussian(), label));
    }
    Dataset<Row> data =
        spark.createDataFrame(
            rows,
            new StructType()
                .add("anchor_id", DataTypes.StringType)
                .add("signal", DataTypes.DoubleType)
                .add("noise", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType));
    PipelineModel model =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler()
                      .setInputCols(new String[] {"signal", "noise"})
                      .setOutputCol("features"),
                  new LogisticRegression().setLabelCol("label")
                })
            .fit(data);

    Map<String, Double> importance =
        PermutationImportance.of(
                spark, "m", model, data, List.of("signal", "noise"), "label", 42L, 1000)
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(1), r -> r.getDouble(3)));
    Map<String, Double> again =
        PermutationImportance.of(
                spark, "m", model, data, List.of("signal", "noise"), "label", 42L, 1000)
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(1), r -> r.getDouble(3)));

    assertThat(importance.get("signal")).isGreaterThan(0.3);
    assertThat(importance.get("noise")).isCloseTo(0.0, within(0.02));
    assertThat(again).as("seeded sample and shuffles").isEqualTo(importance);
  }
}
