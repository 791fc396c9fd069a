package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;

/**
 * Seeded train / validation / test split by user: a user's rows (several campaign contacts, say)
 * always land in the same split, so no model is tested on a user it has seen. The split of a user
 * is a hash of (seed, user), so it does not depend on partitioning or on the other users.
 */
public final class Splits {
  private Splits() {}

  public static final String SPLIT = "split";
  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";

  private static final long BUCKETS = 10_000;

  /** The resolution of the share of the training split that is fitted on. */
  private static final long FIT_BUCKETS = 1_000_000;

  /**
   * Adds {@link #SPLIT}: {@code trainShare} of users to train, {@code validationShare} to
   * validation.
   */
  public static Dataset<Row> assign(
      Dataset<Row> rows, long seed, double trainShare, double validationShare) {
    return assign(rows, seed, trainShare, validationShare, 1.0);
  }

  /**
   * As {@link #assign(Dataset, long, double, double)}, keeping only {@code fitShare} of the
   * training split's users, chosen by a second hash of (seed, user): the rest of the training split
   * is left out. Validation and test are the same as without the cap, and a larger share keeps a
   * superset of the users a smaller one keeps.
   */
  public static Dataset<Row> assign(
      Dataset<Row> rows, long seed, double trainShare, double validationShare, double fitShare) {
    Column bucket = pmod(xxhash64(lit(seed), col(Features.USER_ID)), lit(BUCKETS));
    long trainEnd = Math.round(trainShare * BUCKETS);
    long validationEnd = Math.round((trainShare + validationShare) * BUCKETS);
    Dataset<Row> split =
        rows.withColumn(
            SPLIT,
            when(bucket.lt(trainEnd), lit(TRAIN))
                .when(bucket.lt(validationEnd), lit(VALIDATION))
                .otherwise(lit(TEST)));
    if (fitShare >= 1) {
      return split;
    }
    Column fitBucket =
        pmod(xxhash64(lit(seed), lit("fit"), col(Features.USER_ID)), lit(FIT_BUCKETS));
    return split.where(
        col(SPLIT).notEqual(TRAIN).or(fitBucket.lt(Math.round(fitShare * FIT_BUCKETS))));
  }

  public static Dataset<Row> of(Dataset<Row> rows, String split) {
    return rows.where(col(SPLIT).equalTo(split));
  }
}
