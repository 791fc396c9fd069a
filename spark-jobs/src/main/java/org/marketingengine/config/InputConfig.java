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
}
