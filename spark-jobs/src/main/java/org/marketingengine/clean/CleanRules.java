package org.marketingengine.clean;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.CleanConfig;
import org.marketingengine.config.CleanConfig.MissingPolicy;
import org.marketingengine.config.InvalidConfigException;

/**
 * The cleaning rules, each a function of DataFrames without I/O or actions.
 *
 * <p>Rules do not remove rows: they set {@link #REASON} on rows that must go (the first rule to
 * fire wins), so that one pass can write the kept rows to silver, the removed ones to quarantine
 * and count both. {@link #DUPLICATE} rows are counted but not quarantined: they are copies.
 */
public final class CleanRules {
  private CleanRules() {}

  /** Why a row is removed; null for a kept row. */
  public static final String REASON = "_clean_reason";

  public static final String DUPLICATE = "duplicate";
  public static final String MISSING_VALUE = "missing_value";
  public static final String AGE_OUT_OF_RANGE = "anomaly:age_out_of_range";
  public static final String NEGATIVE_INCOME = "anomaly:negative_income";
  public static final String PRICE_OUTLIER = "anomaly:price_outlier";
  public static final String BOT = "anomaly:bot";
  public static final String UNKNOWN_USER = "anomaly:unknown_user";
  public static final String UNKNOWN_ITEM = "anomaly:unknown_item";

  /** Prefix of the internal flags that count imputed values of a column. */
  public static final String IMPUTED_PREFIX = "_imputed_";

  /** Internal flags that count rows of unknown users or items that were kept. */
  public static final String UNKNOWN_USER_FLAG = "_unknown_user";

  public static final String UNKNOWN_ITEM_FLAG = "_unknown_item";

  /** Suffix of the indicator kept in silver for values imputed from the data (median, mode). */
  public static final String MISSING_INDICATOR_SUFFIX = "_is_missing";

  /** Starts cleaning: every row kept so far. */
  public static Dataset<Row> start(Dataset<Row> bronze) {
    return bronze.withColumn(REASON, lit(null).cast(DataTypes.StringType));
  }

  /** Sets {@code reason} on rows where {@code condition} holds and no rule has fired yet. */
  static Column reasonIfUnset(Column condition, String reason) {
    return when(col(REASON).isNull().and(condition), lit(reason)).otherwise(col(REASON));
  }

