package org.marketingengine.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;

/** Column helpers shared by the feature families. */
final class FeatureExpressions {
  private FeatureExpressions() {}

  static final String LABEL_START = "_label_start";
  static final String CATEGORY = "_category";
  static final String TOP_CATEGORIES = "_top_categories";
  static final long DAY_SECONDS = 86_400L;

  /** Events with the category of their item (null when the catalog is missing or lacks it). */
  static Dataset<Row> withCategory(Dataset<Row> events, Optional<Dataset<Row>> items) {
    if (items.isEmpty()) {
      return events.withColumn(CATEGORY, lit(null).cast(DataTypes.StringType));
    }
    Dataset<Row> categories =
        items
            .get()
            .select(col(Items.ITEM_ID).as("_item"), col(Items.CATEGORY).as(CATEGORY))
            .dropDuplicates("_item");
    return events
        .join(broadcast(categories), col(Events.ITEM_ID).equalTo(col("_item")), "left")
        .drop("_item");
  }

  /** The rows of {@code source} inside each anchor's window, joined on the user. */
  static Dataset<Row> inWindow(Dataset<Row> source, String timeColumn, Dataset<Row> anchors) {
    Dataset<Row> windows =
        anchors.select(
            col(Features.ANCHOR_ID),
            col(Features.USER_ID).as("_anchor_user"),
            col(Features.WINDOW_START),
            col(Features.WINDOW_END));
    Column time = col(timeColumn);
    return source
        .join(windows, col(Events.USER_ID).equalTo(col("_anchor_user")))
        .where(time.geq(col(Features.WINDOW_START)).and(time.lt(col(Features.WINDOW_END))));
  }

  static Column weighted(Column value, Column weight) {
    Column present = value.isNotNull();
    return sum(when(present, value.multiply(weight))).divide(sum(when(present, weight)));
  }

  static Column ratio(Column numerator, Column denominator) {
    return when(denominator.gt(0), numerator.cast(DataTypes.DoubleType).divide(denominator))
        .otherwise(lit(0.0));
  }

  static Column optional(Dataset<Row> rows, String column) {
    return Arrays.asList(rows.columns()).contains(column)
        ? col(column)
        : lit(null).cast(DataTypes.StringType);
  }

  static Timestamp midnight(LocalDate day) {
    return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
