package org.marketingengine.recommend;

import dev.ludovic.netlib.blas.BLAS;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ALS's best {@code k} items per user over the whole catalog in one narrow pass: the item factors
 * are broadcast, each task multiplies a block of its users' factors by all of them at once (one
 * SGEMM) and keeps each user's {@code k} highest scores, ties to the smaller item id. MLlib's
 * {@code recommendForUserSubset} emits {@code k} rows per user for every partition of the item
 * factors and merges them in a shuffle; this emits {@code k} rows per user and shuffles nothing.
 */
final class AlsTopK {
  /**
   * Scores held at once per task: 4M floats (16 MB), so about 200 users of a 20,000-item catalog.
   */
  static final int SCORES_PER_BLOCK = 4 << 20;

  private static final StructType PAIRS =
      new StructType()
          .add(Recommender.USER_ID, DataTypes.StringType)
          .add(Recommender.ITEM_ID, DataTypes.StringType);

  private AlsTopK() {}

  /**
   * {@code user_id, item_id}: the {@code k} items of {@code items} with the highest dot product
   * with each user's factors. {@code users} and {@code items} hold the id and {@code features}
   * (ALS's {@code array<float>}); {@code items} is collected to the driver and broadcast.
   */
  static Dataset<Row> of(Dataset<Row> users, Dataset<Row> items, int k) {
    return of(users, items, k, SCORES_PER_BLOCK);
  }

  /** As {@link #of(Dataset, Dataset, int)}, holding at most {@code scoresPerBlock} scores. */
  static Dataset<Row> of(Dataset<Row> users, Dataset<Row> items, int k, int scoresPerBlock) {
    List<Row> rows =
        items.select(Recommender.ITEM_ID, "features").orderBy(Recommender.ITEM_ID).collectAsList();
    int rank = rows.isEmpty() ? 0 : rows.get(0).getList(1).size();
    String[] ids = new String[rows.size()];
    float[] factors = new float[rows.size() * rank];
    for (int j = 0; j < rows.size(); j++) {
      ids[j] = rows.get(j).getString(0);
      List<Float> f = rows.get(j).getList(1);
      for (int r = 0; r < rank; r++) {
        factors[j * rank + r] = f.get(r);
      }
    }
    Broadcast<Catalog> catalog =
        JavaSparkContext.fromSparkContext(users.sparkSession().sparkContext())
            .broadcast(new Catalog(ids, factors, rank));
    return users
        .select(Recommender.USER_ID, "features")
        .mapPartitions(new TopK(catalog, k, scoresPerBlock), Encoders.row(PAIRS));
  }

  /** The item ids (ascending) and their factors, item after item. */
  record Catalog(String[] ids, float[] factors, int rank) implements Serializable {}

  /** Scores a partition's users block by block and emits each user's top {@code k}. */
  private record TopK(Broadcast<Catalog> catalog, int k, int scoresPerBlock)
      implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> users) {
      Catalog c = catalog.value();
      int n = c.ids().length;
      int block = Math.max(1, scoresPerBlock / Math.max(1, n));
      float[] userFactors = new float[block * c.rank()];
      float[] scores = new float[block * n];
      String[] userIds = new String[block];
      ArrayDeque<Row> ready = new ArrayDeque<>();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && users.hasNext() && n > 0) {
            int m = 0;
            while (m < block && users.hasNext()) {
              Row u = users.next();
              userIds[m] = u.getString(0);
              List<Float> f = u.getList(1);
              for (int r = 0; r < c.rank(); r++) {
                userFactors[m * c.rank() + r] = f.get(r);
              }
              m++;
            }
            // scores (n x m, column-major) = itemFactors^T (n x rank) . userFactors (rank x m)
            BLAS.getInstance()
                .sgemm(
                    "T",
                    "N",
                    n,
                    m,
                    c.rank(),
                    1f,
                    c.factors(),
                    c.rank(),
                    userFactors,
                    c.rank(),
                    0f,
                    scores,
                    n);
            for (int i = 0; i < m; i++) {
              for (int j : best(scores, i * n, n, k)) {
                ready.add(RowFactory.create(userIds[i], c.ids()[j]));
              }
            }
          }
          return !ready.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }
      };
    }
  }

  /**
   * The indices of the {@code k} highest of {@code scores[from, from + n)} (relative to {@code
   * from}), ties to the smaller index, best first: a min-heap of the best so far.
   */
  static int[] best(float[] scores, int from, int n, int k) {
    int size = Math.min(k, n);
    int[] heap = new int[size];
    for (int j = 0; j < size; j++) {
      heap[j] = j;
      siftUp(heap, j, scores, from);
    }
    for (int j = size; j < n; j++) {
      if (size > 0 && better(scores, from, j, heap[0])) {
        heap[0] = j;
        siftDown(heap, size, scores, from);
      }
    }
    // Heap sort: the worst goes to the end, one after another, leaving the best first.
    for (int end = size - 1; end > 0; end--) {
      swap(heap, 0, end);
      siftDown(heap, end, scores, from);
    }
    return heap;
  }

  /** Whether item {@code a} ranks above item {@code b}: a higher score, or the same and first. */
  private static boolean better(float[] scores, int from, int a, int b) {
    float sa = scores[from + a];
    float sb = scores[from + b];
    return sa > sb || (sa == sb && a < b);
  }

  private static void siftUp(int[] heap, int at, float[] scores, int from) {
    int i = at;
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!better(scores, from, heap[parent], heap[i])) {
        return;
      }
      swap(heap, i, parent);
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] scores, int from) {
    int i = 0;
    while (true) {
      int worst = i;
      for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
        if (better(scores, from, heap[worst], heap[child])) {
          worst = child;
        }
      }
      if (worst == i) {
        return;
      }
      swap(heap, i, worst);
      i = worst;
    }
  }

  private static void swap(int[] heap, int a, int b) {
    int t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
  }
}
