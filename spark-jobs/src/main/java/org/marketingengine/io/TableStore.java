package org.marketingengine.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
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
 * Writes and reads the output tables, each partitioned by {@code run_date}.
 *
 * <p>Publishing one run date is atomic and idempotent, and leaves other dates alone:
 *
 * <ul>
 *   <li>Parquet: the rows are written to {@code <table>/_staging/run_date=D.<id>}; only when that
 *       write has finished is the live partition {@code <table>/run_date=D} moved to {@code
 *       <table>/_trash/} and the staged directory renamed into its place (two directory renames on
 *       the same file system), then the old data deleted. A run that dies while staging leaves the
 *       live partition untouched; one that dies between the two renames leaves the old partition in
 *       {@code _trash}, from where the next write or read of the table restores it. Spark ignores
 *       {@code _}-prefixed directories, so readers never see staged data. Directory renames are
 *       atomic on HDFS and local disks, not on S3: use Delta there.
 *   <li>Delta: one overwrite transaction with {@code replaceWhere run_date = D}.
 * </ul>
 *
 * <p>Only one writer per table and run date at a time (Airflow's {@code max_active_runs=1}).
 */
public final class TableStore {
  private static final Logger LOG = LoggerFactory.getLogger(TableStore.class);
  private static final String STAGING = "_staging";
  private static final String TRASH = "_trash";

  /** The points of a Parquet publish where a test can inject a failure. */
  enum PublishStep {
    /** The new rows are fully staged; the live partition has not been touched. */
    STAGED,
    /** The live partition has been moved aside; the staged one is not yet in place. */
    OLD_PARTITION_MOVED
  }

  /** Called at each {@link PublishStep}; tests throw from it to simulate a crash. */
  interface PublishHook {
    void at(PublishStep step);
  }

  private final SparkSession spark;
  private final String outputRoot;
  private final TableFormat format;
  private final PublishHook hook;

  public TableStore(SparkSession spark, String outputRoot, TableFormat format) {
    this(spark, outputRoot, format, step -> {});
  }

  TableStore(SparkSession spark, String outputRoot, TableFormat format, PublishHook hook) {
    this.spark = spark;
    this.outputRoot = outputRoot;
    this.format = format;
    this.hook = hook;
  }

  /** The session this store reads and writes with. */
  public SparkSession spark() {
    return spark;
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
    spark.sparkContext().setJobDescription("write " + table + " " + runDate);
    if (format == TableFormat.DELTA) {
      writeDelta(table, runDate, rows);
    } else {
      writeParquet(table, runDate, rows);
    }
    LOG.debug("published {} run_date={}", table, runDate);
  }

  /** Removes the partition {@code runDate} of {@code table}, if any. */
  public void deletePartition(String table, LocalDate runDate) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      if (DeltaTable.isDeltaTable(spark, path)) {
        DeltaTable.forPath(spark, path)
            .delete(col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(runDate))));
      }
      return;
    }
    try {
      FileSystem fs = fileSystem(path);
      recover(fs, new Path(path));
      Path live = partition(new Path(path), runDate);
      if (fs.exists(live)) {
        Path trash = new Path(new Path(path, TRASH), live.getName() + "." + UUID.randomUUID());
        fs.mkdirs(trash.getParent());
        rename(fs, live, trash);
        fs.delete(trash, true);
      }
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
              + ": run the stage that writes it for that date first");
    }
    if (format == TableFormat.DELTA) {
      return partitionOf(readAll(table), runDate);
    }
    // Only that date's files: its own schema (another date may have other columns) and no
    // listing of the other partitions.
    String path = tablePath(table);
    return spark
        .read()
        .option("basePath", path)
        .parquet(partition(new Path(path), runDate).toString());
  }

  private static Dataset<Row> partitionOf(Dataset<Row> table, LocalDate runDate) {
    return table.where(col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(runDate))));
  }

  /** Reads every partition of {@code table}. */
  public Dataset<Row> readAll(String table) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      return spark.read().format("delta").load(path);
    }
    try {
      recover(fileSystem(path), new Path(path));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read table " + table, e);
    }
    return spark.read().parquet(path);
  }

  /** The run date's rows without the partition column, or empty when the date has none. */
  public java.util.Optional<Dataset<Row>> readIfPresent(String table, LocalDate runDate) {
    return hasPartition(table, runDate)
        ? java.util.Optional.of(read(table, runDate).drop(org.marketingengine.Columns.RUN_DATE))
        : java.util.Optional.empty();
  }

  /**
   * True when the table has a published partition for {@code runDate}. In Delta a date replaced by
   * zero rows counts as absent.
   */
  public boolean hasPartition(String table, LocalDate runDate) {
    String path = tablePath(table);
    if (format == TableFormat.DELTA) {
      return DeltaTable.isDeltaTable(spark, path)
          && !partitionOf(readAll(table), runDate).isEmpty();
    }
    try {
      FileSystem fs = fileSystem(path);
      recover(fs, new Path(path));
      return fs.exists(partition(new Path(path), runDate));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read table " + table, e);
    }
  }

  /** The run dates the table holds, oldest first; empty when the table does not exist. */
  public java.util.List<LocalDate> dates(String table) {
    String path = tablePath(table);
    java.util.List<LocalDate> dates = new java.util.ArrayList<>();
    if (format == TableFormat.DELTA) {
      if (DeltaTable.isDeltaTable(spark, path)) {
        for (Row r : readAll(table).select(Columns.RUN_DATE).distinct().collectAsList()) {
          dates.add(r.getDate(0).toLocalDate());
        }
      }
    } else {
      try {
        FileSystem fs = fileSystem(path);
        Path dir = new Path(path);
        if (fs.exists(dir)) {
          recover(fs, dir);
          for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (status.isDirectory() && name.startsWith(Columns.RUN_DATE + "=")) {
              try {
                dates.add(LocalDate.parse(name.substring(Columns.RUN_DATE.length() + 1)));
              } catch (java.time.format.DateTimeParseException e) {
                // not a partition of ours
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list table " + table, e);
      }
    }
    java.util.Collections.sort(dates);
    return dates;
  }

  private void writeDelta(String table, LocalDate runDate, Dataset<Row> rows) {
    rows.withColumn(Columns.RUN_DATE, lit(Date.valueOf(runDate)))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", Columns.RUN_DATE + " = DATE'" + runDate + "'")
        .partitionBy(Columns.RUN_DATE)
        .save(tablePath(table));
  }

  private void writeParquet(String table, LocalDate runDate, Dataset<Row> rows) {
    Path tableDir = new Path(tablePath(table));
    Path live = partition(tableDir, runDate);
    String attempt = live.getName() + "." + UUID.randomUUID();
    Path staged = new Path(new Path(tableDir, STAGING), attempt);
    Path trash = new Path(new Path(tableDir, TRASH), attempt);
    try {
      FileSystem fs = fileSystem(tableDir.toString());
      recover(fs, tableDir);
      removeStaleStaging(fs, tableDir, live.getName());
      rows.write().mode(SaveMode.ErrorIfExists).parquet(staged.toString());
      hook.at(PublishStep.STAGED);
      boolean hadLive = fs.exists(live);
      if (hadLive) {
        fs.mkdirs(trash.getParent());
        rename(fs, live, trash);
      }
      try {
        hook.at(PublishStep.OLD_PARTITION_MOVED);
        rename(fs, staged, live);
      } catch (RuntimeException | IOException e) {
        if (hadLive && !fs.exists(live)) {
          rename(fs, trash, live);
        }
        throw e;
      }
      if (hadLive) {
        fs.delete(trash, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot publish " + table + " run_date=" + runDate + " under " + tableDir, e);
    }
  }

  /**
   * Restores partitions that a crashed publish left in {@code _trash}, and deletes trash whose
   * partition was published.
   */
  private static void recover(FileSystem fs, Path tableDir) throws IOException {
    Path trashDir = new Path(tableDir, TRASH);
    if (!fs.exists(trashDir)) {
      return;
    }
    for (FileStatus moved : fs.listStatus(trashDir)) {
      String name = moved.getPath().getName();
      int dot = name.indexOf('.');
      Path live = new Path(tableDir, dot < 0 ? name : name.substring(0, dot));
      if (fs.exists(live)) {
        fs.delete(moved.getPath(), true);
      } else {
        LOG.warn("Restoring {} from an interrupted publish", live);
        rename(fs, moved.getPath(), live);
      }
    }
  }

  private static void removeStaleStaging(FileSystem fs, Path tableDir, String partitionName)
      throws IOException {
    Path stagingDir = new Path(tableDir, STAGING);
    if (!fs.exists(stagingDir)) {
      return;
    }
    for (FileStatus staged : fs.listStatus(stagingDir)) {
      if (staged.getPath().getName().startsWith(partitionName + ".")) {
        fs.delete(staged.getPath(), true);
      }
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot rename " + from + " to " + to);
    }
  }

  private static Path partition(Path tableDir, LocalDate runDate) {
    return new Path(tableDir, Columns.RUN_DATE + "=" + runDate);
  }

  private FileSystem fileSystem(String path) throws IOException {
    return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
