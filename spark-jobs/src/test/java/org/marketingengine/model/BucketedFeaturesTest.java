package org.marketingengine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;

/** Optional quantile bucketing of skewed numeric features for the linear models. */
@ExtendWith(SparkExtension.class)
class BucketedFeaturesTest {

  /** {@code spend}: 1, 2, 4, ... (heavily right-skewed); {@code age}: evenly spread. */
  static Dataset<Row> rows(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(RowFactory.create(Math.pow(1.25, i), 20.0 + i, i % 2 == 0 ? 1.0 : 0.0));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add("spend", DataTypes.DoubleType)
            .add("age", DataTypes.DoubleType)
            .add("y", DataTypes.DoubleType));
  }

  @Test
  void skewedFeaturesAreCutIntoOneHotQuantileBuckets(SparkSession spark) {
    Dataset<Row> rows = rows(spark);
    List<String> skewed = ModelPipelines.skewed(rows, List.of("spend", "age"), 2.0);
    assertThat(skewed).containsExactly("spend");

    ModelPipelines.FeatureColumns columns =
        new ModelPipelines.FeatureColumns(
                List.of("spend", "age"), List.of(), List.of(), Map.of(), Map.of())
            .bucketing(skewed, 4);
    List<PipelineStage> stages = ModelPipelines.preprocessing(columns, 0.0, 0, "y", "categorical");
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);

    // Four buckets, one-hot with the last dropped, then age as it is.
    List<String> names = Explanations.featureNames(model, rows, List.of());
    assertThat(names).hasSize(4).endsWith("age");
    assertThat(names.get(0)).startsWith("spend in [-Infinity, ");
    List<Row> out = model.transform(rows).select(ModelPipelines.ASSEMBLED).collectAsList();
    int[] perBucket = new int[4];
    for (Row r : out) {
      Vector v = r.getAs(0);
      int bucket = 3;
      for (int b = 0; b < 3; b++) {
        if (v.apply(b) == 1.0) {
          bucket = b;
        }
      }
      perBucket[bucket]++;
    }
    // Quartiles of 40 values (approximate, as QuantileDiscretizer's are): about ten per bucket.
    assertThat(java.util.Arrays.stream(perBucket).boxed().toList())
        .allSatisfy(n -> assertThat(n).isBetween(9, 11));
    assertThat(out.get(0).<Vector>getAs(0).apply(0)).as("the smallest, first bucket").isEqualTo(1);
    assertThat(out.get(39).<Vector>getAs(0).apply(3)).isEqualTo(59.0);
  }
}
