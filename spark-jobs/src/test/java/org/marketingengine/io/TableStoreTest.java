package org.marketingengine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.Columns;
import org.marketingengine.config.TableFormat;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class TableStoreTest {

  private static final LocalDate DAY_1 = LocalDate.of(2026, 11, 1);
  private static final LocalDate DAY_2 = LocalDate.of(2026, 11, 2);
  private static final StructType SCHEMA =
      new StructType().add("user_id", DataTypes.StringType).add("score", DataTypes.DoubleType);

  @TempDir Path dir;

  private static Dataset<Row> rows(SparkSession spark, Object[]... rows) {
    return DataFrames.of(spark, SCHEMA, rows);
  }

  private TableStore store(SparkSession spark, TableFormat format) {
    return new TableStore(spark, dir.toString(), format);
  }

  private static Dataset<Row> withoutRunDate(Dataset<Row> rows) {
    return rows.drop(Columns.RUN_DATE);
  }

  @Test
  void rewritingADateReplacesItAndLeavesOtherDatesAlone(SparkSession spark) {
    for (TableFormat format : TableFormat.values()) {
      TableStore store = new TableStore(spark, dir.resolve(format.name()).toString(), format);
      store.write("t", DAY_1, rows(spark, new Object[] {"u1", 1.0}, new Object[] {"u2", 2.0}));
      store.write("t", DAY_2, rows(spark, new Object[] {"u9", 9.0}));
      store.write("t", DAY_1, rows(spark, new Object[] {"u3", 3.0}));
      store.write("t", DAY_1, rows(spark, new Object[] {"u3", 3.0}));

      DataFrames.assertSameRows(
          rows(spark, new Object[] {"u3", 3.0}), withoutRunDate(store.read("t", DAY_1)));
      DataFrames.assertSameRows(
          rows(spark, new Object[] {"u9", 9.0}), withoutRunDate(store.read("t", DAY_2)));
      assertThat(store.readAll("t").count()).as(format.name()).isEqualTo(2);
      assertThat(store.read("t", DAY_1).schema().apply(Columns.RUN_DATE).dataType())
          .isEqualTo(DataTypes.DateType);
    }
  }

  @Test
  void anEmptyResultReplacesThePartitionWithNoRows(SparkSession spark) {
    TableStore store = store(spark, TableFormat.PARQUET);
    store.write("t", DAY_1, rows(spark, new Object[] {"u1", 1.0}));
    store.write("t", DAY_1, rows(spark));

    assertThat(store.read("t", DAY_1).count()).isZero();
    assertThat(store.hasPartition("t", DAY_1)).isTrue();
  }

  @Test
  void failureAfterStagingLeavesThePreviousOutputIntactAndInvisible(SparkSession spark)
      throws IOException {
    store(spark, TableFormat.PARQUET).write("t", DAY_1, rows(spark, new Object[] {"old", 1.0}));
    TableStore crashing =
        new TableStore(
            spark,
            dir.toString(),
            TableFormat.PARQUET,
            step -> {
              if (step == StagedPublish.Step.STAGED) {
                throw new IllegalStateException("injected crash");
              }
            });

    assertThatThrownBy(() -> crashing.write("t", DAY_1, rows(spark, new Object[] {"new", 2.0})))
        .hasMessageContaining("injected crash");

    TableStore store = store(spark, TableFormat.PARQUET);
    DataFrames.assertSameRows(
        rows(spark, new Object[] {"old", 1.0}), withoutRunDate(store.read("t", DAY_1)));
    assertThat(store.readAll("t").count()).isEqualTo(1);

    store.write("t", DAY_1, rows(spark, new Object[] {"new", 2.0}));
    DataFrames.assertSameRows(
        rows(spark, new Object[] {"new", 2.0}), withoutRunDate(store.read("t", DAY_1)));
    try (Stream<Path> staged = Files.list(dir.resolve("t").resolve("_staging"))) {
      assertThat(staged).as("the rerun removes the crashed run's staging").isEmpty();
    }
  }

  @Test
  void failureBetweenTheRenamesRestoresThePreviousPartition(SparkSession spark) {
    store(spark, TableFormat.PARQUET).write("t", DAY_1, rows(spark, new Object[] {"old", 1.0}));
    TableStore crashing =
        new TableStore(
            spark,
            dir.toString(),
            TableFormat.PARQUET,
            step -> {
              if (step == StagedPublish.Step.OLD_MOVED) {
                throw new IllegalStateException("injected crash");
              }
            });

    assertThatThrownBy(() -> crashing.write("t", DAY_1, rows(spark, new Object[] {"new", 2.0})))
        .hasMessageContaining("injected crash");

    DataFrames.assertSameRows(
        rows(spark, new Object[] {"old", 1.0}),
        withoutRunDate(store(spark, TableFormat.PARQUET).read("t", DAY_1)));
  }

  @Test
  void aProcessKilledBetweenTheRenamesIsRecoveredByTheNextReader(SparkSession spark)
      throws IOException {
    TableStore store = store(spark, TableFormat.PARQUET);
    store.write("t", DAY_1, rows(spark, new Object[] {"old", 1.0}));
    // What a kill -9 right after the first rename leaves behind: the live partition in _trash.
    Path live = dir.resolve("t").resolve("run_date=" + DAY_1);
    Path trash = dir.resolve("t").resolve("_trash").resolve("run_date=" + DAY_1 + ".dead-run");
    Files.createDirectories(trash.getParent());
    Files.move(live, trash);

    DataFrames.assertSameRows(
        rows(spark, new Object[] {"old", 1.0}), withoutRunDate(store.read("t", DAY_1)));
    assertThat(live).isDirectory();
    assertThat(trash).doesNotExist();
  }

  @Test
  void deletePartitionRemovesOnlyThatDate(SparkSession spark) {
    for (TableFormat format : TableFormat.values()) {
      TableStore store = new TableStore(spark, dir.resolve(format.name()).toString(), format);
      store.write("t", DAY_1, rows(spark, new Object[] {"u1", 1.0}));
      store.write("t", DAY_2, rows(spark, new Object[] {"u2", 2.0}));

      store.deletePartition("t", DAY_1);
      store.deletePartition("never-written", DAY_1);

      assertThat(store.hasPartition("t", DAY_1)).as(format.name()).isFalse();
      assertThat(store.read("t", DAY_2).count()).as(format.name()).isEqualTo(1);
      assertThatThrownBy(() -> store.read("t", DAY_1))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("Table t has no run_date=2026-11-01")
          .hasMessageContaining("run the stage that writes it");
    }
  }

  @Test
  void aWriteNamesItsJobsAndGivesTheFollowingJobsTheirNameBack(SparkSession spark) {
    spark.sparkContext().setJobDescription("profile: clusters");
    try {
      store(spark, TableFormat.PARQUET).write("t", DAY_1, rows(spark, new Object[] {"u1", 1.0}));
      assertThat(spark.sparkContext().getLocalProperty("spark.job.description"))
          .isEqualTo("profile: clusters");
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  @Test
  void rowsMustNotCarryRunDate(SparkSession spark) {
    Dataset<Row> withRunDate =
        rows(spark, new Object[] {"u1", 1.0})
            .withColumn(Columns.RUN_DATE, org.apache.spark.sql.functions.lit("x"));

    assertThatThrownBy(() -> store(spark, TableFormat.PARQUET).write("t", DAY_1, withRunDate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not carry run_date");
  }
}
