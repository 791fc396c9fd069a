package org.marketingengine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;

/** A numeric feature's sentinel value becomes missing plus an indicator the models see. */
@ExtendWith(SparkExtension.class)
class SentinelFeaturesTest {

  @Test
  void theSentinelBecomesAnIndicatorAndTheMedianOfTheRest(SparkSession spark) {
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1.0, 5.0),
                RowFactory.create(2.0, 6.0),
                RowFactory.create(999.0, 7.0),
                RowFactory.create(4.0, 999.0),
                RowFactory.create(null, 8.0),
                RowFactory.create(999.0, 9.0)),
            new StructType().add("pdays", DataTypes.DoubleType).add("other", DataTypes.DoubleType));
    ModelPipelines.FeatureColumns columns =
        new ModelPipelines.FeatureColumns(
            List.of("pdays", "other"), List.of(), List.of(), Map.of(), Map.of("pdays", 999.0));
    List<PipelineStage> stages = ModelPipelines.preprocessing(columns, 0.0, 0, "y", "categorical");
    Dataset<Row> out =
        new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows).transform(rows);

    List<Row> result = out.select("_never_pdays", "_imp_pdays", "_imp_other").collectAsList();
    assertThat(result)
        .extracting(r -> r.getDouble(0))
        .containsExactly(0.0, 0.0, 1.0, 0.0, 0.0, 1.0);
    // The median of 1, 2 and 4 (the sentinel and the null are missing) fills both.
    assertThat(result.get(2).getDouble(1)).isEqualTo(2.0);
    assertThat(result.get(4).getDouble(1)).isEqualTo(2.0);
    assertThat(result.get(3).getDouble(1)).isEqualTo(4.0);
    assertThat(result.get(3).getDouble(2)).as("no sentinel configured for other").isEqualTo(999.0);
    assertThat(Explanations.readable("_never_pdays", List.of())).isEqualTo("pdays_never");
  }
}
