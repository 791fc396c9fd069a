package org.marketingengine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class ModelSelectionTest {

  @Test
  void pointsDifferingOnlyInTheElasticNetMixWithoutRegularisationAreFitOnce() {
    LogisticRegression logreg = new LogisticRegression();
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(logreg.regParam(), new double[] {0.0, 0.01, 0.1})
            .addGrid(logreg.elasticNetParam(), new double[] {0.0, 0.5})
            .build();

    ParamMap[] distinct = ModelSelection.distinct(grid);

    assertThat(grid).hasSize(6);
    assertThat(distinct).hasSize(5);
    // The unregularised point kept is the grid's first one, the one a tie would have chosen.
    ParamMap firstUnregularised =
        Arrays.stream(grid)
            .filter(p -> (double) p.apply(logreg.regParam()) == 0.0)
            .findFirst()
            .orElseThrow();
    assertThat(
            Arrays.stream(distinct)
                .filter(p -> (double) p.apply(logreg.regParam()) == 0.0)
                .map(ModelSelection::describe))
        .containsExactly(ModelSelection.describe(firstUnregularised));
    assertThat(Arrays.stream(distinct).map(ModelSelection::describe))
        .contains(
            "elasticNetParam=0.0, regParam=0.01",
            "elasticNetParam=0.5, regParam=0.01",
            "elasticNetParam=0.0, regParam=0.1",
            "elasticNetParam=0.5, regParam=0.1");
  }

  @Test
  void otherGridsAreLeftAsTheyAre() {
    MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier();
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(mlp.maxIter(), new int[] {50, 100})
            .addGrid(mlp.stepSize(), new double[] {0.01, 0.03})
            .build();
    assertThat(ModelSelection.distinct(grid)).containsExactly(grid);
  }

  @Test
  void theLogNamesTheIterationsOfTheFitsThatHaveThem(SparkSession spark) {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double x = random.nextGaussian();
      double y = random.nextGaussian();
      double label = random.nextDouble() < 1 / (1 + Math.exp(-(2 * x - y))) ? 1 : 0;
      rows.add(RowFactory.create(label, Vectors.dense(x, y)));
    }
    Dataset<Row> data =
        spark.createDataFrame(
            rows,
            new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT()));

    String strict = ModelSelection.iterations(new LogisticRegression().setTol(1e-9).fit(data));
    String loose = ModelSelection.iterations(new LogisticRegression().setTol(1e-2).fit(data));

    assertThat(strict).matches(" \\(\\d+ iterations\\)");
    assertThat(loose).matches(" \\(\\d+ iterations\\)");
    assertThat(count(loose)).isPositive().isLessThan(count(strict));
    assertThat(ModelSelection.iterations(new GBTClassifier().setMaxIter(2).fit(data))).isEmpty();
  }

  private static int count(String iterations) {
    return Integer.parseInt(iterations.replaceAll("\\D", ""));
  }
}
