package org.marketingengine.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
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
class AlsTopKTest {
  private static final int RANK = 5;

  @Test
  void bestIsTheHighestFirstWithTiesToTheSmallerIndex() {
    float[] scores = {9f, 0.5f, 3f, 7f, 3f, 7f, -1f, 3f};
    // Read from offset 1: 0.5, 3, 7, 3, 7, -1, 3 at relative indices 0..6.
    assertThat(AlsTopK.best(scores, 1, 7, 4)).containsExactly(2, 4, 1, 3);
    assertThat(AlsTopK.best(scores, 0, 8, 1)).containsExactly(0);
    assertThat(AlsTopK.best(scores, 0, 3, 10)).containsExactly(0, 2, 1);
    assertThat(AlsTopK.best(scores, 0, 8, 0)).isEmpty();
  }

  @Test
  void topKOfEveryUserMatchesTheDotProductsAcrossBlocksAndPartitions(SparkSession spark) {
    Random random = new Random(7);
    List<Row> users = new ArrayList<>();
    for (int u = 0; u < 50; u++) {
      users.add(RowFactory.create("u" + u, factors(random)));
    }
    List<Row> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      items.add(RowFactory.create(String.format("i%03d", i), factors(random)));
    }
    StructType userSchema = schema("user_id");
    StructType itemSchema = schema("item_id");
    // Blocks of 7 users (2,100 scores over 300 items), users spread over 3 partitions.
    Dataset<Row> top =
        AlsTopK.of(
            spark.createDataFrame(users, userSchema).repartition(3),
            spark.createDataFrame(items, itemSchema),
            10,
            2_100);

    Map<String, List<String>> got =
        top.collectAsList().stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.getString(0),
                    Collectors.mapping(r -> r.getString(1), Collectors.toList())));
    assertThat(got).hasSize(50);
    for (Row u : users) {
      List<Float> uf = factorsOf(u);
      List<String> expected =
          items.stream()
              .sorted(
                  Comparator.comparingDouble((Row i) -> -dot(uf, factorsOf(i)))
                      .thenComparing(i -> i.getString(0)))
              .limit(10)
              .map(i -> i.getString(0))
              .toList();
      assertThat(got.get(u.getString(0))).as(u.getString(0)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void theBroadcastPathAndMllibsTopKChooseTheSameItems(SparkSession spark) {
    Random random = new Random(11);
    List<Row> ratings = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      for (int n = 0; n < 15; n++) {
        ratings.add(RowFactory.create(u, random.nextInt(60), 1f + random.nextInt(5)));
      }
    }
    ALSModel als =
        new ALS()
            .setImplicitPrefs(true)
            .setRank(4)
            .setMaxIter(5)
            .setSeed(3)
            .setUserCol("u")
            .setItemCol("i")
            .setRatingCol("r")
            .fit(
                spark.createDataFrame(
                    ratings,
                    new StructType()
                        .add("u", DataTypes.IntegerType)
                        .add("i", DataTypes.IntegerType)
                        .add("r", DataTypes.FloatType)));
    Dataset<Row> userIndex = index(spark, "user_id", "u", 40);
    Dataset<Row> itemIndex = index(spark, "item_id", "i", 60);
    List<Row> wanted = new ArrayList<>();
    IntStream.range(0, 40).forEach(u -> wanted.add(RowFactory.create("u" + u)));
    wanted.add(RowFactory.create("cold")); // unknown to ALS: no candidates from it
    Dataset<Row> users =
        spark.createDataFrame(wanted, new StructType().add("user_id", DataTypes.StringType));

    List<Row> broadcast =
        Candidates.alsTopK(als, userIndex, itemIndex, users, 8, Long.MAX_VALUE)
            .orderBy("user_id", "item_id")
            .collectAsList();
    List<Row> mllib =
        Candidates.alsTopK(als, userIndex, itemIndex, users, 8, 0)
            .orderBy("user_id", "item_id")
            .collectAsList();
    assertThat(broadcast).hasSize(40 * 8).isEqualTo(mllib);
  }

  private static Dataset<Row> index(SparkSession spark, String id, String prefix, int n) {
    List<Row> rows = IntStream.range(0, n).mapToObj(x -> RowFactory.create(prefix + x, x)).toList();
    return spark.createDataFrame(
        rows,
        new StructType().add(id, DataTypes.StringType).add("idx", DataTypes.IntegerType, false));
  }

  private static StructType schema(String id) {
    return new StructType()
        .add(id, DataTypes.StringType)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType));
  }

  private static List<Float> factors(Random random) {
    return IntStream.range(0, RANK).mapToObj(r -> (float) random.nextGaussian()).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Float> factorsOf(Row local) {
    return (List<Float>) local.get(1); // a row built here holds the Java list itself
  }

  private static double dot(List<Float> a, List<Float> b) {
    double s = 0;
    for (int r = 0; r < RANK; r++) {
      s += a.get(r) * b.get(r);
    }
    return s;
  }
}
