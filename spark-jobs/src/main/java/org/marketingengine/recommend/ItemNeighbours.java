package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.interactions.Interactions;
import org.netlib.util.intW;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The item-to-item model: for each item, its strongest neighbours with a weight, as a table {@code
 * (_source_item, item_id, _neighbour_weight)}. A user's item score for an item is the sum, over the
 * items of the user's history, of interaction weight x neighbour weight.
 *
 * <p>Both kinds start from the co-occurrence of items in users' histories, each user's {@code
 * max-items-per-user} heaviest items, counted by a self-join on the user (so the cost grows with
 * users x that cap squared, never with the catalog squared):
 *
 * <ul>
 *   <li>cosine: {@code c(i, j) / sqrt(n(i) n(j))}, computed where it is, in Spark;
 *   <li>EASE (Steck, 2019): {@code B = I - P / diag(P)} with {@code P = (G + lambda I)^-1} and
 *       {@code G} the co-occurrence (Gram) matrix, solved densely on the driver by a Cholesky
 *       factorisation; only catalogs of at most {@code ease.max-items} items, cosine above.
 * </ul>
 */
final class ItemNeighbours {
  private static final Logger LOG = LoggerFactory.getLogger(ItemNeighbours.class);
  static final String SOURCE_ITEM = "_source_item";
  static final String WEIGHT = "_neighbour_weight";
  private static final String ITEM_ID = Recommender.ITEM_ID;
  private static final String USER_ID = Recommender.USER_ID;

  private ItemNeighbours() {}

  /** The neighbour table of {@code settings}' kind (cached), empty for none. */
  static Optional<Dataset<Row>> fit(Dataset<Row> interactions, RecommendConfig.ItemModel settings) {
    if (settings.kind() == RecommendConfig.ItemModelKind.NONE) {
      return Optional.empty();
    }
    Dataset<Row> histories = histories(interactions, settings.maxItemsPerUser()).cache();
    try {
      if (settings.kind() == RecommendConfig.ItemModelKind.EASE) {
        Dataset<Row> index = IdIndex.build(histories, ITEM_ID).cache();
        long items = index.count();
        if (items <= settings.easeMaxItems()) {
          Dataset<Row> ease = ease(histories, index, (int) items, settings).cache();
          index.unpersist();
          return Optional.of(ease);
        }
        index.unpersist();
        LOG.warn(
            "item model: {} items exceed marketing.recommend.item-model.ease.max-items ({}); the"
                + " cosine neighbours are used instead",
            items,
            settings.easeMaxItems());
      }
      Dataset<Row> cosine = cosine(histories, settings.neighbours()).cache();
      // Materialised (and counted for the log) before the histories it is computed from go.
      LOG.info("item model: {} cosine neighbour weights kept", cosine.count());
      return Optional.of(cosine);
    } finally {
      histories.unpersist();
    }
  }

  /** Each user's {@code cap} heaviest items ({@code user_id, item_id, weight}). */
  static Dataset<Row> histories(Dataset<Row> interactions, int cap) {
    return Candidates.top(
        interactions.select(col(USER_ID), col(ITEM_ID), col(Interactions.WEIGHT)),
        col(USER_ID),
        cap,
        col(Interactions.WEIGHT).desc(),
        col(ITEM_ID));
  }

  /** Pairs of distinct items in one history, counted: {@code (_source_item, item_id, _pairs)}. */
  private static Dataset<Row> cooccurrence(Dataset<Row> histories, String item, boolean diagonal) {
    Dataset<Row> a = histories.select(col(USER_ID), col(item).as(SOURCE_ITEM));
    Dataset<Row> b = histories.select(col(USER_ID), col(item).as(ITEM_ID));
    Dataset<Row> pairs = a.join(b, USER_ID);
    if (!diagonal) {
      pairs = pairs.where(col(SOURCE_ITEM).notEqual(col(ITEM_ID)));
    }
    return pairs.groupBy(SOURCE_ITEM, ITEM_ID).agg(count(lit(1)).as("_pairs"));
  }

  private static Dataset<Row> cosine(Dataset<Row> histories, int neighbours) {
    Dataset<Row> users = histories.groupBy(ITEM_ID).agg(count(lit(1)).as("_users"));
    Dataset<Row> weights =
        cooccurrence(histories, ITEM_ID, false)
            .join(
                users.withColumnRenamed(ITEM_ID, SOURCE_ITEM).withColumnRenamed("_users", "_n"),
                SOURCE_ITEM)
            .join(users, ITEM_ID)
            .withColumn(WEIGHT, col("_pairs").divide(sqrt(col("_n").multiply(col("_users")))));
    return Candidates.top(weights, col(SOURCE_ITEM), neighbours, col(WEIGHT).desc(), col(ITEM_ID))
        .select(SOURCE_ITEM, ITEM_ID, WEIGHT);
  }

