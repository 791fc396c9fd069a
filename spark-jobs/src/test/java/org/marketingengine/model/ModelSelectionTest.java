package org.marketingengine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.junit.jupiter.api.Test;

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
}
