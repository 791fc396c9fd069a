package org.marketingengine.config;

import java.util.Map;
import java.util.Optional;

/**
 * Where one input comes from and how its columns map to ours.
 *
 * @param name the input's name, e.g. {@code events}
 * @param path explicit path; empty means look it up under the input root
 * @param format explicit format; empty means decide from the path
 * @param columnMapping our column name to the source's column name
 * @param constants our column name to a constant value, for columns the source lacks
 */
public record InputConfig(
    String name,
    Optional<String> path,
    Optional<FileFormat> format,
    Map<String, String> columnMapping,
    Map<String, String> constants,
    CsvOptions csv) {

  public InputConfig {
    columnMapping = Map.copyOf(columnMapping);
    constants = Map.copyOf(constants);
  }

  /** Reads {@code marketing.inputs.<name>}. */
  public static InputConfig from(ConfigValues v, String name) {
    String base = "marketing.inputs." + name;
    String delimiter = v.string(base + ".csv.delimiter");
    ConfigValues.check(
        !delimiter.isEmpty(),
        "Config key '" + base + ".csv.delimiter' is empty: give a delimiter such as \",\"");
    CsvOptions csv =
        new CsvOptions(
            delimiter,
            v.bool(base + ".csv.header"),
            v.string(base + ".csv.quote"),
            v.string(base + ".csv.escape"),
            v.string(base + ".csv.encoding"),
            v.string(base + ".csv.null-value"),
            v.stringMap(base + ".csv.options"));
    return new InputConfig(
        name,
        v.optionalString(base + ".path"),
        v.optionalString(base + ".format").map(f -> FileFormat.parse(f, base + ".format")),
        v.stringMap(base + ".columns"),
        v.stringMap(base + ".constants"),
        csv);
  }
}
