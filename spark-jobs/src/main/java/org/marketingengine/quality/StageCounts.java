package org.marketingengine.quality;

import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Observation;

/**
 * What the stages count while they write: counts collected by an {@link Observation} during a write
 * (so no pass runs only to count), and the elapsed time of the one log line per stage.
 */
public final class StageCounts {
  private StageCounts() {}

  /** The number of rows where {@code condition} holds, as an aggregate. */
  public static Column countWhere(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** The observation's metrics as counts (a missing or null metric is 0). */
  public static Map<String, Long> observed(Observation observation, String what) {
    Map<String, Object> values;
    try {
      values = observation.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while counting the rows of " + what, e);
    }
    Map<String, Long> counts = new HashMap<>();
    values.forEach((k, v) -> counts.put(k, v == null ? 0L : ((Number) v).longValue()));
    return counts;
  }

  /** Seconds since {@code startedNanos}, e.g. {@code 12.3s}. */
  public static String elapsed(long startedNanos) {
    return String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - startedNanos) / 1e9);
  }
}
