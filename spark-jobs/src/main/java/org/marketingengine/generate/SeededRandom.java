package org.marketingengine.generate;

import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Random numbers as column expressions: a hash of (seed, purpose, row keys). Unlike {@code
 * rand(seed)}, the value of a row does not depend on partitioning or row order, so generated data
 * is the same for a seed on any cluster and any number of partitions.
 */
final class SeededRandom {
  private static final long RESOLUTION = 1L << 52;

  private final long seed;

  SeededRandom(long seed) {
    this.seed = seed;
  }

  /** Uniform in (0, 1), different for each {@code purpose}. */
  Column uniform(String purpose, Column... keys) {
    List<Column> all = new ArrayList<>();
    all.add(lit(seed));
    all.add(lit(purpose));
    all.addAll(Arrays.asList(keys));
    return pmod(xxhash64(all.toArray(Column[]::new)), lit(RESOLUTION))
        .plus(0.5)
        .divide((double) RESOLUTION);
  }

  /** Standard normal (Box-Muller). */
  Column normal(String purpose, Column... keys) {
    Column radius = sqrt(log(uniform(purpose + "/r", keys)).multiply(-2.0));
    return radius.multiply(cos(uniform(purpose + "/a", keys).multiply(2 * Math.PI)));
  }

  /** True with probability {@code p}. */
  Column bernoulli(String purpose, double p, Column... keys) {
    return uniform(purpose, keys).lt(p);
  }
}
