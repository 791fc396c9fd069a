package org.marketingengine.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.marketingengine.clean.CleanRules.REASON;
import static org.marketingengine.clean.CleanRules.reasonIfUnset;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Events;

/**
 * Duplicate rules: exact copies, repeated keys, and near-duplicate events (double clicks, retried
 * uploads). Rows are marked {@link CleanRules#DUPLICATE}, not removed, so that one pass counts
 * them. Shuffles: one window per rule, partitioned by the key (or by every column for exact
 * duplicates of an input without a key).
 */
public final class Duplicates {
  private Duplicates() {}

  /**
   * Marks rows repeating a key, or without a key exact duplicates; one row of each group is kept
   * (the first by all columns).
   *
   * <p>With a key, exact duplicates need no pass of their own: two equal rows have the same key, so
   * the key's window marks one of them, and a row whose key is missing is never an exact duplicate
   * (the exact rule only counts rows without empty values). One shuffle and sort instead of two,
   * the costlier of which partitioned by every column.
   *
   * @param key columns identifying a row (empty: only exact duplicates)
   */
  public static Dataset<Row> markDuplicates(Dataset<Row> rows, List<String> key) {
    if (!key.isEmpty()) {
      return markRepeats(rows, key, null);
    }
    List<String> all = CleanRules.dataColumns(rows);
    return markRepeats(rows, all, all.get(0));
  }

  private static Dataset<Row> markRepeats(Dataset<Row> rows, List<String> key, String orderBy) {
    List<Column> partition = new ArrayList<>();
    for (String k : key) {
      partition.add(Columns.quoted(k));
    }
    Column keyPresent = lit(true);
    for (String k : key) {
      keyPresent = keyPresent.and(Columns.quoted(k).isNotNull());
    }
    partition.add(col(REASON).isNull());
    List<Column> order = new ArrayList<>();
    for (String c : orderBy == null ? CleanRules.dataColumns(rows) : List.of(orderBy)) {
      order.add(Columns.quoted(c).asc_nulls_last());
    }
    WindowSpec window =
        Window.partitionBy(partition.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new));
    return rows.withColumn(
        REASON,
        reasonIfUnset(keyPresent.and(row_number().over(window).gt(1)), CleanRules.DUPLICATE));
  }

  /**
   * Marks events without an {@code event_id} that repeat the previous event of the same user, item
   * and type within {@code toleranceSeconds} (double clicks, retried uploads).
   */
  public static Dataset<Row> markNearDuplicateEvents(Dataset<Row> events, int toleranceSeconds) {
    WindowSpec window =
        Window.partitionBy(
                col(Events.USER_ID),
                col(Events.ITEM_ID),
                col(Events.EVENT_TYPE),
                col(REASON).isNull(),
                col(Events.EVENT_ID).isNull())
            .orderBy(col(Events.EVENT_TIME));
    Column gap =
        unix_timestamp(col(Events.EVENT_TIME))
            .minus(unix_timestamp(lag(col(Events.EVENT_TIME), 1).over(window)));
    return events.withColumn(
        REASON,
        reasonIfUnset(
            col(Events.EVENT_ID).isNull().and(gap.isNotNull()).and(gap.leq(toleranceSeconds)),
            CleanRules.DUPLICATE));
  }
}
