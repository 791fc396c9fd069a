package org.marketingengine.io;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.CleanConfig;
import org.marketingengine.config.CsvOptions;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.InputConfig;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class InputReaderTest {

  @TempDir Path dir;

  private static final CsvOptions CSV =
      new CsvOptions(",", true, "\"", "\"", "UTF-8", "", Map.of());

  private static InputConfig config(
      String name,
      Optional<String> path,
      Map<String, String> mapping,
      Map<String, String> constants) {
    return new InputConfig(name, path, Optional.empty(), mapping, constants, CSV);
  }

  private static InputConfig plain(String name) {
    return config(name, Optional.empty(), Map.of(), Map.of());
  }

  private Optional<RawInput> read(SparkSession spark, InputConfig config, String root) {
    return new InputReader(
            spark,
            new CleanConfig.PersonalData(
                List.of("email"),
                CleanConfig.PersonalDataMode.PSEUDONYMISE,
                "UNUSED",
                Optional.of("test-key")))
        .read(config, InputSchemas.byName(config.name()), Optional.ofNullable(root));
  }

  @Test
  void csvColumnsInAnyOrderWithExtrasAndMalformedLinesFlagged(SparkSession spark)
      throws IOException {
    Files.writeString(
        dir.resolve("events.csv"),
        """
        event_time,user_id,store,item_id,event_type
        2026-10-01T10:00:00Z,u1,S1,i1,view
        2026-10-01T11:00:00Z,u2,S2,i2,view,surplus
        2026-10-01T12:00:00Z,u3
        """);

    RawInput raw = read(spark, plain("events"), dir.toString()).orElseThrow();

    assertThat(raw.format()).isEqualTo(FileFormat.CSV);
    assertThat(raw.rows().columns())
        .contains("event_time", "user_id", "store", "item_id", "event_type")
        .contains(Quarantine.RAW_RECORD, Quarantine.SOURCE_FILE, RawInput.MALFORMED);
    List<Row> rows =
        raw.rows()
            .orderBy("event_time")
            .select(
                "user_id",
                "store",
                RawInput.MALFORMED,
                Quarantine.RAW_RECORD,
                Quarantine.SOURCE_FILE)
            .collectAsList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).getString(0)).isEqualTo("u1");
    assertThat(rows.get(0).getString(1)).isEqualTo("S1");
    assertThat(rows.get(0).getBoolean(2)).isFalse();
    assertThat(rows.get(0).getString(3)).contains("\"user_id\":\"u1\"");
    assertThat(rows.get(0).getString(4)).endsWith("events.csv");
    assertThat(rows.get(1).getBoolean(2)).as("too many fields").isTrue();
    assertThat(rows.get(1).getString(3)).isEqualTo("2026-10-01T11:00:00Z,u2,S2,i2,view,surplus");
    assertThat(rows.get(2).getBoolean(2)).as("too few fields").isTrue();
  }

  @Test
  void aLargeCsvIsSplitBetweenTasksUnlessAQuotedFieldSpansLines(SparkSession spark)
      throws IOException {
    StringBuilder csv = new StringBuilder("event_time,user_id,item_id,event_type\n");
    for (int i = 0; i < 200; i++) {
      csv.append("2026-10-01T10:00:00Z,u").append(i).append(",\"i, ").append(i).append("\",view\n");
    }
    Files.createDirectories(dir.resolve("plain"));
    Files.writeString(dir.resolve("plain/events.csv"), csv);
    Files.createDirectories(dir.resolve("spanning"));
    Files.writeString(
        dir.resolve("spanning/events.csv"),
        csv + "2026-10-01T10:00:00Z,u999,\"two\nlines\",view\n");
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1024");
    try {
      RawInput plain = read(spark, plain("events"), dir.resolve("plain").toString()).orElseThrow();
      assertThat(plain.rows().rdd().getNumPartitions()).isGreaterThan(1);
      assertThat(plain.rows().count()).isEqualTo(200);
      assertThat(plain.rows().where(col(RawInput.MALFORMED).or(col("user_id").isNull())).count())
          .isZero();

      RawInput spanning =
          read(spark, plain("events"), dir.resolve("spanning").toString()).orElseThrow();
      assertThat(spanning.rows().rdd().getNumPartitions()).isEqualTo(1);
      assertThat(spanning.rows().count()).isEqualTo(201);
      assertThat(
              spanning
                  .rows()
                  .where(col("user_id").equalTo("u999"))
                  .first()
                  .<String>getAs("item_id"))
          .isEqualTo("two\nlines");
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
  }

  @Test
  void columnMappingAndConstantsTurnATransactionsExportIntoEvents(SparkSession spark)
      throws IOException {
    Path file = dir.resolve("tx.csv");
    Files.writeString(file, "CustomerID,StockCode,InvoiceDate\n17850,85123A,2026-10-01 08:26:00\n");

    RawInput raw =
        read(
                spark,
                config(
                    "events",
                    Optional.of(file.toString()),
                    Map.of(
                        "user_id",
                        "CustomerID",
                        "item_id",
                        "StockCode",
                        "event_time",
                        "InvoiceDate"),
                    Map.of("event_type", "purchase")),
                null)
            .orElseThrow();

    Row row = raw.rows().select("user_id", "item_id", "event_time", "event_type").first();
    assertThat(row.getString(0)).isEqualTo("17850");
    assertThat(row.getString(1)).isEqualTo("85123A");
    assertThat(row.getString(2)).isEqualTo("2026-10-01 08:26:00");
    assertThat(row.getString(3)).isEqualTo("purchase");
    assertThat(raw.rows().first().<String>getAs(Quarantine.RAW_RECORD)).contains("CustomerID");
  }

  @Test
  void missingRequiredColumnNamesFileColumnAndWhatWasFound(SparkSession spark) throws IOException {
    Files.writeString(dir.resolve("events.csv"), "user_id,item_id,event_type\nu1,i1,view\n");

    assertThatThrownBy(() -> read(spark, plain("events"), dir.toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot read events from '")
        .hasMessageContaining("events.csv': column 'event_time' is missing")
        .hasMessageContaining("(found: user_id, item_id, event_type)")
        .hasMessageContaining("marketing.inputs.events.columns.event_time");
  }

  @Test
  void mappedColumnMissingFromSourceIsNamed(SparkSession spark) throws IOException {
    Files.writeString(
        dir.resolve("events.csv"), "user_id,item_id,event_type,event_time\nu1,i1,view,1\n");

    assertThatThrownBy(
            () ->
                read(
                    spark,
                    config("events", Optional.empty(), Map.of("user_id", "CustomerID"), Map.of()),
                    dir.toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("column 'CustomerID' (mapped to user_id");
  }

  @Test
  void lookupUnderRootByNameFileOrDirectory(SparkSession spark) throws IOException {
    Files.createDirectories(dir.resolve("users"));
    Files.writeString(dir.resolve("users").resolve("part-0.csv"), "user_id\nu1\n");
    Files.writeString(
        dir.resolve("events.csv"), "user_id,item_id,event_type,event_time\nu1,i1,view,1\n");

    assertThat(read(spark, plain("users"), dir.toString()).orElseThrow().path()).endsWith("users");
    assertThat(read(spark, plain("items"), dir.toString())).as("optional, absent").isEmpty();
  }

  @Test
  void missingRequiredInputAndAmbiguousSourcesAreFileLevelErrors(SparkSession spark)
      throws IOException {
    assertThatThrownBy(() -> read(spark, plain("events"), dir.toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("none of events.csv, events.parquet or events/ exists");
    assertThatThrownBy(() -> read(spark, plain("events"), null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Pass --input DIR or set marketing.inputs.events.path");

    Files.writeString(dir.resolve("items.csv"), "item_id,category\ni1,books\n");
    Files.createDirectories(dir.resolve("items"));
    assertThatThrownBy(() -> read(spark, plain("items"), dir.toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("more than one source");
  }

  @Test
  void parquetIsReadAsTextAfterItsTypesAreChecked(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.LongType)
            .add("price", DataTypes.DoubleType);
    Dataset<Row> events =
        DataFrames.of(spark, schema, new Object[] {"u1", "i1", "view", 1790000000000L, 9.5});
    String path = dir.resolve("events.parquet").toString();
    events.write().parquet(path);

    RawInput raw = read(spark, plain("events"), dir.toString()).orElseThrow();

    assertThat(raw.format()).isEqualTo(FileFormat.PARQUET);
    Row row = raw.rows().select("event_time", "price", RawInput.MALFORMED).first();
    assertThat(row.getString(0)).isEqualTo("1790000000000");
    assertThat(row.getString(1)).isEqualTo("9.5");
    assertThat(row.getBoolean(2)).isFalse();
  }

  @Test
  void parquetWithAnIncompatibleTypeIsAFileLevelError(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("item_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_time", DataTypes.BooleanType);
    DataFrames.of(spark, schema, new Object[] {"u1", "i1", "view", true})
        .write()
        .parquet(dir.resolve("events").toString());

    assertThatThrownBy(() -> read(spark, plain("events"), dir.toString()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("column 'event_time' has type boolean")
        .hasMessageContaining("expected an ISO-8601 timestamp or epoch milliseconds");
  }
}
