package org.marketingengine.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.RawInput;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class IngestValidationTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  /** Raw events as the reader gives them: text, plus an extra column and bookkeeping. */
  private static final StructType RAW_EVENTS =
      new StructType()
          .add("user_id", DataTypes.StringType)
          .add("item_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.StringType)
          .add("quantity", DataTypes.StringType)
          .add("price", DataTypes.StringType)
          .add("rating", DataTypes.StringType)
          .add("store_code", DataTypes.StringType)
          .add(Quarantine.RAW_RECORD, DataTypes.StringType)
          .add(Quarantine.SOURCE_FILE, DataTypes.StringType)
          .add(RawInput.MALFORMED, DataTypes.BooleanType);

  private static Object[] event(
      String id, String user, String type, String time, String qty, String price, String rating) {
    return new Object[] {user, "i1", type, time, qty, price, rating, "S1", id, "f.csv", false};
  }

  /** Maps each row's raw_record (used as a row id here) to its reason. */
  private static Map<String, String> reasons(Dataset<Row> validated) {
    Map<String, String> reasons = new LinkedHashMap<>();
    for (Row row : validated.select(Quarantine.RAW_RECORD, Quarantine.REASON).collectAsList()) {
      reasons.put(row.getString(0), row.getString(1));
    }
    return reasons;
  }

  @Test
  void onlyRejectedRowsKeepTheirRawRecordForTheCache(SparkSession spark) {
    Dataset<Row> raw =
        DataFrames.of(
            spark,
            RAW_EVENTS,
            event("ok", "u1", "view", "2026-10-01T10:00:00Z", "2", "9.5", null),
            event("type", "u1", "view", "2026-10-01T10:00:00Z", "1", "twelve", null));
    Dataset<Row> lean =
        IngestValidation.rawRecordOfRejectedOnly(
            IngestValidation.apply(raw, InputSchemas.EVENTS_SCHEMA, RUN_DATE, 0));

    List<Row> rows =
        lean.orderBy(col("price").asc_nulls_first())
            .select(Quarantine.RAW_RECORD, Quarantine.REASON)
            .collectAsList();
    assertThat(rows.get(0).getString(0)).isEqualTo("type");
    assertThat(rows.get(0).getString(1)).isEqualTo("wrong_type:price");
    assertThat(rows.get(1).isNullAt(0)).isTrue();
    assertThat(rows.get(1).isNullAt(1)).isTrue();
    assertThat(IngestValidation.valid(lean).count()).isEqualTo(1);
    assertThat(IngestValidation.rejected(lean).first().getString(0)).isEqualTo("type");
  }

  @Test
  void everyRuleGivesItsReason(SparkSession spark) {
    Dataset<Row> raw =
        DataFrames.of(
            spark,
            RAW_EVENTS,
            event("ok", "u1", "view", "2026-10-01T10:00:00Z", "2", "9.5", null),
            event("missing", " ", "view", "2026-10-01T10:00:00Z", null, null, null),
            event("type", "u1", "view", "2026-10-01T10:00:00Z", "1", "twelve", null),
            event("qty-type", "u1", "view", "2026-10-01T10:00:00Z", "1.5", null, null),
            event("nan", "u1", "view", "2026-10-01T10:00:00Z", null, "NaN", null),
            event("time", "u1", "view", "not-a-time", null, null, null),
            event("enum", "u1", "teleport", "2026-10-01T10:00:00Z", null, null, null),
            event("neg-price", "u1", "purchase", "2026-10-01T10:00:00Z", "1", "-3", null),
            event("neg-qty", "u1", "purchase", "2026-10-01T10:00:00Z", "-1", "3", null),
            event("zero-qty", "u1", "purchase", "2026-10-01T10:00:00Z", "0", "3", null),
            event("rating", "u1", "review", "2026-10-01T10:00:00Z", null, null, "6"),
            event("future", "u1", "view", "2026-11-02T00:00:00Z", null, null, null),
            new Object[] {"u1", "i1", null, null, null, null, null, null, "bad", "f.csv", true});

    Map<String, String> reasons =
        reasons(IngestValidation.apply(raw, InputSchemas.EVENTS_SCHEMA, RUN_DATE, 0));

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("ok", null);
    expected.put("missing", "missing_value:user_id");
    expected.put("type", "wrong_type:price");
    expected.put("qty-type", "wrong_type:quantity");
    expected.put("nan", "wrong_type:price");
    expected.put("time", "unparseable_timestamp:event_time");
    expected.put("enum", "unknown_value:event_type");
    expected.put("neg-price", "negative_value:price");
    expected.put("neg-qty", "negative_value:quantity");
    expected.put("zero-qty", "out_of_range:quantity");
    expected.put("rating", "out_of_range:rating");
    expected.put("future", "future_timestamp:event_time");
    expected.put("bad", "malformed_line");
    assertThat(reasons).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void futureToleranceAndRunDateBoundary(SparkSession spark) {
    Dataset<Row> raw =
        DataFrames.of(
            spark,
            RAW_EVENTS,
            event("last-second", "u1", "view", "2026-11-01T23:59:59Z", null, null, null),
            event("next-day", "u1", "view", "2026-11-02T01:00:00Z", null, null, null));

    assertThat(reasons(IngestValidation.apply(raw, InputSchemas.EVENTS_SCHEMA, RUN_DATE, 0)))
        .containsEntry("last-second", null)
        .containsEntry("next-day", "future_timestamp:event_time");
    assertThat(reasons(IngestValidation.apply(raw, InputSchemas.EVENTS_SCHEMA, RUN_DATE, 2)))
        .containsEntry("next-day", null);
  }

  @Test
  void validRowsAreTypedWithExtrasKeptAndAbsentColumnsNull(SparkSession spark) {
    Dataset<Row> raw =
        DataFrames.of(
            spark,
            RAW_EVENTS,
            event("iso", " u1 ", " View ", "2026-10-01T10:00:00Z", "2", "9.5", null),
            event("millis", "u2", "REVIEW", "1790000000000", null, null, "4"),
            event("bad", "u3", "view", "never", null, null, null));

    Dataset<Row> valid =
        IngestValidation.valid(
            IngestValidation.apply(raw, InputSchemas.EVENTS_SCHEMA, RUN_DATE, 0));

    StructType typed =
        new StructType()
            .add("event_id", DataTypes.StringType)
            .add("user_id", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("quantity", DataTypes.LongType)
            .add("price", DataTypes.DoubleType)
            .add("rating", DataTypes.DoubleType)
            .add("channel", DataTypes.StringType)
            .add("session_id", DataTypes.StringType)
            .add("store_code", DataTypes.StringType);
    DataFrames.assertSameRows(
        DataFrames.of(
            spark,
            typed,
            new Object[] {
              null,
              "u1",
              "i1",
              "view",
              Timestamp.from(Instant.parse("2026-10-01T10:00:00Z")),
              2L,
              9.5,
              null,
              null,
              null,
              "S1"
            },
            new Object[] {
              null,
              "u2",
              "i1",
              "review",
              Timestamp.from(Instant.ofEpochMilli(1790000000000L)),
              null,
              null,
              4.0,
              null,
              null,
              "S1"
            }),
        valid);
  }

  @Test
  void rejectedRowsKeepRawRecordReasonAndSource(SparkSession spark) {
    Dataset<Row> raw =
        DataFrames.of(
            spark,
            RAW_EVENTS,
            event(
                "{\"user_id\":\"u1\"}",
                "u1",
                "teleport",
                "2026-10-01T10:00:00Z",
                null,
                null,
                null));

    Dataset<Row> rejected =
        IngestValidation.rejected(
            IngestValidation.apply(raw, InputSchemas.EVENTS_SCHEMA, RUN_DATE, 0));

    assertThat(rejected.columns())
        .containsExactly(
            Quarantine.RAW_RECORD, Quarantine.REASON, Quarantine.SOURCE_FILE, Quarantine.STAGE);
    Row row = rejected.first();
    assertThat(row.getString(0)).isEqualTo("{\"user_id\":\"u1\"}");
    assertThat(row.getString(1)).isEqualTo("unknown_value:event_type");
    assertThat(row.getString(2)).isEqualTo("f.csv");
  }

  @Test
  void booleansAndDatesOfUsers(SparkSession spark) {
    StructType rawUsers =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("email_opt_in", DataTypes.StringType)
            .add("signup_date", DataTypes.StringType)
            .add(Quarantine.RAW_RECORD, DataTypes.StringType)
            .add(Quarantine.SOURCE_FILE, DataTypes.StringType)
            .add(RawInput.MALFORMED, DataTypes.BooleanType);
    Dataset<Row> raw =
        DataFrames.of(
            spark,
            rawUsers,
            new Object[] {"u1", "Yes", "2024-02-29", "a", "f", false},
            new Object[] {"u2", "0", "", "b", "f", false},
            new Object[] {"u3", "maybe", "2024-01-01", "c", "f", false},
            new Object[] {"u4", "true", "31/02/2020", "d", "f", false});

    Dataset<Row> validated = IngestValidation.apply(raw, InputSchemas.USERS_SCHEMA, RUN_DATE, 0);

    assertThat(reasons(validated))
        .containsEntry("a", null)
        .containsEntry("b", null)
        .containsEntry("c", "wrong_type:email_opt_in")
        .containsEntry("d", "unparseable_date:signup_date");
    List<Row> optIns =
        IngestValidation.valid(validated)
            .orderBy("user_id")
            .select(col("email_opt_in"), col("signup_date").cast("string"))
            .collectAsList();
    assertThat(optIns.get(0).getBoolean(0)).isTrue();
    assertThat(optIns.get(0).getString(1)).isEqualTo("2024-02-29");
    assertThat(optIns.get(1).getBoolean(0)).isFalse();
    assertThat(optIns.get(1).isNullAt(1)).isTrue();
  }
}
