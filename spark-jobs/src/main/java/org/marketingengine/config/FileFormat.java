package org.marketingengine.config;

import java.util.Locale;

/** File formats the jobs read. */
public enum FileFormat {
  CSV,
  PARQUET;

  /** Parses a config or CLI value such as {@code csv}. */
  public static FileFormat parse(String value, String key) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(
          "Config key '" + key + "' is '" + value + "': use csv or parquet");
    }
  }

  /** The extension and Spark source name, e.g. {@code csv}. */
  public String sparkName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
