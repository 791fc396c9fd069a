package org.marketingengine.stage;

import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shuffle partitions of a stage from the size of what it reads: the configured {@code
 * spark.sql.shuffle.partitions}, or one partition per {@code marketing.shuffle-partition-mib} of
 * the run date's tables the stage reads when that is more. A count that suits the sample (8 on a
 * laptop) leaves a sort partition of several hundred MiB at a million users, which spills; a count
 * that suits a million users costs the sample a task per empty partition. The count applies while
 * the stage runs; the session's own setting is put back after it.
 */
public final class ShufflePartitions {
  private static final Logger LOG = LoggerFactory.getLogger(ShufflePartitions.class);
  static final String KEY = "spark.sql.shuffle.partitions";
  private static final long MIB = 1L << 20;

  /** Above this the per-task overhead outweighs smaller sorts on any cluster we size for. */
  static final int MAX = 4_000;

  private ShufflePartitions() {}

  /**
   * The count for {@code inputBytes} of input: at least {@code configured}, at most {@link #MAX}.
   */
  static int forInput(long inputBytes, int configured, int mibPerPartition) {
    if (mibPerPartition <= 0) {
      return configured;
    }
    long perPartition = mibPerPartition * MIB;
    long bySize = (inputBytes + perPartition - 1) / perPartition;
    return (int) Math.max(configured, Math.min(bySize, MAX));
  }

  /** Runs {@code body}, the stage, with the shuffle partitions its input's size calls for. */
  static <T> T during(Stage<?> stage, StageContext context, Supplier<T> body) {
    int configured = Integer.parseInt(context.spark().conf().get(KEY));
    long bytes =
        stage.reads().stream()
            .filter(table -> !table.contains("<")) // a placeholder such as models/<model date>
            .mapToLong(table -> context.tables().partitionBytes(table, context.runDate()))
            .sum();
    int partitions = forInput(bytes, configured, context.config().shufflePartitionMib());
    if (partitions == configured) {
      return body.get();
    }
    LOG.info(
        "{}: {} shuffle partitions for {} of input (configured {}; marketing.shuffle-partition-mib"
            + " = {})",
        stage.name(),
        partitions,
        String.format(Locale.ROOT, "%.0f MiB", bytes / (double) MIB),
        configured,
        context.config().shufflePartitionMib());
    return SessionSetting.replacing(context.spark(), KEY, String.valueOf(partitions), body);
  }
}
