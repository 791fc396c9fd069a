package org.marketingengine.io;

import java.util.List;
import java.util.Optional;

/**
 * One expected column of an input.
 *
 * @param required the column must exist in the source (or be given a constant)
 * @param valueRequired a row without a value in this column is quarantined
 * @param allowedValues for {@link ColumnType#ENUM}, the accepted lower-case values
 * @param min smallest accepted value of a numeric column, if bounded
 * @param max largest accepted value of a numeric column, if bounded
 * @param notInFuture a timestamp after the run date is quarantined
 */
public record ColumnSpec(
    String name,
    ColumnType type,
    boolean required,
    boolean valueRequired,
    List<String> allowedValues,
    Optional<Double> min,
    Optional<Double> max,
    boolean notInFuture) {

  public ColumnSpec {
    allowedValues = List.copyOf(allowedValues);
  }

  /** A column that must exist and have a value in every row. */
  public static ColumnSpec key(String name, ColumnType type) {
    return new ColumnSpec(
        name, type, true, true, List.of(), Optional.empty(), Optional.empty(), false);
  }

  /** A column the source may lack; its values may be empty. */
  public static ColumnSpec optional(String name, ColumnType type) {
    return new ColumnSpec(
        name, type, false, false, List.of(), Optional.empty(), Optional.empty(), false);
  }

  public ColumnSpec withAllowedValues(String... values) {
    return new ColumnSpec(
        name, ColumnType.ENUM, required, valueRequired, List.of(values), min, max, notInFuture);
  }

  public ColumnSpec withRange(Double minimum, Double maximum) {
    return new ColumnSpec(
        name,
        type,
        required,
        valueRequired,
        allowedValues,
        Optional.ofNullable(minimum),
        Optional.ofNullable(maximum),
        notInFuture);
  }

  public ColumnSpec rejectingFuture() {
    return new ColumnSpec(name, type, required, valueRequired, allowedValues, min, max, true);
  }
}
