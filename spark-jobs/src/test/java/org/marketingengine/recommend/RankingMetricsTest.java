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

    Map<String, Double> precision =
        perUser(rows, RankingMetrics.precisionAt(col("rec"), col("rel"), 3));
    assertThat(precision.get("u1")).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(precision.get("u2")).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(precision.get("u3")).isZero();

    Map<String, Double> recall = perUser(rows, RankingMetrics.recallAt(col("rec"), col("rel"), 3));
    assertThat(recall.get("u1")).isCloseTo(1.0, within(1e-9));
    assertThat(recall.get("u2")).isCloseTo(0.5, within(1e-9));
    assertThat(recall.get("u3")).isZero();

    // u1: hits at 1 and 3: DCG 1 + 1/log2(4) = 1.5; ideal (2 hits) 1 + 1/log2(3).
    Map<String, Double> ndcg = perUser(rows, RankingMetrics.ndcgAt(col("rec"), col("rel"), 3));
    assertThat(ndcg.get("u1")).isCloseTo((1 + 1 / log4) / (1 + 1 / log3), within(1e-9));
    // u2: hit at 3: 1/log2(4) = 0.5; ideal (2 relevant, k 3) 1 + 1/log2(3).
    assertThat(ndcg.get("u2")).isCloseTo(0.5 / (1 + 1 / log3), within(1e-9));
    assertThat(ndcg.get("u3")).isZero();

    // u1: (1/1 + 2/3) / 2; u2: (1/3) / 2.
    Map<String, Double> map =
        perUser(rows, RankingMetrics.averagePrecisionAt(col("rec"), col("rel"), 3));
    assertThat(map.get("u1")).isCloseTo((1 + 2 / 3.0) / 2, within(1e-9));
    assertThat(map.get("u2")).isCloseTo(1 / 6.0, within(1e-9));
    assertThat(map.get("u3")).isZero();

    Map<String, Double> hit = perUser(rows, RankingMetrics.hitAt(col("rec"), col("rel"), 3));
    assertThat(hit).containsEntry("u1", 1.0).containsEntry("u2", 1.0).containsEntry("u3", 0.0);

    // At k = 1 only the first item counts.
    Map<String, Double> precisionAt1 =
        perUser(rows, RankingMetrics.precisionAt(col("rec"), col("rel"), 1));
    assertThat(precisionAt1).containsEntry("u1", 1.0).containsEntry("u2", 0.0);
    Map<String, Double> ndcgAt1 = perUser(rows, RankingMetrics.ndcgAt(col("rec"), col("rel"), 1));
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
    assertThat(perUser(rows, RankingMetrics.ndcgAt(col("rec"), col("rel"), 10)).get("u1")).isZero();
    assertThat(
            perUser(rows, RankingMetrics.averagePrecisionAt(col("rec"), col("rel"), 10)).get("u1"))
        .isZero();
  }

  /**
   * The expressions compute what MLlib's RDD-based RankingMetrics computes, on random lists of
   * varied lengths (with empty and short lists among them) at several k.
   */
  @Test
  void agreeWithMllibRankingMetrics(SparkSession spark) {
    java.util.Random random = new java.util.Random(7);
    List<Row> rows = new java.util.ArrayList<>();
    List<scala.Tuple2<List<String>, List<String>>> pairs = new java.util.ArrayList<>();
    for (int u = 0; u < 300; u++) {
      List<String> recommended = new java.util.ArrayList<>();
      for (int i = 0; i < random.nextInt(15); i++) {
        String item = "i" + random.nextInt(40);
        if (!recommended.contains(item)) {
          recommended.add(item);
        }
      }
      java.util.Set<String> relevant = new java.util.TreeSet<>();
      for (int i = 0; i < 1 + random.nextInt(8); i++) {
        relevant.add("i" + random.nextInt(40));
      }
      rows.add(
          RowFactory.create(
              "u" + u, recommended.toArray(String[]::new), relevant.toArray(String[]::new)));
      pairs.add(new scala.Tuple2<>(recommended, List.copyOf(relevant)));
    }
    Dataset<Row> lists =
        spark.createDataFrame(
            rows,
            new StructType()
                .add("user", DataTypes.StringType)
                .add("rec", DataTypes.createArrayType(DataTypes.StringType))
                .add("rel", DataTypes.createArrayType(DataTypes.StringType)));
    org.apache.spark.mllib.evaluation.RankingMetrics<String> mllib =
        org.apache.spark.mllib.evaluation.RankingMetrics.of(
            new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(pairs));
    for (int k : new int[] {1, 3, 10, 20}) {
      Row ours =
          lists
              .agg(
                  org.apache.spark.sql.functions.avg(
                      RankingMetrics.precisionAt(col("rec"), col("rel"), k)),
                  org.apache.spark.sql.functions.avg(
                      RankingMetrics.recallAt(col("rec"), col("rel"), k)),
                  org.apache.spark.sql.functions.avg(
                      RankingMetrics.ndcgAt(col("rec"), col("rel"), k)),
                  org.apache.spark.sql.functions.avg(
                      RankingMetrics.averagePrecisionAt(col("rec"), col("rel"), k)))
              .first();
      assertThat(ours.getDouble(0))
          .as("precision@" + k)
          .isCloseTo(mllib.precisionAt(k), within(1e-12));
      assertThat(ours.getDouble(1)).as("recall@" + k).isCloseTo(mllib.recallAt(k), within(1e-12));
      assertThat(ours.getDouble(2)).as("ndcg@" + k).isCloseTo(mllib.ndcgAt(k), within(1e-12));
      assertThat(ours.getDouble(3))
          .as("map@" + k)
          .isCloseTo(mllib.meanAveragePrecisionAt(k), within(1e-12));
    }
  }
}
