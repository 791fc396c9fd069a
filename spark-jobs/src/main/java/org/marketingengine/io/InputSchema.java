package org.marketingengine.io;

import java.util.List;
import java.util.Optional;

/** The expected columns of one input, in SPEC order. */
public record InputSchema(String name, boolean required, List<ColumnSpec> columns) {

  public InputSchema {
    columns = List.copyOf(columns);
  }

  public Optional<ColumnSpec> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }
}
