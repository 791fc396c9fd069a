package org.marketingengine.quality;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the clean stage did to one input. {@code rowsIn == rowsKept + duplicatesRemoved +
 * missingDropped + anomaliesRemoved}.
 *
 * @param rowsIn rows of {@code bronze/<input>}
 * @param removedByReason removed rows per reason ({@code duplicate}, {@code missing_value:<c>},
 *     {@code anomaly:<rule>})
 * @param valuesImputed imputed values per column
 * @param unknownUsersKept rows kept although the users table does not know their user
 * @param unknownItemsKept rows kept although the items table does not know their item
 */
public record CleanQuality(
    String input,
    String status,
    long rowsIn,
    long rowsKept,
    long duplicatesRemoved,
    long missingDropped,
    long anomaliesRemoved,
    Map<String, Long> removedByReason,
    Map<String, Long> valuesImputed,
    long unknownUsersKept,
    long unknownItemsKept)
    implements StageQuality {

  public CleanQuality {
    removedByReason = new TreeMap<>(removedByReason);
    valuesImputed = new TreeMap<>(valuesImputed);
  }

  /** The entry of an input that ingest did not publish for the run date. */
  public static CleanQuality missing(String input) {
    return new CleanQuality(input, "missing", 0, 0, 0, 0, 0, Map.of(), Map.of(), 0, 0);
  }

  @Override
  public Map<String, Object> toReport() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("status", status);
    report.put("rows_in", rowsIn);
    report.put("rows_kept", rowsKept);
    report.put("duplicates_removed", duplicatesRemoved);
    report.put("missing_dropped", missingDropped);
    report.put("anomalies_removed", anomaliesRemoved);
    report.put("removed_by_reason", removedByReason);
    report.put("values_imputed", valuesImputed);
    report.put("unknown_users_kept", unknownUsersKept);
    report.put("unknown_items_kept", unknownItemsKept);
    return report;
  }

  /**
   * The reconciliation of one input over ingest and clean, recorded as its {@code summary}: {@code
   * rowsRead == rowsKept + rowsQuarantined + duplicatesRemoved + anomaliesRemoved}, where
   * quarantined counts ingest's rejects and rows dropped for a missing value.
   */
  public record Summary(
      String input,
      long rowsRead,
      long rowsKept,
      long rowsQuarantined,
      long duplicatesRemoved,
      long anomaliesRemoved)
      implements StageQuality {

    public static Summary of(InputQuality ingest, CleanQuality clean) {
      return new Summary(
          clean.input(),
          ingest.rowsRead(),
          clean.rowsKept(),
          ingest.rowsQuarantined() + clean.missingDropped(),
          clean.duplicatesRemoved(),
          clean.anomaliesRemoved());
    }

    public boolean reconciles() {
      return rowsRead == rowsKept + rowsQuarantined + duplicatesRemoved + anomaliesRemoved;
    }

    @Override
    public Map<String, Object> toReport() {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("rows_read", rowsRead);
      report.put("rows_kept", rowsKept);
      report.put("rows_quarantined", rowsQuarantined);
      report.put("duplicates_removed", duplicatesRemoved);
      report.put("anomalies_removed", anomaliesRemoved);
      report.put("reconciles", reconciles());
      return report;
    }
  }
}
