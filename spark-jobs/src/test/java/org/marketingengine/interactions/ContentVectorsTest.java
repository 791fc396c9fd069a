package org.marketingengine.interactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
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
class ContentVectorsTest {
  static final List<String> CATEGORIES = List.of("books", "toys");

  static Dataset<Row> catalog(SparkSession spark) {
    return spark.createDataFrame(
        List.of(
            RowFactory.create("cheap_book", "books", "acme", 5.0),
            RowFactory.create("dear_book", "books", "acme", 50.0),
            RowFactory.create("toy", "toys", null, null)),
        new StructType()
            .add("item_id", DataTypes.StringType)
            .add("category", DataTypes.StringType)
            .add("brand", DataTypes.StringType)
            .add("price", DataTypes.DoubleType));
  }

  static Dataset<Row> interactions(SparkSession spark) {
    return spark.createDataFrame(
        List.of(
            RowFactory.create("u1", "cheap_book", 3.0),
            RowFactory.create("u1", "toy", 1.0),
            RowFactory.create("u2", "dear_book", 1.0)),
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add(Interactions.WEIGHT, DataTypes.DoubleType));
  }

  static Map<String, Vector> byId(Dataset<Row> rows, String id, String vector) {
    return rows.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs(id), r -> r.<Vector>getAs(vector)));
  }

  @Test
  void itemVectorsAreCategoryPriceBandBrandPopularityAndTrend(SparkSession spark) {
    Dataset<Row> items =
        ContentVectors.items(
            catalog(spark),
            interactions(spark),
            Optional.empty(),
            CATEGORIES,
            0,
            LocalDate.of(2026, 11, 1));
    Map<String, Vector> vectors = byId(items, "item_id", ContentVectors.CONTENT_VECTOR);

    assertThat(vectors.get("cheap_book").size()).isEqualTo(ContentVectors.size(2, 0)).isEqualTo(7);
    // books one-hot, lowest price band, the most popular item (1.0), no market trend.
    assertThat(vectors.get("cheap_book").toArray())
        .containsExactly(new double[] {1, 0, 1, 0, 0, 1, 0}, within(1e-12));
    // toys one-hot, no price so no band, popularity log1p(1) / log1p(3).
    assertThat(vectors.get("toy").toArray())
        .containsExactly(
            new double[] {0, 1, 0, 0, 0, Math.log1p(1) / Math.log1p(3), 0}, within(1e-12));
    assertThat(vectors.get("dear_book").apply(2)).as("not in the lowest band").isEqualTo(0.0);
  }

  @Test
  void aUsersProfileIsTheWeightedMeanOfTheirItemsAndLivesInTheSameSpace(SparkSession spark) {
    Dataset<Row> items =
        ContentVectors.items(
            catalog(spark),
            interactions(spark),
            Optional.empty(),
            CATEGORIES,
            0,
            LocalDate.of(2026, 11, 1));
    Map<String, Vector> users =
        byId(
            ContentVectors.users(interactions(spark), items),
            "user_id",
            ContentVectors.PROFILE_VECTOR);
    Map<String, Vector> vectors = byId(items, "item_id", ContentVectors.CONTENT_VECTOR);

    assertThat(users).containsOnlyKeys("u1", "u2");
    assertThat(users.get("u1").apply(0)).as("books share").isCloseTo(0.75, within(1e-12));
    assertThat(users.get("u1").apply(1)).as("toys share").isCloseTo(0.25, within(1e-12));
    assertThat(ContentVectors.cosine(users.get("u2"), vectors.get("dear_book")))
        .isCloseTo(1.0, within(1e-12));
    assertThat(ContentVectors.cosine(users.get("u1"), vectors.get("cheap_book")))
        .isGreaterThan(ContentVectors.cosine(users.get("u1"), vectors.get("toy")));
  }

  @Test
  void cosineIsZeroForAMissingOrZeroVector() {
    Vector v = Vectors.dense(1, 2);
    assertThat(ContentVectors.cosine(v, null)).isEqualTo(0.0);
    assertThat(ContentVectors.cosine(v, Vectors.dense(0, 0))).isEqualTo(0.0);
    assertThat(ContentVectors.cosine(v, Vectors.dense(2, -1))).isCloseTo(0.0, within(1e-12));
    assertThat(ContentVectors.cosine(v, Vectors.dense(2, 4))).isCloseTo(1.0, within(1e-12));
  }
}
