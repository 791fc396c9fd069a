package org.marketingengine.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which file of a Parquet input disagrees with the first one on a column's type: Spark's merge
 * error names neither. Reads only the footers, file by file in name order.
 */
final class ParquetSchemas {
  private ParquetSchemas() {}

  /** "file F has column C as T where FIRST has U", or empty if no two files disagree. */
  static Optional<String> typeConflict(SparkSession spark, String path) {
    try {
      Path dir = new Path(path);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      List<FileStatus> files = new ArrayList<>();
      collect(fs, dir, files);
      files.sort(Comparator.comparing(f -> f.getPath().toString()));
      String firstFile = null;
      StructType first = null;
      for (FileStatus file : files) {
        StructType schema = spark.read().parquet(file.getPath().toString()).schema();
        if (first == null) {
          first = schema;
          firstFile = file.getPath().toUri().getPath();
          continue;
        }
        for (StructField field : schema.fields()) {
          Optional<StructField> other =
              Arrays.stream(first.fields()).filter(f -> f.name().equals(field.name())).findFirst();
          if (other.isPresent() && !other.get().dataType().equals(field.dataType())) {
            return Optional.of(
                String.format(
                    "file '%s' has column '%s' as %s where '%s' has %s",
                    file.getPath().toUri().getPath(),
                    field.name(),
                    field.dataType().simpleString(),
                    firstFile,
                    other.get().dataType().simpleString()));
          }
        }
      }
      return Optional.empty();
    } catch (Exception e) { // a file that cannot be read at all: Spark's own message says which
      return Optional.empty();
    }
  }

  private static void collect(FileSystem fs, Path dir, List<FileStatus> files) throws IOException {
    if (!fs.getFileStatus(dir).isDirectory()) {
      files.add(fs.getFileStatus(dir));
      return;
    }
    for (FileStatus status : fs.listStatus(dir)) {
      String name = status.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (status.isDirectory()) {
        collect(fs, status.getPath(), files);
      } else if (status.getLen() > 0) {
        files.add(status);
      }
    }
  }
}
