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

  /**
   * Options for Spark's CSV reader, without schema and mode. Unless {@code csv.options} says
   * otherwise, each file's header is checked against the columns read ({@code enforceSchema =
   * false}: a file of a directory whose columns are in another order or named differently is an
   * error naming the file, not data read into the wrong columns). {@code multiLine} (a line break
   * inside quotes is data, not the end of a record) is left to the reader, which turns it on only
   * for inputs that need it, unless {@code csv.options} sets it.
   */
  public Map<String, String> sparkOptions() {
    Map<String, String> options = new java.util.LinkedHashMap<>(extraOptions);
    if (header) {
      options.putIfAbsent("enforceSchema", "false");
    }
    options.put("sep", delimiter);
    options.put("header", Boolean.toString(header));
    options.put("quote", quote);
    options.put("escape", escape);
    options.put("encoding", encoding);
    options.put("nullValue", nullValue);
    return options;
  }
}
