package org.marketingengine.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Users;
import org.marketingengine.io.InputSchemas;

/**
 * Plants the noise real data has and the clean stage must deal with, on valid rows only (never on a
 * row {@link BadRows} made invalid, so that ingest and clean each see exactly what was planted for
 * them), and marks each planted row in {@link #PLANTED}:
 *
 * <ul>
 *   <li>events: a share of the events written twice, byte for byte ({@code duplicate}); and bot
 *       users ({@code bot-N}, one per {@code 10 / rate} users) with {@value #BOT_EVENTS} views in
 *       one minute ({@code bot});
 *   <li>items: a fifth of the share of the catalog priced 1000 times their usual price ({@code
 *       price_outlier});
 *   <li>users: a share with neither age nor income ({@code missing_value}), for clean to impute.
 * </ul>
 *
 * Rows are chosen by a hash of the seed and the row's key, so a data set is the same on every run.
 */
final class DirtyRows {
  static final String PLANTED = "_planted";
  static final int BOT_EVENTS = 40;
  private static final long BUCKETS = 100_000;

  private DirtyRows() {}

  /** The reasons planted in an input, in the order they are counted. */
  static List<String> kinds(String input) {
    return switch (input) {
      case InputSchemas.EVENTS -> List.of("duplicate", "bot");
      case InputSchemas.ITEMS -> List.of("price_outlier");
      case InputSchemas.USERS -> List.of("missing_value");
      default -> List.of();
    };
  }

  /** The rows with the input's noise planted; {@link #PLANTED} is null on untouched rows. */
  static Dataset<Row> plant(
      SparkSession spark, String input, Dataset<Row> rows, GeneratorParams params) {
    Dataset<Row> marked = rows.withColumn(PLANTED, lit(null).cast("string"));
    double rate = params.noiseRate();
    if (rate <= 0) {
      return marked;
    }
    Column valid = col(BadRows.EXPECTED_REASON).isNull();
    return switch (input) {
      case InputSchemas.EVENTS -> {
        Dataset<Row> copies =
            marked
                .where(valid.and(chosen(params, Events.EVENT_ID, "duplicate", rate)))
                .withColumn(PLANTED, lit("duplicate"));
        yield marked.unionByName(copies).unionByName(bots(spark, marked, params));
      }
      case InputSchemas.ITEMS -> {
        // Rarer than the other noise: an outlier is the exception in its category, and two in
        // a category of a few items would move the quartiles that are to expose them.
        Column outlier = valid.and(chosen(params, Items.ITEM_ID, "price", rate / 5));
        // Before ingest every column may be text (bad rows hold text): compute as a number.
        Column thousandfold =
            col(Items.PRICE)
                .cast("double")
                .multiply(1000)
                .cast(rows.schema().apply(Items.PRICE).dataType());
        yield marked
            .withColumn(Items.PRICE, when(outlier, thousandfold).otherwise(col(Items.PRICE)))
            .withColumn(PLANTED, when(outlier, lit("price_outlier")));
      }
      case InputSchemas.USERS -> {
        Column missing = valid.and(chosen(params, Users.USER_ID, "missing", rate));
        Dataset<Row> out = marked;
        for (String column : List.of(Users.AGE, Users.INCOME)) {
          StructField field = rows.schema().apply(column);
          out =
              out.withColumn(
                  column, when(missing, lit(null).cast(field.dataType())).otherwise(col(column)));
        }
        yield out.withColumn(PLANTED, when(missing, lit("missing_value")));
      }
      default -> marked;
    };
  }

  /** Whether a row is one of the {@code rate} share chosen for {@code kind}. */
  private static Column chosen(GeneratorParams params, String key, String kind, double rate) {
    return pmod(xxhash64(lit(params.seed()), lit(kind), col(key)), lit(BUCKETS))
        .lt(Math.round(rate * BUCKETS));
  }

  /** Bot users: many views of one item within one minute, on the second day of the data. */
  private static Dataset<Row> bots(
      SparkSession spark, Dataset<Row> events, GeneratorParams params) {
    long bots = Math.max(1, Math.round(params.users() * params.noiseRate() / 10));
    long start = params.startDate().plusDays(1).atTime(12, 0).toEpochSecond(ZoneOffset.UTC);
    Column bot = col("id").divide(BOT_EVENTS).cast("long");
    Column second = col("id").mod(BOT_EVENTS);
    Map<String, Column> values =
        Map.of(
            Events.EVENT_ID,
            concat(lit("bot-"), bot.cast("string"), lit("-"), second.cast("string")),
            Events.USER_ID,
            concat(lit("bot-"), bot.cast("string")),
            Events.ITEM_ID,
            lit("i000000"),
            Events.EVENT_TYPE,
            lit("view"),
            Events.EVENT_TIME,
            timestamp_seconds(lit(start).plus(second)),
            Events.QUANTITY,
            lit(1),
            PLANTED,
            lit("bot"));
    List<Column> columns = new ArrayList<>();
    for (StructField field : events.schema().fields()) {
      String name = field.name();
      Column value = values.getOrDefault(name, lit(null));
      columns.add(value.cast(field.dataType()).as(name));
    }
    return spark.range(bots * BOT_EVENTS).select(columns.toArray(Column[]::new));
  }
}
