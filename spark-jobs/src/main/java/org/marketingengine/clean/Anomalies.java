package org.marketingengine.clean;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.marketingengine.clean.CleanRules.REASON;
import static org.marketingengine.clean.CleanRules.reasonIfUnset;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.CleanConfig;

/**
 * Anomaly and noise rules: impossible ages and incomes, price outliers per category, bots, events
 * of unknown users and items. Each marks rows with a reason; none removes them.
 */
public final class Anomalies {
  private Anomalies() {}

  /** Users with an implausible age or a negative income. */
  public static Dataset<Row> markUserAnomalies(Dataset<Row> users, CleanConfig.Anomalies rules) {
    Dataset<Row> result = users;
    List<String> columns = Arrays.asList(users.columns());
    if (columns.contains(Users.AGE)) {
      Column age = col(Users.AGE);
      result =
          result.withColumn(
              REASON,
              reasonIfUnset(
                  age.lt(rules.ageMin()).or(age.gt(rules.ageMax())), CleanRules.AGE_OUT_OF_RANGE));
    }
    if (rules.negativeIncome() && columns.contains(Users.INCOME)) {
      result =
          result.withColumn(
              REASON, reasonIfUnset(col(Users.INCOME).lt(0), CleanRules.NEGATIVE_INCOME));
    }
    return result;
  }

  /**
   * Marks prices far outside their category's usual range: outside {@code [Q1 - k IQR, Q3 + k IQR]}
   * of log price among the category's kept rows. Robust to the outliers themselves, unlike a
   * z-score, and per category, since a normal TV would be an outlier among books.
   *
   * <p>The quartiles are computed over distinct (item, price) pairs, so that popular items do not
   * narrow the range for the others: for events, each item and price counts once, not once per
   * event.
   *
   * @param category the column holding each row's category
   * @param item the column identifying the item
   */
  public static Dataset<Row> markPriceOutliers(
      Dataset<Row> rows, String category, String item, String price, double iqrFactor) {
    Column logPrice = log(col(price));
    Dataset<Row> bounds =
        rows.where(col(REASON).isNull().and(col(price).gt(0)).and(col(category).isNotNull()))
            .select(col(category), col(item), col(price))
            .distinct()
            .groupBy(col(category).as("_category"))
            .agg(
                percentile_approx(logPrice, lit(0.25), lit(10_000)).as("_q1"),
                percentile_approx(logPrice, lit(0.75), lit(10_000)).as("_q3"));
    Column iqr = col("_q3").minus(col("_q1"));
    Column outside =
        col(price)
            .gt(0)
            .and(
                logPrice
                    .lt(col("_q1").minus(iqr.multiply(iqrFactor)))
                    .or(logPrice.gt(col("_q3").plus(iqr.multiply(iqrFactor)))));
    return rows.join(broadcast(bounds), col(category).equalTo(col("_category")), "left")
        .withColumn(REASON, reasonIfUnset(coalesce(outside, lit(false)), CleanRules.PRICE_OUTLIER))
        .drop("_category", "_q1", "_q3");
  }

  /** Marks every event of users with more than {@code maxPerMinute} events in some minute. */
  public static Dataset<Row> markBots(Dataset<Row> events, int maxPerMinute) {
    Dataset<Row> bots =
        events
            .where(col(REASON).isNull())
            .groupBy(col(Events.USER_ID), date_trunc("minute", col(Events.EVENT_TIME)))
            .agg(count(lit(1)).as("_n"))
            .groupBy(col(Events.USER_ID).as("_bot_user"))
            .agg(max("_n").as("_max_per_minute"))
            .where(col("_max_per_minute").gt(maxPerMinute))
            .select("_bot_user");
    return events
        .join(bots, col(Events.USER_ID).equalTo(col("_bot_user")), "left")
        .withColumn(REASON, reasonIfUnset(col("_bot_user").isNotNull(), CleanRules.BOT))
        .drop("_bot_user");
  }

  /**
   * Flags rows whose {@code keyColumn} is not among {@code known} keys, and with {@link
   * CleanConfig.UnknownPolicy#DROP} removes them.
   *
   * @param flag the internal column counting such rows
   */
  public static Dataset<Row> markUnknown(
      Dataset<Row> rows,
      String keyColumn,
      Dataset<Row> known,
      CleanConfig.UnknownPolicy policy,
      String flag,
      String reason) {
    Dataset<Row> keys = known.select(col(keyColumn).as("_known_key")).distinct();
    Column unknown = col("_known_key").isNull().and(col(keyColumn).isNotNull());
    Dataset<Row> joined =
        rows.join(keys, col(keyColumn).equalTo(col("_known_key")), "left")
            .withColumn(flag, unknown.and(col(REASON).isNull()));
    if (policy == CleanConfig.UnknownPolicy.DROP) {
      joined = joined.withColumn(REASON, reasonIfUnset(unknown, reason));
    }
    return joined.drop("_known_key");
  }

  /** The items' category, for events joined to the catalog. */
  static final String ITEM_CATEGORY = "_item_category";

  /** Adds the category of each event's item (null for unknown items). */
  public static Dataset<Row> withItemCategory(Dataset<Row> events, Dataset<Row> items) {
    Dataset<Row> categories =
        items
            .select(col(Items.ITEM_ID).as("_cat_item"), col(Items.CATEGORY).as(ITEM_CATEGORY))
            .dropDuplicates("_cat_item");
    return events
        .join(categories, col(Events.ITEM_ID).equalTo(col("_cat_item")), "left")
        .drop("_cat_item");
  }
}
