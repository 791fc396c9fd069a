package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
  void oneHotNamesKeepUnderscoresOfTheColumn() {
    List<String> categorical = List.of("top_category", "region");

    assertThat(Explanations.readable("_ohe_top_category_home_garden", categorical))
        .isEqualTo("top_category=home_garden");
    assertThat(Explanations.readable("_imp_recency_days", categorical)).isEqualTo("recency_days");
    assertThat(Explanations.readable("category_affinity_3", categorical))
        .isEqualTo("category_affinity_3");
  }
}
