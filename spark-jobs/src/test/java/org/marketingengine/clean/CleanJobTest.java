package org.marketingengine.clean;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.JobConfig;
import org.marketingengine.generate.GenerateDataJob;
import org.marketingengine.generate.GeneratorParams;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.CleanQuality;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class CleanJobTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  @TempDir Path out;

  private static void assertReconciles(SparkSession spark, Path out) {
    JsonNode inputs =
        DataQualityReport.read(spark.sparkContext().hadoopConfiguration(), out.toString(), RUN_DATE)
            .path("inputs");
    for (String input : List.of("events", "users", "items", "market", "social", "responses")) {
      JsonNode summary = inputs.path(input).path("summary");
      assertThat(summary.path("reconciles").asBoolean()).as(input + ": " + summary).isTrue();
      assertThat(summary.path("rows_read").asLong())
          .isEqualTo(
              summary.path("rows_kept").asLong()
                  + summary.path("rows_quarantined").asLong()
                  + summary.path("duplicates_removed").asLong()
                  + summary.path("anomalies_removed").asLong());
    }
  }

  @Test
  void sampleDataReconcilesAndStandardises(SparkSession spark) {
    Path sample = TestConfigs.repoRoot().resolve("sample-data").resolve("csv");
    JobConfig config = TestConfigs.config(sample.toString(), out.toString(), RUN_DATE);
    spark.catalog().clearCache(); // what earlier tests of the shared session left cached
    new IngestJob().run(spark, config);

    List<CleanQuality> results = new CleanJob().run(spark, config).inputs();

    assertThat(results).hasSize(6).allMatch(r -> r.status().equals("read"));
    assertThat(spark.sharedState().cacheManager().isEmpty())
        .as("each input's marked rows are cached for its two writes, then released")
        .isTrue();
    assertReconciles(spark, out);
    TableStore store = new TableStore(spark, out.toString(), config.tableFormat());
    assertThat(store.read("silver/social", RUN_DATE).where(col("platform").rlike("[A-Z ]")).count())
        .as("platform names are trimmed and lower-case")
        .isZero();
    assertThat(
            store.read("quarantine/events", RUN_DATE).select(Quarantine.STAGE).distinct().count())
        .isPositive();
    CleanQuality events =
        results.stream().filter(r -> r.input().equals("events")).findFirst().orElseThrow();
    assertThat(events.rowsKept()).isEqualTo(store.read("silver/events", RUN_DATE).count());
  }

  /** Generates, ingests and cleans a small data set; returns data_quality.json's inputs. */
  private JsonNode generateIngestClean(SparkSession spark, String name, double noiseRate) {
    Path data = out.resolve(name).resolve("data");
    GenerateDataJob.run(
        spark,
        new GeneratorParams(
            400,
            80,
            30,
            7,
            RUN_DATE,
            org.marketingengine.config.FileFormat.CSV,
            0.02,
            12,
            noiseRate),
        data.toString());
    Path lake = out.resolve(name).resolve("lake");
    JobConfig config = TestConfigs.config(data.toString(), lake.toString(), RUN_DATE);
    new IngestJob().run(spark, config);
    new CleanJob().run(spark, config);
    assertReconciles(spark, lake);
    return DataQualityReport.read(
            spark.sparkContext().hadoopConfiguration(), lake.toString(), RUN_DATE)
        .path("inputs");
  }

  private JsonNode planted(String name, String input) throws java.io.IOException {
    JsonNode manifest =
        org.marketingengine.io.Json.MAPPER.readTree(
            out.resolve(name).resolve("data").resolve(GenerateDataJob.MANIFEST).toFile());
    return manifest.path("inputs").path(input).path("planted");
  }

  /**
   * The generator's noise is what clean removes or repairs, and nothing else changes: against the
   * same data without noise (same seed, same bad rows), clean removes exactly the planted duplicate
   * and bot events and outlier prices, and imputes exactly the planted missing ages and incomes.
   */
  @Test
  void cleanRemovesWhatTheGeneratorPlantedAndNothingElse(SparkSession spark) throws Exception {
    JsonNode plain = generateIngestClean(spark, "plain", 0);
    JsonNode noisy = generateIngestClean(spark, "noisy", 0.05);

    JsonNode events = planted("noisy", "events");
    assertThat(events.path("duplicate").asLong()).isPositive();
    assertThat(events.path("bot").asLong()).isEqualTo(2 * 40);
    assertThat(
            removed(noisy, "events", CleanRules.DUPLICATE)
                - removed(plain, "events", CleanRules.DUPLICATE))
        .isEqualTo(events.path("duplicate").asLong());
    assertThat(removed(noisy, "events", CleanRules.BOT) - removed(plain, "events", CleanRules.BOT))
        .isEqualTo(events.path("bot").asLong());
    long outliers = planted("noisy", "items").path("price_outlier").asLong();
    assertThat(outliers).isPositive();
    assertThat(
            removed(noisy, "items", CleanRules.PRICE_OUTLIER)
                - removed(plain, "items", CleanRules.PRICE_OUTLIER))
        .isEqualTo(outliers);
    long missing = planted("noisy", "users").path("missing_value").asLong();
    assertThat(missing).isPositive();
    for (String column : List.of("age", "income")) {
      assertThat(imputed(noisy, column) - imputed(plain, column)).as(column).isEqualTo(missing);
    }
    // Everything else is as without noise.
    for (String input : List.of("market", "social", "responses")) {
      assertThat(noisy.path(input).path("summary")).isEqualTo(plain.path(input).path("summary"));
    }
    assertThat(noisy.path("events").path("summary").path("rows_kept").asLong())
        .isEqualTo(plain.path("events").path("summary").path("rows_kept").asLong());
  }

  private static long removed(JsonNode inputs, String input, String reason) {
    return inputs.path(input).path("clean").path("removed_by_reason").path(reason).asLong(0);
  }

  private static long imputed(JsonNode inputs, String column) {
    return inputs.path("users").path("clean").path("values_imputed").path(column).asLong(0);
  }

  @Test
  void generatedDataWithBadRowsReconcilesAndRerunsIdempotently(SparkSession spark) {
    Path data = out.resolve("data");
    GenerateDataJob.run(
        spark,
        new GeneratorParams(
            500, 80, 30, 5, RUN_DATE, org.marketingengine.config.FileFormat.CSV, 0.05, 12, 0),
        data.toString());
    Path lake = out.resolve("lake");
    JobConfig config = TestConfigs.config(data.toString(), lake.toString(), RUN_DATE);
    new IngestJob().run(spark, config);
    new CleanJob().run(spark, config);
    TableStore store = new TableStore(spark, lake.toString(), config.tableFormat());
    long quarantined = store.read("quarantine/events", RUN_DATE).count();
    long silver = store.read("silver/events", RUN_DATE).count();

    new CleanJob().run(spark, config);

    assertReconciles(spark, lake);
    assertThat(store.read("quarantine/events", RUN_DATE).count()).isEqualTo(quarantined);
    assertThat(store.read("silver/events", RUN_DATE).count()).isEqualTo(silver);
  }
}