  /**
   * EASE: the Gram matrix streamed to the driver into a dense {@code n x n} array, {@code lambda}
   * added to its diagonal, inverted by Cholesky (LAPACK {@code dpotrf}, {@code dpotri}), and each
   * row of {@code B} cut to its strongest positive weights.
   */
  private static Dataset<Row> ease(
      Dataset<Row> histories, Dataset<Row> index, int n, RecommendConfig.ItemModel settings) {
    long start = System.nanoTime();
    double[] p = new double[n * n];
    Dataset<Row> indexed = histories.join(index, ITEM_ID).select(col(USER_ID), col(IdIndex.INDEX));
    Iterator<Row> gram = cooccurrence(indexed, IdIndex.INDEX, true).toLocalIterator();
    while (gram.hasNext()) {
      Row r = gram.next();
      p[r.getInt(0) * n + r.getInt(1)] = r.getLong(2);
    }
    for (int i = 0; i < n; i++) {
      p[i * n + i] += settings.easeLambda();
    }
    invertSymmetric(p, n);
    String[] ids = new String[n];
    for (Row r : index.collectAsList()) {
      ids[r.getInt(1)] = r.getString(0);
    }
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      for (int i : strongest(p, n, j, settings.neighbours())) {
        rows.add(RowFactory.create(ids[j], ids[i], -p[j * n + i] / p[i * n + i]));
      }
    }
    LOG.info(
        "item model: EASE over {} items in {} s, {} neighbour weights kept",
        n,
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
        rows.size());
    StructType schema =
        new StructType()
            .add(SOURCE_ITEM, DataTypes.StringType, false)
            .add(ITEM_ID, DataTypes.StringType, false)
            .add(WEIGHT, DataTypes.DoubleType, false);
    return histories.sparkSession().createDataFrame(rows, schema);
  }

  /**
   * Replaces the symmetric positive definite {@code a} (row-major, {@code n x n}) by its inverse.
   */
  static void invertSymmetric(double[] a, int n) {
    LAPACK lapack = LAPACK.getInstance();
    intW info = new intW(0);
    // Row-major in, column-major to LAPACK: the same matrix, as it is symmetric.
    lapack.dpotrf("L", n, a, n, info);
    if (info.val == 0) {
      lapack.dpotri("L", n, a, n, info);
    }
    if (info.val != 0) {
      throw new IllegalStateException(
          "EASE: the regularised Gram matrix is not positive definite (LAPACK info "
              + info.val
              + "); raise marketing.recommend.item-model.ease.lambda");
    }
    // dpotri fills the lower triangle in column-major order: a[col * n + row] for row >= col.
    for (int c = 0; c < n; c++) {
      for (int r = c + 1; r < n; r++) {
        a[r * n + c] = a[c * n + r];
      }
    }
  }

  /**
   * The (at most {@code k}) targets {@code i != j} with the largest positive EASE weights {@code
   * -P(j, i) / P(i, i)}, strongest first, ties to the lower index.
   */
  private static List<Integer> strongest(double[] p, int n, int j, int k) {
    PriorityQueue<double[]> top =
        new PriorityQueue<>(
            (x, y) -> x[0] != y[0] ? Double.compare(x[0], y[0]) : Double.compare(y[1], x[1]));
    for (int i = 0; i < n; i++) {
      double w = -p[j * n + i] / p[i * n + i];
      if (i != j && w > 0) {
        top.add(new double[] {w, i});
        if (top.size() > k) {
          top.poll();
        }
      }
    }
    List<Integer> out = new ArrayList<>();
    while (!top.isEmpty()) {
      out.add(0, (int) top.poll()[1]);
    }
    return out;
  }

  /**
   * The item score of every item the users' histories reach ({@code user_id, item_id, item_score}):
   * the sum over the user's items of interaction weight x neighbour weight.
   */
  static Dataset<Row> scores(Dataset<Row> neighbours, Dataset<Row> histories, Dataset<Row> users) {
    return histories
        .join(users.select(USER_ID), USER_ID)
        .withColumnRenamed(ITEM_ID, SOURCE_ITEM)
        .join(neighbours, SOURCE_ITEM)
        .groupBy(USER_ID, ITEM_ID)
        .agg(sum(col(Interactions.WEIGHT).multiply(col(WEIGHT))).as(Recommender.ITEM_SCORE));
  }
}
