package org.marketingengine.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.FileFormat;
import org.marketingengine.io.InputSchemas;

/**
 * Turns a share of generated rows into bad rows, one documented kind per row, and records the
 * reason ingest must give each in {@link #EXPECTED_REASON}. Kinds that a typed Parquet file cannot
 * hold (malformed lines, wrong types, unparseable timestamps) are only injected into CSV.
 */
final class BadRows {
  /** The quarantine reason ingest must report for the row; null for a good row. */
  static final String EXPECTED_REASON = "_expected_reason";

  static final String MALFORMED_LINE = "malformed_line";

  /**
   * One kind of bad row.
   *
   * @param typed the bad value as a typed column (usable in Parquet and CSV), or null
   * @param text the bad value as text (CSV only), or null
   */
  record Kind(String reason, String column, Function<Column, Column> typed, String text) {
    static Kind typed(String reason, String column, Function<Column, Column> value) {
      return new Kind(reason + ":" + column, column, value, null);
    }

    static Kind text(String reason, String column, String value) {
      return new Kind(reason + ":" + column, column, null, value);
    }

    static Kind malformed() {
      return new Kind(MALFORMED_LINE, null, null, null);
    }

    boolean fitsParquet() {
      return typed != null;
    }
  }

  private BadRows() {}

  /** The kinds of bad row injected into each input. */
  static Map<String, List<Kind>> kinds(LocalDate endDate) {
    Timestamp future =
        Timestamp.from(endDate.plusDays(400).atStartOfDay(ZoneOffset.UTC).toInstant());
    Function<Column, Column> nullValue = c -> lit(null).cast(DataTypes.StringType);
    Function<Column, Column> negative = c -> c.multiply(-1).minus(1);
    return Map.of(
        InputSchemas.EVENTS,
        List.of(
            Kind.malformed(),
            Kind.typed("missing_value", Events.USER_ID, nullValue),
            Kind.text("wrong_type", Events.PRICE, "twelve"),
            Kind.typed("unknown_value", Events.EVENT_TYPE, c -> lit("teleport")),
            Kind.typed("negative_value", Events.PRICE, negative),
            Kind.typed("negative_value", Events.QUANTITY, c -> lit(-1L)),
            Kind.typed("out_of_range", Events.RATING, c -> lit(9.0)),
            Kind.text("unparseable_timestamp", Events.EVENT_TIME, "not-a-time"),
            Kind.typed("future_timestamp", Events.EVENT_TIME, c -> lit(future))),
        InputSchemas.USERS,
        List.of(
            Kind.malformed(),
            Kind.typed("missing_value", Users.USER_ID, nullValue),
            Kind.text("wrong_type", Users.AGE, "forty"),
            Kind.text("wrong_type", Users.EMAIL_OPT_IN, "maybe"),
            Kind.text("unparseable_date", Users.SIGNUP_DATE, "31/02/2020")),
        InputSchemas.ITEMS,
        List.of(
            Kind.malformed(),
            Kind.typed("missing_value", Items.CATEGORY, nullValue),
            Kind.typed("negative_value", Items.PRICE, negative),
            Kind.typed("out_of_range", Items.MARGIN_RATE, c -> lit(1.7)),
            Kind.text("wrong_type", Items.IN_STOCK, "perhaps")),
        InputSchemas.MARKET,
        List.of(
            Kind.malformed(),
            Kind.typed("missing_value", Market.CATEGORY, nullValue),
            Kind.text("unparseable_date", Market.DATE, "yesterday"),
            Kind.text("wrong_type", Market.TREND_INDEX, "high"),
            Kind.typed("negative_value", Market.PROMO_INTENSITY, c -> lit(-0.3))),
        InputSchemas.SOCIAL,
        List.of(
            Kind.malformed(),
            Kind.typed("missing_value", Social.USER_ID, nullValue),
            Kind.typed("unknown_value", Social.INTERACTION_TYPE, c -> lit("poke")),
            Kind.typed("out_of_range", Social.SENTIMENT, c -> lit(3.5)),
            Kind.text("unparseable_timestamp", Social.EVENT_TIME, "soon"),
            Kind.typed("future_timestamp", Social.EVENT_TIME, c -> lit(future))),
        InputSchemas.RESPONSES,
        List.of(
            Kind.malformed(),
            Kind.typed("missing_value", Responses.CAMPAIGN_ID, nullValue),
            Kind.typed("unknown_value", Responses.GROUP, c -> lit("holdout")),
            Kind.text("wrong_type", Responses.CONVERTED, "perhaps"),
            Kind.typed("negative_value", Responses.REVENUE, c -> lit(-20.0)),
            Kind.text("unparseable_timestamp", Responses.SENT_TIME, "tomorrow")));
  }

  /**
   * Injects bad rows into a generated table and, for CSV, turns every column into text.
   *
   * @param columns the columns to keep, in output order
   * @param epochMillisColumns timestamp columns written as epoch milliseconds in CSV
   */
  static Dataset<Row> inject(
      Dataset<Row> table,
      String input,
      List<String> columns,
      List<String> epochMillisColumns,
      List<Kind> allKinds,
      FileFormat format,
      double rate,
      SeededRandom random) {
    List<Kind> kinds =
        allKinds.stream().filter(k -> format == FileFormat.CSV || k.fitsParquet()).toList();
    Column key = col(SyntheticData.KEY);
    Column reasons =
        org.apache.spark.sql.functions.array(
            kinds.stream().map(k -> lit(k.reason())).toArray(Column[]::new));
    Column kindIndex =
        floor(random.uniform("badkind/" + input, key).multiply(kinds.size())).plus(1).cast("int");
    Column expected =
        when(random.bernoulli("bad/" + input, rate, key), element_at(reasons, kindIndex));

    List<Column> selected = new ArrayList<>();
    for (String name : columns) {
      selected.add(col(name));
    }
    selected.add(expected.as(EXPECTED_REASON));
    Dataset<Row> withReason = table.select(selected.toArray(Column[]::new));

    Dataset<Row> result = withReason;
    for (Kind kind : kinds) {
      if (kind.typed() != null) {
        result = replace(result, kind, kind.typed().apply(col(kind.column())));
      }
    }
    if (format == FileFormat.PARQUET) {
      return result;
    }
    List<Column> text = new ArrayList<>();
    for (StructField field : result.schema().fields()) {
      text.add(asText(field, epochMillisColumns.contains(field.name())).as(field.name()));
    }
    result = result.select(text.toArray(Column[]::new));
    for (Kind kind : kinds) {
      if (kind.text() != null) {
        result = replace(result, kind, lit(kind.text()));
      }
    }
    return result;
  }

  private static Dataset<Row> replace(Dataset<Row> rows, Kind kind, Column badValue) {
    DataType type = rows.schema().apply(kind.column()).dataType();
    return rows.withColumn(
        kind.column(),
        when(col(EXPECTED_REASON).equalTo(kind.reason()), badValue.cast(type))
            .otherwise(col(kind.column())));
  }

  private static Column asText(StructField field, boolean epochMillis) {
    Column c = col(field.name());
    DataType type = field.dataType();
    if (type.equals(DataTypes.TimestampType)) {
      return epochMillis
          ? unix_millis(c).cast(DataTypes.StringType)
          : date_format(c, "yyyy-MM-dd'T'HH:mm:ss'Z'");
    }
    return c.cast(DataTypes.StringType);
  }
}
