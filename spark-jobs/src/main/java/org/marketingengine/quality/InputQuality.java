package org.marketingengine.quality;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one stage did to one input's rows. {@code rowsRead == rowsKept + rowsQuarantined} always.
 *
 * @param status {@code read}, or {@code missing} for an optional input without a source
 * @param quarantinedByReason quarantined rows per reason, e.g. {@code wrong_type:price}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputQuality(
    String input,
    String status,
    String source,
    String format,
    long rowsRead,
    long rowsKept,
    long rowsQuarantined,
    Map<String, Long> quarantinedByReason)
    implements StageQuality {

  public InputQuality {
    quarantinedByReason = new TreeMap<>(quarantinedByReason);
  }

  /** The entry of an optional input that had no source. */
  public static InputQuality missing(String input) {
    return new InputQuality(input, "missing", null, null, 0, 0, 0, Map.of());
  }

  /**
   * Builds the entry from the number of rows read (key {@code rows}) and of rows per reason; a
   * reason with no rows is left out.
   */
  public static InputQuality fromCounts(
      String input, String source, String format, Map<String, Long> counts) {
    long read = counts.get("rows");
    long quarantined = 0;
    Map<String, Long> byReason = new TreeMap<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (!e.getKey().equals("rows") && e.getValue() > 0) {
        quarantined += e.getValue();
        byReason.put(e.getKey(), e.getValue());
      }
    }
    return new InputQuality(
        input, "read", source, format, read, read - quarantined, quarantined, byReason);
  }

  /** The most frequent quarantine reason, or null. */
  @JsonIgnore
  public String topReason() {
    return quarantinedByReason.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
