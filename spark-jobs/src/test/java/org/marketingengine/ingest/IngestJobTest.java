package org.marketingengine.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.JobConfig;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.quality.InputQuality;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/** End to end on the committed sample data, whose generator manifest lists every bad row. */
@ExtendWith(SparkExtension.class)
class IngestJobTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  @TempDir Path out;

  private static Map<String, Long> countsByReason(TableStore store, String input) {
    Map<String, Long> counts = new HashMap<>();
    for (Row row :
        store
            .read(Tables.quarantine(input), RUN_DATE)
            .groupBy(Quarantine.REASON)
            .count()
            .collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  @ParameterizedTest
  @ValueSource(strings = {"csv", "parquet"})
  void everyInjectedBadRowIsQuarantinedWithItsReason(String format, SparkSession spark)
      throws IOException {
    Path sample = TestConfigs.repoRoot().resolve("sample-data").resolve(format);
    JsonNode manifest = new ObjectMapper().readTree(sample.resolve("_generation.json").toFile());
    JobConfig config = TestConfigs.config(sample.toString(), out.toString(), RUN_DATE);

    List<InputQuality> results = new IngestJob().run(spark, config).inputs();

    TableStore store = new TableStore(spark, out.toString(), config.tableFormat());
    assertThat(results).hasSize(6).allMatch(r -> r.status().equals("read"));
    for (InputQuality result : results) {
      JsonNode expected = manifest.path("inputs").path(result.input());
      Map<String, Long> expectedReasons = new HashMap<>();
      expected
          .path("bad_rows_by_reason")
          .fields()
          .forEachRemaining(e -> expectedReasons.put(e.getKey(), e.getValue().asLong()));

      assertThat(result.rowsRead()).as(result.input()).isEqualTo(expected.path("rows").asLong());
      assertThat(result.rowsRead()).isEqualTo(result.rowsKept() + result.rowsQuarantined());
      assertThat(result.quarantinedByReason()).as(result.input()).isEqualTo(expectedReasons);
      assertThat(countsByReason(store, result.input())).isEqualTo(expectedReasons);
      assertThat(store.read(Tables.bronze(result.input()), RUN_DATE).count())
          .isEqualTo(result.rowsKept());
    }
    if (format.equals("csv")) {
      assertThat(
              results.stream()
                  .mapToLong(r -> r.quarantinedByReason().getOrDefault("malformed_line", 0L))
                  .sum())
          .isPositive();
    }

    ObjectNode report =
        DataQualityReport.read(
            spark.sparkContext().hadoopConfiguration(), out.toString(), RUN_DATE);
    JsonNode events = report.path("inputs").path("events").path("ingest");
    assertThat(events.path("rows_read").asLong())
        .isEqualTo(events.path("rows_kept").asLong() + events.path("rows_quarantined").asLong());
    assertThat(events.path("quarantined_by_reason").size()).isPositive();
  }

  @Test
  void bronzeHasTheSpecTypesAndExtraAttributes(SparkSession spark) {
    Path sample = TestConfigs.repoRoot().resolve("sample-data").resolve("csv");
    JobConfig config = TestConfigs.config(sample.toString(), out.toString(), RUN_DATE);
    new IngestJob().run(spark, config);
    TableStore store = new TableStore(spark, out.toString(), config.tableFormat());

    assertThat(store.read("bronze/events", RUN_DATE).schema().simpleString())
        .contains("event_time:timestamp", "quantity:bigint", "price:double", "run_date:date");
    assertThat(store.read("bronze/users", RUN_DATE).columns())
        .contains("job", "education", "household_size");
    assertThat(
            store
                .read("bronze/events", RUN_DATE)
                .where(
                    col("event_type")
                        .isin("view", "click", "cart", "favorite", "purchase", "review")
                        .unary_$bang())
                .count())
        .isZero();
  }

  @Test
  void rerunIsIdempotentAndAMissingOptionalInputLeavesNoStaleRows(SparkSession spark)
      throws IOException {
    Path sample = TestConfigs.repoRoot().resolve("sample-data").resolve("csv");
    JobConfig config = TestConfigs.config(sample.toString(), out.toString(), RUN_DATE);
    new IngestJob().run(spark, config);
    TableStore store = new TableStore(spark, out.toString(), config.tableFormat());
    org.apache.spark.sql.Dataset<Row> first =
        store.read("bronze/events", RUN_DATE).localCheckpoint();

    new IngestJob().run(spark, config);
    DataFrames.assertSameRows(first, store.read("bronze/events", RUN_DATE));

    Path onlyEvents = out.resolve("only-events");
    Files.createDirectories(onlyEvents);
    copyDirectory(sample.resolve("events"), onlyEvents.resolve("events"));
    List<InputQuality> results =
        new IngestJob()
            .run(spark, TestConfigs.config(onlyEvents.toString(), out.toString(), RUN_DATE))
            .inputs();

    assertThat(results)
        .filteredOn(r -> r.input().equals("users"))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("missing"));
    assertThat(store.hasPartition("bronze/users", RUN_DATE)).isFalse();
    assertThat(store.hasPartition("quarantine/users", RUN_DATE)).isFalse();
    assertThat(store.read("bronze/events", RUN_DATE).count()).isEqualTo(first.count());
  }

  @Test
  void mostlyBadInputIsRejectedBeforeBronzeIsTouched(SparkSession spark) throws IOException {
    Path input = out.resolve("in");
    Files.createDirectories(input);
    Files.writeString(
        input.resolve("events.csv"),
        """
        user_id,item_id,event_type,event_time
        u1,i1,view,2026-10-01T10:00:00Z
        u2,i1,teleport,2026-10-01T10:00:00Z
        u3,i1,view,yesterday
        ,i1,view,2026-10-01T10:00:00Z
        """);
    JobConfig config = TestConfigs.config(input.toString(), out.toString(), RUN_DATE);

    assertThatThrownBy(() -> new IngestJob().run(spark, config))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot ingest events from '")
        .hasMessageContaining("75% of 4 rows are invalid")
        .hasMessageContaining("marketing.ingest.max-quarantine-share");

    TableStore store = new TableStore(spark, out.toString(), config.tableFormat());
    assertThat(store.hasPartition("bronze/events", RUN_DATE)).isFalse();
    assertThat(store.read("quarantine/events", RUN_DATE).count()).isEqualTo(3);

    List<InputQuality> accepted =
        new IngestJob()
            .run(
                spark,
                TestConfigs.config(
                    input.toString(),
                    out.toString(),
                    RUN_DATE,
                    "marketing.ingest.max-quarantine-share=1.0"))
            .inputs();
    assertThat(accepted.get(0).rowsKept()).isEqualTo(1);
    assertThat(store.read("bronze/events", RUN_DATE).count()).isEqualTo(1);
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
