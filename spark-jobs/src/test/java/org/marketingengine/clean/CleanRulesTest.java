package org.marketingengine.clean;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.config.CleanConfig;
import org.marketingengine.config.CleanConfig.MissingPolicy;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.io.KeyedHash;
import org.marketingengine.io.PersonalColumns;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class CleanRulesTest {

  private static final StructType EVENTS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("user_id", DataTypes.StringType)
          .add("item_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("price", DataTypes.DoubleType);

  private static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  /** Reason per value of {@code idColumn}. */
  private static Map<String, String> reasons(Dataset<Row> rows, String idColumn) {
    Map<String, String> reasons = new HashMap<>();
    for (Row row : rows.select(col(idColumn), col(CleanRules.REASON)).collectAsList()) {
      reasons.merge(row.getString(0), String.valueOf(row.getString(1)), (a, b) -> a + "," + b);
    }
    return reasons;
  }

  @Test
  void standardiseTrimsAndLowerCasesCategoriesButNotIds(SparkSession spark) {
    StructType schema =
        new StructType().add("user_id", DataTypes.StringType).add("platform", DataTypes.StringType);
    Dataset<Row> rows =
        CleanRules.start(
            DataFrames.of(
                spark,
                schema,
                new Object[] {" U1 ", "WeChat"},
                new Object[] {"u2", " wechat "},
                new Object[] {"u3", "  "}));

    Dataset<Row> standard =
        CleanRules.standardise(rows, Set.of("platform")).drop(CleanRules.REASON);

    DataFrames.assertSameRows(
        DataFrames.of(
            spark,
            schema,
            new Object[] {"U1", "wechat"},
            new Object[] {"u2", "wechat"},
            new Object[] {"u3", null}),
        standard);
  }

  @Test
  void duplicatesByExactCopyByIdAndByTimeTolerance(SparkSession spark) {
    Dataset<Row> events =
        CleanRules.start(
            DataFrames.of(
                spark,
                EVENTS,
                new Object[] {"e1", "u1", "i1", "view", at("2026-10-01T10:00:00Z"), 1.0},
                new Object[] {"e1", "u1", "i1", "view", at("2026-10-01T10:00:00Z"), 1.0},
                new Object[] {"e1", "u1", "i1", "view", at("2026-10-01T11:00:00Z"), 1.0},
                new Object[] {"e2", "u1", "i1", "view", at("2026-10-01T10:00:01Z"), 1.0},
                new Object[] {null, "u2", "i1", "click", at("2026-10-01T10:00:00Z"), 1.0},
                new Object[] {null, "u2", "i1", "click", at("2026-10-01T10:00:02Z"), 1.0},
                new Object[] {null, "u2", "i1", "click", at("2026-10-01T10:00:10Z"), 1.0}));

    Dataset<Row> marked =
        Duplicates.markNearDuplicateEvents(
            Duplicates.markDuplicates(events, List.of("event_id")), 2);

    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Row r : marked.groupBy(CleanRules.REASON).count().collectAsList()) {
      byReason.put(String.valueOf(r.getString(0)), r.getLong(1));
    }
    // e1 x3 -> 1 kept, e2 kept (another id), u2: 10:00:00 kept, :02 duplicate, :10 kept
    assertThat(byReason).containsEntry("duplicate", 3L).containsEntry("null", 4L);
    assertThat(
            marked
                .where(col(CleanRules.REASON).isNull().and(col("event_id").equalTo("e1")))
                .select("event_time")
                .first()
                .getTimestamp(0))
        .as("the earliest copy of an id is kept")
        .isEqualTo(at("2026-10-01T10:00:00Z"));
  }

  @Test
  void missingValuesDropImputeAndCount(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("age", DataTypes.DoubleType)
            .add("region", DataTypes.StringType)
            .add("gender", DataTypes.StringType)
            .add("email", DataTypes.StringType);
    Dataset<Row> users =
        CleanRules.start(
            DataFrames.of(
                spark,
                schema,
                new Object[] {"u1", 20.0, "north", "f", "a@x"},
                new Object[] {"u2", 30.0, "north", null, "b@x"},
                new Object[] {"u3", 90.0, "south", "m", null},
                new Object[] {"u4", null, null, "m", "d@x"}));
    Map<String, MissingPolicy> policies = new LinkedHashMap<>();
    policies.put("email", new MissingPolicy(MissingPolicy.Kind.DROP, null));
    policies.put("age", new MissingPolicy(MissingPolicy.Kind.MEDIAN, null));
    policies.put("region", new MissingPolicy(MissingPolicy.Kind.MODE, null));
    policies.put("gender", new MissingPolicy(MissingPolicy.Kind.DEFAULT, "unknown"));
    policies.put("not_there", new MissingPolicy(MissingPolicy.Kind.DROP, null));

    Dataset<Row> cleaned = CleanRules.handleMissing(users, "users", policies);

    assertThat(reasons(cleaned, "user_id"))
        .containsEntry("u3", "missing_value:email")
        .containsEntry("u1", "null");
    Row u4 = cleaned.where(col("user_id").equalTo("u4")).first();
    assertThat(u4.<Double>getAs("age")).as("median of kept rows 20, 30").isIn(20.0, 30.0);
    assertThat(u4.<String>getAs("region")).isEqualTo("north");
    assertThat(u4.<Integer>getAs("age_is_missing")).isEqualTo(1);
    assertThat(u4.<Boolean>getAs("_imputed_age")).isTrue();
    Row u2 = cleaned.where(col("user_id").equalTo("u2")).first();
    assertThat(u2.<String>getAs("gender")).isEqualTo("unknown");
    assertThat(u2.<Integer>getAs("age_is_missing")).isZero();
    assertThat(cleaned.columns()).doesNotContain("gender_is_missing");
  }

  @Test
  void medianOfTextIsAConfigError(SparkSession spark) {
    StructType schema = new StructType().add("region", DataTypes.StringType);
    Dataset<Row> rows = CleanRules.start(DataFrames.of(spark, schema, new Object[] {"x"}));

    assertThatThrownBy(
            () ->
                CleanRules.handleMissing(
                    rows,
                    "users",
                    Map.of("region", new MissingPolicy(MissingPolicy.Kind.MEDIAN, null))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.clean.missing.users.region")
        .hasMessageContaining("not numeric");
  }

  @Test
  void implausibleAgesAndNegativeIncomes(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("age", DataTypes.DoubleType)
            .add("income", DataTypes.DoubleType);
    Dataset<Row> users =
        CleanRules.start(
            DataFrames.of(
                spark,
                schema,
                new Object[] {"ok", 40.0, 50_000.0},
                new Object[] {"young", 5.0, 1.0},
                new Object[] {"old", 140.0, 1.0},
                new Object[] {"poor", 40.0, -10.0},
                new Object[] {"unknown-age", null, 1.0}));

    Map<String, String> reasons =
        reasons(
            Anomalies.markUserAnomalies(
                users,
                new CleanConfig.Anomalies(
                    13,
                    110,
                    true,
                    true,
                    3,
                    true,
                    30,
                    CleanConfig.UnknownPolicy.KEEP,
                    CleanConfig.UnknownPolicy.KEEP)),
            "user_id");

    assertThat(reasons)
        .containsEntry("ok", "null")
        .containsEntry("young", CleanRules.AGE_OUT_OF_RANGE)
        .containsEntry("old", CleanRules.AGE_OUT_OF_RANGE)
        .containsEntry("poor", CleanRules.NEGATIVE_INCOME)
        .containsEntry("unknown-age", "null");
  }

  @Test
  void priceOutliersArePerCategory(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("item_id", DataTypes.StringType)
            .add("category", DataTypes.StringType)
            .add("price", DataTypes.DoubleType);
    Object[][] rows = new Object[22][];
    for (int i = 0; i < 10; i++) {
      rows[i] = new Object[] {"book" + i, "books", 10.0 + i};
      rows[10 + i] = new Object[] {"tv" + i, "electronics", 500.0 + 10 * i};
    }
    rows[20] = new Object[] {"golden-book", "books", 5_000.0};
    rows[21] = new Object[] {"cheap-tv", "electronics", 12.0};

    Map<String, String> reasons =
        reasons(
            Anomalies.markPriceOutliers(
                CleanRules.start(DataFrames.of(spark, schema, rows)),
                "category",
                "item_id",
                "price",
                3.0),
            "item_id");

    assertThat(reasons)
        .containsEntry("golden-book", CleanRules.PRICE_OUTLIER)
        .containsEntry("cheap-tv", CleanRules.PRICE_OUTLIER)
        .containsEntry("book9", "null")
        .containsEntry("tv0", "null");
  }

  @Test
  void botsLoseAllTheirEvents(SparkSession spark) {
    Object[][] rows = new Object[43][];
    for (int i = 0; i < 40; i++) {
      rows[i] =
          new Object[] {
            "b" + i,
            "bot",
            "i1",
            "view",
            at("2026-10-01T10:00:" + String.format("%02d", i) + "Z"),
            1.0
          };
    }
    rows[40] = new Object[] {"b40", "bot", "i1", "view", at("2026-10-02T10:00:00Z"), 1.0};
    rows[41] = new Object[] {"h1", "human", "i1", "view", at("2026-10-01T10:00:00Z"), 1.0};
    rows[42] = new Object[] {"h2", "human", "i1", "view", at("2026-10-01T10:00:30Z"), 1.0};

    Dataset<Row> marked =
        Anomalies.markBots(CleanRules.start(DataFrames.of(spark, EVENTS, rows)), 30);

    assertThat(marked.where(col(CleanRules.REASON).equalTo(CleanRules.BOT)).count()).isEqualTo(41);
    assertThat(marked.where(col(CleanRules.REASON).isNull()).count()).isEqualTo(2);
  }

  @Test
  void unknownUsersAreFlaggedAndDroppedOnlyWhenConfigured(SparkSession spark) {
    Dataset<Row> events =
        CleanRules.start(
            DataFrames.of(
                spark,
                EVENTS,
                new Object[] {"e1", "u1", "i1", "view", at("2026-10-01T10:00:00Z"), 1.0},
                new Object[] {"e2", "ghost", "i1", "view", at("2026-10-01T10:00:00Z"), 1.0}));
    Dataset<Row> users =
        DataFrames.of(
            spark, new StructType().add("user_id", DataTypes.StringType), new Object[] {"u1"});

    Dataset<Row> kept =
        Anomalies.markUnknown(
            events,
            "user_id",
            users,
            CleanConfig.UnknownPolicy.KEEP,
            "_unknown_user",
            CleanRules.UNKNOWN_USER);
    Dataset<Row> dropped =
        Anomalies.markUnknown(
            events,
            "user_id",
            users,
            CleanConfig.UnknownPolicy.DROP,
            "_unknown_user",
            CleanRules.UNKNOWN_USER);

    assertThat(kept.where(col("_unknown_user")).count()).isEqualTo(1);
    assertThat(kept.where(col(CleanRules.REASON).isNotNull()).count()).isZero();
    assertThat(reasons(dropped, "event_id"))
        .containsEntry("e2", CleanRules.UNKNOWN_USER)
        .containsEntry("e1", "null");
  }

  @Test
  void amountsAreConvertedToTheBaseCurrency(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("item_id", DataTypes.StringType)
            .add("price", DataTypes.DoubleType)
            .add("currency", DataTypes.StringType);
    Dataset<Row> items =
        CleanRules.start(
            DataFrames.of(
                spark,
                schema,
                new Object[] {"eur", 10.0, "EUR"},
                new Object[] {"usd", 10.0, "usd"},
                new Object[] {"yen", 1000.0, "JPY"},
                new Object[] {"none", 5.0, null}));

    Dataset<Row> converted =
        CleanRules.convertCurrency(
            items, List.of("price"), new CleanConfig.Currency("EUR", Map.of("USD", 0.9)));

    assertThat(reasons(converted, "item_id"))
        .containsEntry("yen", CleanRules.UNKNOWN_CURRENCY)
        .containsEntry("usd", "null")
        .containsEntry("none", "null");
    Row usd = converted.where(col("item_id").equalTo("usd")).first();
    assertThat(usd.<Double>getAs("price")).isEqualTo(9.0);
    assertThat(usd.<String>getAs("currency")).isEqualTo("EUR");
    assertThat(
            CleanRules.convertCurrency(
                    items, List.of("price"), new CleanConfig.Currency("", Map.of()))
                .where(col("item_id").equalTo("usd"))
                .first()
                .<Double>getAs("price"))
        .as("no rates: unchanged")
        .isEqualTo(10.0);
  }

  @Test
  void personalColumnsArePseudonymisedConsistentlyOrDropped(SparkSession spark) {
    StructType schema =
        new StructType().add("user_id", DataTypes.StringType).add("email", DataTypes.StringType);
    Dataset<Row> users =
        DataFrames.of(
            spark,
            schema,
            new Object[] {"u1", "ann@example.com"},
            new Object[] {"u2", "ann@example.com"},
            new Object[] {"u3", null});

    List<Row> hashed =
        PersonalColumns.protect(users, List.of("email", "phone"), KeyedHash.udfFor("k1"))
            .orderBy("user_id")
            .collectAsList();
    List<Row> otherKey =
        PersonalColumns.protect(users, List.of("email"), KeyedHash.udfFor("k2"))
            .orderBy("user_id")
            .collectAsList();

    assertThat(hashed.get(0).getString(1)).hasSize(64).isNotEqualTo("ann@example.com");
    assertThat(hashed.get(1).getString(1)).isEqualTo(hashed.get(0).getString(1));
    assertThat(hashed.get(2).isNullAt(1)).isTrue();
    assertThat(otherKey.get(0).getString(1)).isNotEqualTo(hashed.get(0).getString(1));
    assertThat(PersonalColumns.protect(users, List.of("email"), null).columns())
        .containsExactly("user_id");
  }
}
