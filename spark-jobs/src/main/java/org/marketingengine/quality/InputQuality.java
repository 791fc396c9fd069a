package org.marketingengine.quality;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one stage did to one input's rows. {@code rowsRead == rowsKept + rowsQuarantined} always.
 *
 * @param status {@code read}, or {@code missing} for an optional input without a source
 * @param quarantinedByReason quarantined rows per reason, e.g. {@code wrong_type:price}
 */
public record InputQuality(
    String input,
    String status,
    String source,
    String format,
    long rowsRead,
    long rowsKept,
    long rowsQuarantined,
    Map<String, Long> quarantinedByReason) {

  public InputQuality {
    quarantinedByReason = new TreeMap<>(quarantinedByReason);
  }

  /** The entry of an optional input that had no source. */
  public static InputQuality missing(String input) {
    return new InputQuality(input, "missing", null, null, 0, 0, 0, Map.of());
  }

  /** Builds the entry from row counts per reason, where a null reason means kept. */
  public static InputQuality fromReasonCounts(
      String input, String source, String format, Map<String, Long> countsByReason) {
    long kept = 0;
    long quarantined = 0;
    Map<String, Long> byReason = new TreeMap<>();
    for (Map.Entry<String, Long> e : countsByReason.entrySet()) {
      if (e.getKey() == null) {
        kept += e.getValue();
      } else {
        quarantined += e.getValue();
        byReason.put(e.getKey(), e.getValue());
      }
    }
    return new InputQuality(
        input, "read", source, format, kept + quarantined, kept, quarantined, byReason);
  }

  /** The most frequent quarantine reason, or null. */
  public String topReason() {
    return quarantinedByReason.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
