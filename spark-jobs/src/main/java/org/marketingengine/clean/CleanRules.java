package org.marketingengine.clean;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.marketingengine.Columns;
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

  /** The data columns: everything but the bookkeeping this class adds. */
  static List<String> dataColumns(Dataset<Row> rows) {
    return Arrays.stream(rows.columns())
        .filter(c -> !c.equals(REASON) && !c.startsWith("_imputed_") && !c.startsWith("_unknown_"))
        .toList();
  }
}
