package org.marketingengine.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
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
import org.marketingengine.config.RecommendConfig.ItemModel;
import org.marketingengine.config.RecommendConfig.ItemModelKind;
import org.marketingengine.testing.SparkExtension;

/** The item-to-item model: cosine neighbours, EASE against a hand-computed solve, and scoring. */
@ExtendWith(SparkExtension.class)
class ItemNeighboursTest {
  /** u1 {a, b}, u2 {a, b}, u3 {a, c}, u4 {b, c, d}, u5 {c, d}: weight 1 except u4's d (2). */
  static Dataset<Row> interactions(SparkSession spark) {
    String[][] histories = {{"a", "b"}, {"a", "b"}, {"a", "c"}, {"b", "c", "d"}, {"c", "d"}};
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < histories.length; u++) {
      for (String item : histories[u]) {
        double weight = u == 3 && item.equals("d") ? 2.0 : 1.0;
        rows.add(RowFactory.create("u" + (u + 1), item, weight));
      }
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType));
  }

  static ItemModel settings(ItemModelKind kind, int neighbours, int easeMaxItems) {
    return new ItemModel(kind, neighbours, 200, 10, 1.0, easeMaxItems);
  }

  static Map<String, Double> weights(Dataset<Row> neighbours) {
    Map<String, Double> out = new HashMap<>();
    for (Row r : neighbours.collectAsList()) {
      out.put(r.getString(0) + ">" + r.getString(1), r.getDouble(2));
    }
    return out;
  }

  @Test
  void cosineKeepsTheStrongestNeighboursOfEachItem(SparkSession spark) {
    Map<String, Double> w =
        weights(
            ItemNeighbours.fit(interactions(spark), settings(ItemModelKind.COSINE, 2, 100))
                .orElseThrow());
    // n(a) = 3, n(b) = 3, n(c) = 3, n(d) = 2; c(a, b) = 2, c(a, c) = 1, c(b, c) = 1, c(c, d) = 2.
    assertThat(w.get("a>b")).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(w.get("a>c")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(w.get("c>d")).isCloseTo(2 / Math.sqrt(6), within(1e-12));
    assertThat(w.get("d>c")).isEqualTo(w.get("c>d"));
    assertThat(w).doesNotContainKey("a>d").doesNotContainKey("a>a");
    // b's neighbours: a (2/3), d (1/sqrt(6)), c (1/3); two kept.
    assertThat(w.keySet().stream().filter(k -> k.startsWith("b>"))).containsOnly("b>a", "b>d");
  }

  @Test
  void easeMatchesTheClosedFormAndFallsBackToCosineOnLargeCatalogs(SparkSession spark) {
    Map<String, Double> w =
        weights(
            ItemNeighbours.fit(interactions(spark), settings(ItemModelKind.EASE, 10, 100))
                .orElseThrow());
    // G: co-occurrence counts of a, b, c, d; P = (G + I)^-1; B(j, i) = -P(j, i) / P(i, i).
    double[][] g = {{3, 2, 1, 0}, {2, 3, 1, 1}, {1, 1, 3, 2}, {0, 1, 2, 2}};
    double[][] p = inverse(g, 1.0);
    String[] ids = {"a", "b", "c", "d"};
    int positive = 0;
    for (int j = 0; j < 4; j++) {
      for (int i = 0; i < 4; i++) {
        double b = -p[j][i] / p[i][i];
        String key = ids[j] + ">" + ids[i];
        if (i != j && b > 0) {
          positive++;
          assertThat(w.get(key)).as(key).isCloseTo(b, within(1e-9));
        } else {
          assertThat(w).as(key).doesNotContainKey(key);
        }
      }
    }
    assertThat(w).hasSize(positive).isNotEmpty();

    Dataset<Row> fallback =
        ItemNeighbours.fit(interactions(spark), settings(ItemModelKind.EASE, 2, 3)).orElseThrow();
    assertThat(weights(fallback))
        .isEqualTo(
            weights(
                ItemNeighbours.fit(interactions(spark), settings(ItemModelKind.COSINE, 2, 3))
                    .orElseThrow()));
    assertThat(ItemNeighbours.fit(interactions(spark), settings(ItemModelKind.NONE, 2, 3)))
        .isEmpty();
  }

  @Test
  void invertsASymmetricMatrixInPlace() {
    double[] a = {4, 1, 2, 1, 3, 0, 2, 0, 5};
    double[] inverse = a.clone();
    ItemNeighbours.invertSymmetric(inverse, 3);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          sum += a[r * 3 + k] * inverse[k * 3 + c];
        }
        assertThat(sum).as("(%d, %d)", r, c).isCloseTo(r == c ? 1 : 0, within(1e-12));
      }
    }
  }

  @Test
  void aUsersScoreSumsWeightTimesNeighbourWeightOverTheHistory(SparkSession spark) {
    Dataset<Row> interactions = interactions(spark);
    Dataset<Row> neighbours =
        ItemNeighbours.fit(interactions, settings(ItemModelKind.COSINE, 3, 100)).orElseThrow();
    Map<String, Double> w = weights(neighbours);
    Dataset<Row> users = interactions.select("user_id").distinct();
    Map<String, Double> scores = new HashMap<>();
    for (Row r :
        ItemNeighbours.scores(neighbours, ItemNeighbours.histories(interactions, 200), users)
            .collectAsList()) {
      scores.put(r.getString(0) + ":" + r.getString(1), r.getDouble(2));
    }
    // u4 has b (1), c (1), d (2): its score for a is w(b>a) + w(c>a) (d has no neighbour a).
    assertThat(scores.get("u4:a")).isCloseTo(w.get("b>a") + w.get("c>a"), within(1e-12));
    assertThat(scores.get("u5:b"))
        .isCloseTo(w.get("c>b") + w.getOrDefault("d>b", 0.0), within(1e-12));
    // A history cap of 1 keeps only u4's heaviest item, d.
    Map<String, Double> capped = new HashMap<>();
    for (Row r :
        ItemNeighbours.scores(neighbours, ItemNeighbours.histories(interactions, 1), users)
            .where("user_id = 'u4'")
            .collectAsList()) {
      capped.put(r.getString(1), r.getDouble(2));
    }
    assertThat(capped.get("c")).isCloseTo(2 * w.get("d>c"), within(1e-12));
  }

  /** {@code (m + lambda I)^-1} by Gauss-Jordan elimination, independent of LAPACK. */
  private static double[][] inverse(double[][] m, double lambda) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        a[r][c] = m[r][c] + (r == c ? lambda : 0);
      }
      a[r][n + r] = 1;
    }
    for (int c = 0; c < n; c++) {
      double pivot = a[c][c];
      for (int k = 0; k < 2 * n; k++) {
        a[c][k] /= pivot;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int k = 0; k < 2 * n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(a[r], n, inv[r], 0, n);
    }
    return inv;
  }
}
