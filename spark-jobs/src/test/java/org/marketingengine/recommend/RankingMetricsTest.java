package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
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
class RankingMetricsTest {

  /**
   * Three users, k = 3. u1: [a, b, c], relevant {a, c}; u2: [d, e, f], relevant {f, x}; u3: [g, h,
   * i], relevant {z}.
   */
  private static Dataset<Row> example(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user", DataTypes.StringType)
            .add("rec", DataTypes.createArrayType(DataTypes.StringType))
            .add("rel", DataTypes.createArrayType(DataTypes.StringType));
    return spark.createDataFrame(
        List.of(
            RowFactory.create("u1", new String[] {"a", "b", "c"}, new String[] {"a", "c"}),
            RowFactory.create("u2", new String[] {"d", "e", "f"}, new String[] {"f", "x"}),
            RowFactory.create("u3", new String[] {"g", "h", "i"}, new String[] {"z"})),
        schema);
  }

  private static Map<String, Double> perUser(Dataset<Row> rows, org.apache.spark.sql.Column m) {
    Map<String, Double> out = new java.util.HashMap<>();
    for (Row r : rows.select(col("user"), m.as("m")).collectAsList()) {
      out.put(r.getString(0), r.getDouble(1));
    }
    return out;
  }

  @Test
  void metricsMatchHandComputedValues(SparkSession spark) {
    Dataset<Row> rows = example(spark);
    double log3 = Math.log(3) / Math.log(2);
    double log4 = 2.0;

    Map<String, Double> precision = perUser(rows, RankingMetrics.precisionAt("rec", "rel", 3));
    assertThat(precision.get("u1")).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(precision.get("u2")).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(precision.get("u3")).isZero();

    Map<String, Double> recall = perUser(rows, RankingMetrics.recallAt("rec", "rel", 3));
    assertThat(recall.get("u1")).isCloseTo(1.0, within(1e-9));
    assertThat(recall.get("u2")).isCloseTo(0.5, within(1e-9));
    assertThat(recall.get("u3")).isZero();

    // u1: hits at 1 and 3: DCG 1 + 1/log2(4) = 1.5; ideal (2 hits) 1 + 1/log2(3).
    Map<String, Double> ndcg = perUser(rows, RankingMetrics.ndcgAt("rec", "rel", 3));
    assertThat(ndcg.get("u1")).isCloseTo((1 + 1 / log4) / (1 + 1 / log3), within(1e-9));
    // u2: hit at 3: 1/log2(4) = 0.5; ideal (2 relevant, k 3) 1 + 1/log2(3).
    assertThat(ndcg.get("u2")).isCloseTo(0.5 / (1 + 1 / log3), within(1e-9));
    assertThat(ndcg.get("u3")).isZero();

    // u1: (1/1 + 2/3) / 2; u2: (1/3) / 2.
    Map<String, Double> map = perUser(rows, RankingMetrics.averagePrecisionAt("rec", "rel", 3));
    assertThat(map.get("u1")).isCloseTo((1 + 2 / 3.0) / 2, within(1e-9));
    assertThat(map.get("u2")).isCloseTo(1 / 6.0, within(1e-9));
    assertThat(map.get("u3")).isZero();

    Map<String, Double> hit = perUser(rows, RankingMetrics.hitAt("rec", "rel", 3));
    assertThat(hit).containsEntry("u1", 1.0).containsEntry("u2", 1.0).containsEntry("u3", 0.0);

    // At k = 1 only the first item counts.
    Map<String, Double> precisionAt1 = perUser(rows, RankingMetrics.precisionAt("rec", "rel", 1));
    assertThat(precisionAt1).containsEntry("u1", 1.0).containsEntry("u2", 0.0);
    Map<String, Double> ndcgAt1 = perUser(rows, RankingMetrics.ndcgAt("rec", "rel", 1));
    assertThat(ndcgAt1).containsEntry("u1", 1.0).containsEntry("u2", 0.0);
  }

  @Test
  void anEmptyListScoresZero(SparkSession spark) {
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(RowFactory.create("u1", new String[] {}, new String[] {"a"})),
            new StructType()
                .add("user", DataTypes.StringType)
                .add("rec", DataTypes.createArrayType(DataTypes.StringType))
                .add("rel", DataTypes.createArrayType(DataTypes.StringType)));
    assertThat(perUser(rows, RankingMetrics.ndcgAt("rec", "rel", 10)).get("u1")).isZero();
    assertThat(perUser(rows, RankingMetrics.averagePrecisionAt("rec", "rel", 10)).get("u1"))
        .isZero();
  }
}
