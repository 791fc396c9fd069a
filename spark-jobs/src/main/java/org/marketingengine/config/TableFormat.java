package org.marketingengine.config;

import java.util.Locale;

/** How output tables are stored. */
public enum TableFormat {
  /** Parquet partitioned by run_date, published by staging and renaming the partition. */
  PARQUET,
  /** Delta Lake, each run_date replaced in one transaction. */
  DELTA;

  static TableFormat parse(String value, String key) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(
          "Config key '" + key + "' is '" + value + "': use parquet or delta");
    }
  }
}
