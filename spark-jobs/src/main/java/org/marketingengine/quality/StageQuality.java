package org.marketingengine.quality;

import java.util.Map;

/** What one stage did to one input, as recorded in data_quality.json. */
public interface StageQuality {
  /** The input's name, e.g. {@code events}. */
  String input();

  /** The stage's section for this input, with snake_case keys in a stable order. */
  Map<String, Object> toReport();
}
