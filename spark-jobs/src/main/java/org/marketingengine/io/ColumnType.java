package org.marketingengine.io;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The typed form a raw input value is converted to. */
public enum ColumnType {
  STRING(DataTypes.StringType, "text"),
  /** A string from a fixed set of values, stored lower-case and trimmed. */
  ENUM(DataTypes.StringType, "one of a fixed set of values"),
  LONG(DataTypes.LongType, "a whole number"),
  DOUBLE(DataTypes.DoubleType, "a number"),
  BOOLEAN(DataTypes.BooleanType, "true/false, yes/no or 1/0"),
  DATE(DataTypes.DateType, "a date (yyyy-MM-dd)"),
  /** ISO-8601 text or epoch milliseconds. */
  TIMESTAMP(DataTypes.TimestampType, "an ISO-8601 timestamp or epoch milliseconds");

  private final DataType sparkType;
  private final String description;

  ColumnType(DataType sparkType, String description) {
    this.sparkType = sparkType;
    this.description = description;
  }

  public DataType sparkType() {
    return sparkType;
  }

  /** How the expected type is described to a user in an error message. */
  public String description() {
    return description;
  }
}
