package org.marketingengine.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.marketingengine.quality.CleanQuality;
import org.marketingengine.quality.InputQuality;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the clean rules did to one input, counted while its rows are written (an {@link
 * Observation}: no pass only to count), and the reconciliation of ingest and clean per input.
 */
final class CleanCounts {
  private static final Logger LOG = LoggerFactory.getLogger(CleanCounts.class);
  private static final String ROWS = "rows";

  private final String input;
  private final List<String> reasons;
  private final List<String> imputed;
  private final Observation observation;

  CleanCounts(String input, List<String> reasons, Dataset<Row> rows) {
    this.input = input;
    this.reasons = reasons;
    this.imputed =
        Arrays.stream(rows.columns()).filter(c -> c.startsWith(CleanRules.IMPUTED_PREFIX)).toList();
    this.observation = new Observation("clean " + input);
  }

  /** The rows, counted per rule as they are consumed. */
  Dataset<Row> observe(Dataset<Row> rows) {
    List<Column> metrics = new ArrayList<>();
    for (String reason : reasons) {
      metrics.add(StageCounts.countWhere(col(CleanRules.REASON).equalTo(reason)).as(reason));
    }
    for (String c : rows.columns()) {
      if (imputed.contains(c)
          || c.equals(CleanRules.UNKNOWN_USER_FLAG)
          || c.equals(CleanRules.UNKNOWN_ITEM_FLAG)) {
        metrics.add(StageCounts.countWhere(col(c)).as(c));
      }
    }
    return rows.observe(observation, count(lit(1)).as(ROWS), metrics.toArray(Column[]::new));
  }

  /** The counts, once the observed rows have been written. */
  CleanQuality quality() {
    Map<String, Long> counts = StageCounts.observed(observation, input);
    long duplicates = counts.getOrDefault(CleanRules.DUPLICATE, 0L);
    long missingDropped = 0;
    long anomalies = 0;
    Map<String, Long> byReason = new HashMap<>();
    for (String reason : reasons) {
      long n = counts.getOrDefault(reason, 0L);
      if (n == 0) {
        continue;
      }
      byReason.put(reason, n);
      if (reason.startsWith(CleanRules.MISSING_VALUE)) {
        missingDropped += n;
      } else if (reason.startsWith("anomaly:")) {
        anomalies += n;
      }
    }
    Map<String, Long> imputedByColumn = new HashMap<>();
    for (String flag : imputed) {
      imputedByColumn.put(flag.substring(CleanRules.IMPUTED_PREFIX.length()), counts.get(flag));
    }
    long rowsIn = counts.get(ROWS);
    return new CleanQuality(
        input,
        "read",
        rowsIn,
        rowsIn - duplicates - missingDropped - anomalies,
        duplicates,
        missingDropped,
        anomalies,
        byReason,
        imputedByColumn,
        counts.getOrDefault(CleanRules.UNKNOWN_USER_FLAG, 0L),
        counts.getOrDefault(CleanRules.UNKNOWN_ITEM_FLAG, 0L));
  }

  /**
   * Per input read by ingest and clean: rows read = kept + quarantined + duplicates + anomalies
   * (warned about when it does not hold).
   */
  static List<CleanQuality.Summary> summaries(JsonNode report, List<CleanQuality> results) {
    List<CleanQuality.Summary> summaries = new ArrayList<>();
    for (CleanQuality clean : results) {
      JsonNode ingest = report.path("inputs").path(clean.input()).path("ingest");
      if (!clean.status().equals("read") || ingest.isMissingNode()) {
        continue;
      }
      InputQuality ingested =
          new InputQuality(
              clean.input(),
              "read",
              null,
              null,
              ingest.path("rows_read").asLong(),
              ingest.path("rows_kept").asLong(),
              ingest.path("rows_quarantined").asLong(),
              Map.of());
      CleanQuality.Summary summary = CleanQuality.Summary.of(ingested, clean);
      if (!summary.reconciles()) {
        LOG.warn(
            "{}: rows do not reconcile (read {} != kept {} + quarantined {} + duplicates {} +"
                + " anomalies {}): was bronze rewritten after ingest?",
            clean.input(),
            summary.rowsRead(),
            summary.rowsKept(),
            summary.rowsQuarantined(),
            summary.duplicatesRemoved(),
            summary.anomaliesRemoved());
      }
      summaries.add(summary);
    }
    return summaries;
  }
}
