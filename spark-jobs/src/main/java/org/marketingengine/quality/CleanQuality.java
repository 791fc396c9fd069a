package org.marketingengine.quality;

import com.fasterxml.jackson.annotation.JsonProperty;
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

    @JsonProperty("reconciles")
    public boolean reconciles() {
      return rowsRead == rowsKept + rowsQuarantined + duplicatesRemoved + anomaliesRemoved;
    }
  }
}
