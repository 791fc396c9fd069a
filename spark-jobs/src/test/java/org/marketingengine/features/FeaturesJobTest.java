package org.marketingengine.features;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class FeaturesJobTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  @TempDir Path out;

  @Test
  void sampleDataGetsTrainingScoringAndResponseRows(SparkSession spark) {
    Path sample = TestConfigs.repoRoot().resolve("sample-data").resolve("csv");
    JobConfig config =
        TestConfigs.config(
            sample.toString(),
            out.toString(),
            RUN_DATE,
            "marketing.features.extra-numeric=[household_size]",
            "marketing.features.extra-categorical=[job, education]");
    new IngestJob().run(spark, config);
    new CleanJob().run(spark, config);

    FeaturesJob.Result result = new FeaturesJob().run(spark, config);

    TableStore store = new TableStore(spark, out.toString(), config.tableFormat());
    Dataset<Row> features = store.read(Tables.USER_FEATURES, RUN_DATE);
    long users = store.read("silver/users", RUN_DATE).count();
    assertThat(result.rowsByPurpose().get("scoring")).isGreaterThanOrEqualTo(users);
    assertThat(result.rowsByPurpose().get("training")).isPositive();
    assertThat(result.rowsByPurpose().get("response"))
        .isEqualTo(store.read("silver/responses", RUN_DATE).count());
    assertThat(result.categories()).hasSize(12);
    assertThat(features.columns()).contains("job", "education", "household_size", "market_trend");
    assertThat(
            features
                .where(col("purpose").equalTo("scoring"))
                .groupBy("user_id")
                .count()
                .where(col("count").gt(1))
                .count())
        .as("one scoring row per user")
        .isZero();
    Dataset<Row> correlations = store.read(Tables.FEATURE_CORRELATIONS, RUN_DATE);
    double frequency =
        correlations.where(col("feature").equalTo("frequency")).first().getAs("corr_purchased");
    assertThat(frequency).as("planted: frequent buyers buy again").isGreaterThan(0.1);
  }

  @Test
  void declaredPersonalColumnsReachNoFeatureOutput(SparkSession spark) {
    TableStore store =
        new TableStore(spark, out.toString(), org.marketingengine.config.TableFormat.PARQUET);
    StructType users =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("email", DataTypes.StringType)
            .add("phone", DataTypes.StringType)
            .add("age", DataTypes.DoubleType);
    store.write(
        "bronze/users",
        RUN_DATE,
        DataFrames.of(
            spark,
            users,
            new Object[] {"u1", "ann@example.com", "+44 1234", 30.0},
            new Object[] {"u2", "bob@example.com", null, 40.0}));
    StructType events =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType);
    store.write(
        "bronze/events",
        RUN_DATE,
        DataFrames.of(
            spark,
            events,
            new Object[] {
              "u1", "i1", "view", Timestamp.from(Instant.parse("2026-10-20T10:00:00Z"))
            }));
    JobConfig config = TestConfigs.config(null, out.toString(), RUN_DATE);

    new CleanJob().run(spark, config);
    new FeaturesJob().run(spark, config);

    // Bronze is written here as it is, values in clear: ingest pseudonymises them as it reads
    // (PersonalDataTest); what matters here is that features keeps none of those columns, even
    // in clear.
    Dataset<Row> features = store.read(Tables.USER_FEATURES, RUN_DATE);
    assertThat(features.columns()).doesNotContain("email", "phone");
    for (StructField field : features.schema().fields()) {
      if (field.dataType().equals(DataTypes.StringType)) {
        assertThat(
                features
                    .where(
                        col(field.name())
                            .contains("@example.com")
                            .or(col(field.name()).contains("1234")))
                    .count())
            .as(field.name())
            .isZero();
      }
    }
  }

  @Test
  void missingSilverEventsOrDeclaredAttributeAreInputErrors(SparkSession spark) {
    JobConfig config = TestConfigs.config(null, out.toString(), RUN_DATE);
    assertThatThrownBy(() -> new FeaturesJob().run(spark, config))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no silver/events for run_date=2026-11-01")
        .hasMessageContaining("Run ingest and clean");

    Path sample = TestConfigs.repoRoot().resolve("sample-data").resolve("csv");
    JobConfig withExtra =
        TestConfigs.config(
            sample.toString(),
            out.toString(),
            RUN_DATE,
            "marketing.features.extra-numeric=[shoe_size]");
    new IngestJob().run(spark, withExtra);
    new CleanJob().run(spark, withExtra);
    assertThatThrownBy(() -> new FeaturesJob().run(spark, withExtra))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("users has no column 'shoe_size'");
  }
}
