package org.marketingengine.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.quality.InputQuality;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class GenerateDataJobTest {

  private static final LocalDate END = LocalDate.of(2026, 11, 1);

  @TempDir Path dir;

  private static GeneratorParams params(long users, long seed, FileFormat format, double badRate) {
    return new GeneratorParams(users, 60, 30, seed, END, format, badRate, 12, 0);
  }

  private static Dataset<Row> lines(SparkSession spark, Path root, String input) {
    return spark.read().text(root.resolve(input).toString());
  }

  @Test
  void sameSeedGivesTheSameDataAndAnotherSeedDifferentData(SparkSession spark) {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    GenerateDataJob.run(spark, params(300, 7, FileFormat.CSV, 0.01), a.toString());
    GenerateDataJob.run(spark, params(300, 7, FileFormat.CSV, 0.01), b.toString());
    GenerateDataJob.run(spark, params(300, 8, FileFormat.CSV, 0.01), c.toString());

    for (String input : List.of("users", "items", "market", "events", "social", "responses")) {
      DataFrames.assertSameRows(lines(spark, a, input), lines(spark, b, input));
    }
    assertThat(lines(spark, a, "events").exceptAll(lines(spark, c, "events")).count()).isPositive();
  }

  @Test
  void parquetHoldsOnlyTypedBadRowsAndIngestFindsEachOne(SparkSession spark) {
    Path data = dir.resolve("parquet");
    List<GenerateDataJob.Written> written =
        GenerateDataJob.run(spark, params(400, 3, FileFormat.PARQUET, 0.05), data.toString());

    List<InputQuality> ingested =
        new IngestJob()
            .run(spark, TestConfigs.config(data.toString(), dir.resolve("out").toString(), END))
            .inputs();

    Map<String, Map<String, Long>> expected =
        written.stream()
            .collect(
                Collectors.toMap(
                    GenerateDataJob.Written::input, GenerateDataJob.Written::badRowsByReason));
    for (InputQuality result : ingested) {
      assertThat(result.quarantinedByReason())
          .as(result.input())
          .isEqualTo(expected.get(result.input()));
      assertThat(result.quarantinedByReason().keySet())
          .noneMatch(r -> r.startsWith("malformed") || r.startsWith("wrong_type"));
    }
    assertThat(spark.read().parquet(data.resolve("events").toString()).schema().simpleString())
        .contains("event_time:timestamp", "price:double");
  }

  @Test
  void plantedUpliftAndPropensityShowInTheData(SparkSession spark) {
    SyntheticData data =
        new SyntheticData(
            spark, new GeneratorParams(40_000, 120, 60, 11, END, FileFormat.CSV, 0, 12, 0));

    Dataset<Row> responses = data.responses();
    Map<String, Double> conversion =
        responses
            .groupBy(col("_segment_name"), col("offer"))
            .agg(avg(when(col("converted"), 1.0).otherwise(0.0)).as("rate"))
            .collectAsList()
            .stream()
            .collect(
                Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r.getDouble(2)));
    double discountUpliftPriceSensitive =
        conversion.get("price_sensitive/discount") - conversion.get("price_sensitive/none");
    double discountUpliftAffluent =
        conversion.get("affluent/discount") - conversion.get("affluent/none");
    assertThat(discountUpliftPriceSensitive).isBetween(0.04, 0.12);
    assertThat(discountUpliftPriceSensitive).isGreaterThan(discountUpliftAffluent + 0.02);
    assertThat(
            responses.where(col("group").equalTo("control")).count() / (double) responses.count())
        .isBetween(0.17, 0.23);

    Dataset<Row> purchasesByIncome =
        data.events()
            .join(data.users().select("user_id", "_income_z"), "user_id")
            .groupBy(when(col("_income_z").gt(0.5), "high").otherwise("low").as("band"))
            .agg(avg(when(col("event_type").equalTo("purchase"), 1.0).otherwise(0.0)).as("share"));
    Map<String, Double> share =
        purchasesByIncome.collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getDouble(1)));
    assertThat(share.get("high")).isGreaterThan(share.get("low") * 1.2);
  }

  @Test
  void invalidSizesAreConfigErrors() {
    assertThatThrownBy(() -> params(0, 1, FileFormat.CSV, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--users");
    assertThatThrownBy(() -> params(10, 1, FileFormat.CSV, 0.8))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--bad-rows-rate");
  }
}
