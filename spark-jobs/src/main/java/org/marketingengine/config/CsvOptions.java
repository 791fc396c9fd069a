package org.marketingengine.config;

import java.util.Map;

/**
 * How a CSV input is parsed.
 *
 * @param extraOptions any other Spark CSV reader option, passed through unchanged
 */
public record CsvOptions(
    String delimiter,
    boolean header,
    String quote,
    String escape,
    String encoding,
    String nullValue,
    Map<String, String> extraOptions) {

  public CsvOptions {
    extraOptions = Map.copyOf(extraOptions);
  }

  /** Options for Spark's CSV reader, without schema and mode. */
  public Map<String, String> sparkOptions() {
    Map<String, String> options = new java.util.LinkedHashMap<>(extraOptions);
    options.put("sep", delimiter);
    options.put("header", Boolean.toString(header));
    options.put("quote", quote);
    options.put("escape", escape);
    options.put("encoding", encoding);
    options.put("nullValue", nullValue);
    return options;
  }
}
