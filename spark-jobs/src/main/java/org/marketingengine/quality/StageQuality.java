package org.marketingengine.quality;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What one stage did to one input, as recorded in data_quality.json: the record's other components
 * become the section's snake_case keys, in order.
 */
public interface StageQuality {
  /** The input's name, e.g. {@code events}: the key the section is filed under. */
  @JsonIgnore
  String input();
}