  /**
   * Trims every text column, turns blanks into nulls, and lower-cases the categorical ones ({@code
   * ' WeChat '} becomes {@code wechat}). Identifiers are trimmed only.
   */
  public static Dataset<Row> standardise(Dataset<Row> rows, Set<String> categorical) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : rows.schema().fields()) {
      Column c = Columns.quoted(field.name());
      if (field.dataType().equals(DataTypes.StringType) && !field.name().equals(REASON)) {
        Column trimmed = trim(c);
        Column value = categorical.contains(field.name()) ? lower(trimmed) : trimmed;
        c = when(trimmed.equalTo(""), lit(null).cast(DataTypes.StringType)).otherwise(value);
      }
      columns.add(c.as(field.name()));
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  /**
   * Marks exact duplicates and then rows repeating a key; one row of each group is kept.
   *
   * @param key columns identifying a row (empty: only exact duplicates)
   */
  public static Dataset<Row> markDuplicates(Dataset<Row> rows, List<String> key) {
    List<String> all = dataColumns(rows);
    Dataset<Row> marked = markRepeats(rows, all, all.get(0));
    if (!key.isEmpty()) {
      marked = markRepeats(marked, key, null);
    }
    return marked;
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
    for (String c : orderBy == null ? dataColumns(rows) : List.of(orderBy)) {
      order.add(Columns.quoted(c).asc_nulls_last());
    }
    WindowSpec window =
        Window.partitionBy(partition.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new));
    return rows.withColumn(
        REASON, reasonIfUnset(keyPresent.and(row_number().over(window).gt(1)), DUPLICATE));
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
            DUPLICATE));
  }

  /**
   * Applies the missing-value policy of each configured column present in {@code rows}: drop
   * (reason {@code missing_value:<column>}), median or mode of this run's kept rows, a default, or
   * keep. Imputed cells are flagged in {@code _imputed_<column>}; median and mode imputations also
   * keep a {@code <column>_is_missing} indicator (0/1) for the models.
   */
  public static Dataset<Row> handleMissing(
      Dataset<Row> rows, String input, Map<String, MissingPolicy> policies) {
    Dataset<Row> result = rows;
    for (Map.Entry<String, MissingPolicy> entry : policies.entrySet()) {
      String column = entry.getKey();
      if (!Arrays.asList(result.columns()).contains(column)) {
        continue;
      }
      MissingPolicy policy = entry.getValue();
      DataType type = result.schema().apply(column).dataType();
      Column value = Columns.quoted(column);
      switch (policy.kind()) {
        case KEEP -> {}
        case DROP ->
            result =
                result.withColumn(
                    REASON, reasonIfUnset(value.isNull(), MISSING_VALUE + ":" + column));
        case DEFAULT -> {
          Column fill = lit(policy.defaultValue()).try_cast(type);
          result = impute(result, column, fill, false);
        }
        case MEDIAN -> {
          if (!(type instanceof NumericType)) {
            throw new InvalidConfigException(
                "Config key 'marketing.clean.missing."
                    + input
                    + "."
                    + column
                    + "' is median, but the column is not numeric: use mode or a default");
          }
          Dataset<Row> median =
              result
                  .where(col(REASON).isNull())
                  .agg(percentile_approx(value, lit(0.5), lit(10_000)).cast(type).as("_fill"));
          result =
              impute(result.crossJoin(broadcast(median)), column, col("_fill"), true).drop("_fill");
        }
        case MODE -> {
          Dataset<Row> mode =
              result
                  .where(col(REASON).isNull().and(value.isNotNull()))
                  .groupBy(value.as("_fill"))
                  .agg(count(lit(1)).as("_n"))
                  .orderBy(desc("_n"), col("_fill"))
                  .limit(1)
                  .select(col("_fill"));
          result =
              impute(result.join(broadcast(mode), lit(true), "left"), column, col("_fill"), true)
                  .drop("_fill");
        }
      }
    }
    return result;
  }

  private static Dataset<Row> impute(
      Dataset<Row> rows, String column, Column fill, boolean keepIndicator) {
    Column missing = Columns.quoted(column).isNull();
    Dataset<Row> flagged =
        rows.withColumn(IMPUTED_PREFIX + column, missing.and(col(REASON).isNull()));
    if (keepIndicator) {
      flagged =
          flagged.withColumn(column + MISSING_INDICATOR_SUFFIX, when(missing, 1).otherwise(0));
    }
    return flagged.withColumn(column, coalesce(Columns.quoted(column), fill));
  }

  /** Column naming the currency of a row's amounts, where a source has one. */
  public static final String CURRENCY = "currency";

  public static final String UNKNOWN_CURRENCY = "anomaly:unknown_currency";

  /**
   * Converts {@code amounts} to the base currency where rows carry a {@code currency} column:
   * amount x rate of the row's currency; the currency becomes the base. A currency with no rate
   * (other than the base) is an anomaly. Without rates, or without the column, nothing changes.
   */
  public static Dataset<Row> convertCurrency(
      Dataset<Row> rows, List<String> amounts, CleanConfig.Currency currency) {
    List<String> columns = Arrays.asList(rows.columns());
    if (currency.rates().isEmpty() || !columns.contains(CURRENCY)) {
      return rows;
    }
    Column code = org.apache.spark.sql.functions.upper(col(CURRENCY));
    Column rate = when(code.equalTo(currency.base()), lit(1.0));
    for (Map.Entry<String, Double> r : currency.rates().entrySet()) {
      rate = rate.when(code.equalTo(r.getKey()), lit(r.getValue()));
    }
    Dataset<Row> result =
        rows.withColumn("_rate", rate)
            .withColumn(
                REASON,
                reasonIfUnset(code.isNotNull().and(col("_rate").isNull()), UNKNOWN_CURRENCY));
    for (String amount : amounts) {
      if (columns.contains(amount)) {
        result =
            result.withColumn(
                amount, Columns.quoted(amount).multiply(coalesce(col("_rate"), lit(1.0))));
      }
    }
    return result
        .withColumn(
            CURRENCY, when(col("_rate").isNotNull(), lit(currency.base())).otherwise(col(CURRENCY)))
        .drop("_rate");
  }

  /** Users with an implausible age or a negative income. */
  public static Dataset<Row> markUserAnomalies(Dataset<Row> users, CleanConfig.Anomalies rules) {
    Dataset<Row> result = users;
    List<String> columns = Arrays.asList(users.columns());
    if (columns.contains(Users.AGE)) {
      Column age = col(Users.AGE);
      result =
          result.withColumn(
              REASON,
              reasonIfUnset(age.lt(rules.ageMin()).or(age.gt(rules.ageMax())), AGE_OUT_OF_RANGE));
    }
    if (rules.negativeIncome() && columns.contains(Users.INCOME)) {
      result = result.withColumn(REASON, reasonIfUnset(col(Users.INCOME).lt(0), NEGATIVE_INCOME));
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
        .withColumn(REASON, reasonIfUnset(coalesce(outside, lit(false)), PRICE_OUTLIER))
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
        .withColumn(REASON, reasonIfUnset(col("_bot_user").isNotNull(), BOT))
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

  /**
   * Replaces personal columns by a keyed hash (HMAC-SHA256, so that joins on them still work and
   * nobody without the key can reverse or recompute them), or drops them.
   */
  public static Dataset<Row> protectPersonalData(
      Dataset<Row> rows, List<String> personalColumns, UserDefinedFunction keyedHash) {
    Dataset<Row> result = rows;
    for (String column : personalColumns) {
      if (Arrays.asList(result.columns()).contains(column)) {
        result =
            keyedHash == null
                ? result.drop(column)
                : result.withColumn(column, keyedHash.apply(Columns.quoted(column).cast("string")));
      }
    }
    return result;
  }

  /** The data columns: everything but the bookkeeping this class adds. */
  static List<String> dataColumns(Dataset<Row> rows) {
    return Arrays.stream(rows.columns())
        .filter(c -> !c.equals(REASON) && !c.startsWith("_imputed_") && !c.startsWith("_unknown_"))
        .toList();
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
