package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class ExplanationsTest {

  @Test
  void topDriversAreTheLargestPositiveContributions(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add(ModelPipelines.FEATURES, SQLDataTypes.VectorType());
    // coefficients 2, -1, 0.5, 1; contributions of u1: 2, -3, 1.5, 0.5; of u2: -2, 1, 0, 0
    List<Row> rows =
        DataFrames.of(
                spark,
                schema,
                new Object[] {"u1", Vectors.dense(1, 3, 3, 0.5)},
                new Object[] {"u2", Vectors.dense(-1, -1, 0, 0)})
            .select(
                col("user_id"),
                Explanations.topDrivers(
                        List.of("recency", "price", "frequency", "income"),
                        Vectors.dense(2, -1, 0.5, 1),
                        3)
                    .as("drivers"))
            .orderBy("user_id")
            .collectAsList();

    assertThat(rows.get(0).<String>getList(1)).containsExactly("recency", "frequency", "income");
    assertThat(rows.get(1).<String>getList(1)).containsExactly("price");
  }

  @Test
  void treesWithoutPermutationImportanceGiveTheirSplitGainShares(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType)
            .add(ModelPipelines.FEATURES, SQLDataTypes.VectorType());
    java.util.List<Object[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // the label is the first input; the second is constant
      rows.add(new Object[] {(double) (i % 2), Vectors.dense(i % 2, 1.0)});
    }
    PipelineModel model =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new GBTClassifier()
                      .setFeaturesCol(ModelPipelines.FEATURES)
                      .setLabelCol("label")
                      .setMaxIter(3)
                      .setSeed(1)
                })
            .fit(DataFrames.of(spark, schema, rows.toArray(Object[][]::new)));

    List<Row> importance =
        Explanations.importance(spark, "purchase_gbt", List.of("signal", "constant"), model)
            .orderBy("feature")
            .collectAsList();

    assertThat(importance).hasSize(2);
    assertThat(importance.get(1).<String>getAs("feature")).isEqualTo("signal");
    assertThat(importance.get(1).<Double>getAs("importance")).isEqualTo(1.0);
    assertThat(importance.get(0).<Double>getAs("importance")).isEqualTo(0.0);
    assertThat(importance.get(1).isNullAt(importance.get(1).fieldIndex("coefficient"))).isTrue();
  }

  @Test
  void oneHotNamesKeepUnderscoresOfTheColumn() {
    List<String> categorical = List.of("top_category", "region");

    assertThat(Explanations.readable("_ohe_top_category_home_garden", categorical))
        .isEqualTo("top_category=home_garden");
    assertThat(Explanations.readable("_imp_recency_days", categorical)).isEqualTo("recency_days");
    assertThat(Explanations.readable("category_affinity_3", categorical))
        .isEqualTo("category_affinity_3");
  }
}
