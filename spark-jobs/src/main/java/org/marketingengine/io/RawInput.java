package org.marketingengine.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.config.FileFormat;

/**
 * One input as read from its source, before validation: every source column as text under our
 * column names, plus {@link #MALFORMED}, {@code raw_record} and {@code source_file}.
 *
 * @param path the path the input was read from
 */
public record RawInput(String name, String path, FileFormat format, Dataset<Row> rows) {

  /** True when the source line could not be split into the header's columns. */
  public static final String MALFORMED = "_malformed";
}
