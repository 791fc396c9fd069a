package org.marketingengine.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns;
import org.marketingengine.config.TableFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and reads the output tables (names in {@link Tables}), each partitioned by {@code
 * run_date}. Publishing one run date is atomic and idempotent, and leaves other dates alone:
 *
 * <ul>
 *   <li>Parquet: the partition {@code run_date=D} is one entry of the table's directory, published
 *       with {@link StagedPublish} (staged, then renamed into place; an interrupted publish is
 *       restored by the next reader or writer).
 *   <li>Delta: one overwrite transaction with {@code replaceWhere run_date = D}.
 * </ul>
 *
 * <p>Only one writer per table and run date at a time (Airflow's {@code max_active_runs=1}).
 */
public final class TableStore {
  private static final Logger LOG = LoggerFactory.getLogger(TableStore.class);

  /** Spark's local property behind {@code SparkContext.setJobDescription}. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final SparkSession spark;
  private final String outputRoot;
  private final TableFormat format;
  private final StagedPublish.Hook hook;

  public TableStore(SparkSession spark, String outputRoot, TableFormat format) {
    this(spark, outputRoot, format, StagedPublish.Hook.NONE);
  }

  TableStore(SparkSession spark, String outputRoot, TableFormat format, StagedPublish.Hook hook) {
    this.spark = spark;
    this.outputRoot = outputRoot;
    this.format = format;
    this.hook = hook;
  }

  /** The session this store reads and writes with. */
  public SparkSession spark() {
    return spark;
  }

  /** The root directory of every table. */
  public String outputRoot() {
    return outputRoot;
  }

  /** The directory of a table, e.g. {@code <output>/bronze/events}. */
  public String tablePath(String table) {
    return new Path(outputRoot, table).toString();
  }

  /**
   * Replaces the partition {@code runDate} of {@code table} with {@code rows}.
   *
   * @param rows the rows to publish, without a {@code run_date} column
   */
  public void write(String table, LocalDate runDate, Dataset<Row> rows) {
    if (Arrays.asList(rows.columns()).contains(Columns.RUN_DATE)) {
      throw new IllegalArgumentException(
          "Rows for " + table + " must not carry run_date: the store adds it");
    }
    // The write's jobs carry its name; the jobs after it get back the name they had before.
    String before = spark.sparkContext().getLocalProperty(JOB_DESCRIPTION);
    spark.sparkContext().setJobDescription("write " + table + " " + runDate);
    try {
      publish(table, runDate, rows);
    } finally {
      spark.sparkContext().setJobDescription(before);
    }
    LOG.debug("published {} run_date={}", table, runDate);
  }

  private void publish(String table, LocalDate runDate, Dataset<Row> rows) {
    if (format == TableFormat.DELTA) {
      rows.withColumn(Columns.RUN_DATE, lit(Date.valueOf(runDate)))
          .write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("replaceWhere", Columns.RUN_DATE + " = DATE'" + runDate + "'")
          .partitionBy(Columns.RUN_DATE)
          .save(tablePath(table));
    } else {
      try {
        partitions(table)
            .publish(
                partition(runDate),
                staged -> rows.write().mode(SaveMode.ErrorIfExists).parquet(staged.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot publish " + table + " run_date=" + runDate + " under " + tablePath(table), e);
      }
    }
  }

  /** Removes the partition {@code runDate} of {@code table}, if any. */
  public void deletePartition(String table, LocalDate runDate) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      if (DeltaTable.isDeltaTable(spark, path)) {
        DeltaTable.forPath(spark, path).delete(isDate(runDate));
      }
      return;
    }
    try {
      partitions(table).remove(partition(runDate));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + table + " run_date=" + runDate, e);
    }
  }

  /**
   * Reads partition {@code runDate} of {@code table}, with its {@code run_date} column.
   *
   * @throws InvalidInputException when that date was never published: the stage that writes the
   *     table has not run for it (check {@link #hasPartition} for optional tables)
   */
  public Dataset<Row> read(String table, LocalDate runDate) {
    if (!hasPartition(table, runDate)) {
      throw new InvalidInputException(
          "Table "
              + table
              + " has no run_date="
              + runDate
              + " under "
              + outputRoot
              + ": run the stage that writes it ("
              + Tables.writer(table)
              + ") for that date first");
    }
    if (format == TableFormat.DELTA) {
      return readAll(table).where(isDate(runDate));
    }
    // Only that date's files: its own schema (another date may have other columns) and no
    // listing of the other partitions.
    String path = tablePath(table);
    return spark
        .read()
        .option("basePath", path)
        .parquet(new Path(path, partition(runDate)).toString());
  }

  /** The rows of several run dates of a table, with {@code run_date}; {@code dates} not empty. */
  public Dataset<Row> read(String table, List<LocalDate> dates) {
    Dataset<Row> all = null;
    for (LocalDate d : dates) {
      Dataset<Row> one = read(table, d);
      all = all == null ? one : all.unionByName(one);
    }
    return all;
  }

  /** Reads every partition of {@code table}. */
  public Dataset<Row> readAll(String table) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      return spark.read().format("delta").load(path);
    }
    try {
      partitions(table).recover();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read table " + table, e);
    }
    return spark.read().parquet(path);
  }

  /** The run date's rows without the partition column, or empty when the date has none. */
  public Optional<Dataset<Row>> readIfPresent(String table, LocalDate runDate) {
    return hasPartition(table, runDate)
        ? Optional.of(read(table, runDate).drop(Columns.RUN_DATE))
        : Optional.empty();
  }

  /**
   * True when the table has a published partition for {@code runDate}. In Delta a date replaced by
   * zero rows counts as absent.
   */
  public boolean hasPartition(String table, LocalDate runDate) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      return DeltaTable.isDeltaTable(spark, path)
          && !readAll(table).where(isDate(runDate)).isEmpty();
    }
    try {
      return partitions(table).exists(partition(runDate));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read table " + table, e);
    }
  }

  /**
   * The bytes on disk of the partition {@code runDate} of {@code table}, 0 when there is none (in
   * Delta the files of earlier versions of the date count too: an upper bound).
   */
  public long partitionBytes(String table, LocalDate runDate) {
    Path path = new Path(tablePath(table), partition(runDate));
    try {
      FileSystem fs = fileSystem();
      return fs.exists(path) ? fs.getContentSummary(path).getLength() : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the size of " + path, e);
    }
  }

  /** The run dates the table holds, oldest first; empty when the table does not exist. */
  public List<LocalDate> dates(String table) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      List<LocalDate> dates = new ArrayList<>();
      if (DeltaTable.isDeltaTable(spark, path)) {
        // One row per date: a few hundred at most.
        for (Row r : readAll(table).select(Columns.RUN_DATE).distinct().collectAsList()) {
          dates.add(r.getDate(0).toLocalDate());
        }
      }
      Collections.sort(dates);
      return dates;
    }
    try {
      partitions(table).recover();
      return DatedDirectories.list(
          fileSystem(), new Path(path), Columns.RUN_DATE + "=", dir -> true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list table " + table, e);
    }
  }

  /** The latest run date of {@code table} on or before {@code date}, if any. */
  public Optional<LocalDate> latestOnOrBefore(String table, LocalDate date) {
    return dates(table).stream().filter(d -> !d.isAfter(date)).reduce((a, b) -> b);
  }

  private static org.apache.spark.sql.Column isDate(LocalDate runDate) {
    return col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(runDate)));
  }

  private static String partition(LocalDate runDate) {
    return Columns.RUN_DATE + "=" + runDate;
  }

  private StagedPublish partitions(String table) throws IOException {
    return new StagedPublish(fileSystem(), new Path(tablePath(table)), hook);
  }

  private FileSystem fileSystem() throws IOException {
    return new Path(outputRoot).getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
