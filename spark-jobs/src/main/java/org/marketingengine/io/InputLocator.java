package org.marketingengine.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.InputConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an input is and in which format: the configured path, or {@code <name>.csv}, {@code
 * <name>.parquet} or {@code <name>/} under the input root; the format from the configuration, the
 * file extension, or the data files inside a directory.
 */
final class InputLocator {
  private static final Logger LOG = LoggerFactory.getLogger(InputLocator.class);

  private final SparkSession spark;

  InputLocator(SparkSession spark) {
    this.spark = spark;
  }

  record Located(String path, FileFormat format) {}

  Optional<Located> locate(InputConfig config, InputSchema schema, Optional<String> inputRoot) {
    String name = schema.name();
    if (config.path().isPresent()) {
      String path = config.path().get();
      if (!exists(path)) {
        throw new InvalidInputException(
            "Cannot read "
                + name
                + ": path '"
                + path
                + "' does not exist (set by marketing.inputs."
                + name
                + ".path)");
      }
      return Optional.of(new Located(path, config.format().orElseGet(() -> detect(name, path))));
    }
    if (inputRoot.isEmpty()) {
      if (schema.required()) {
        throw new InvalidInputException(
            "Cannot read "
                + name
                + ": no input given. Pass --input DIR or set marketing.inputs."
                + name
                + ".path");
      }
      LOG.info("{}: no input root and no path configured; skipped", name);
      return Optional.empty();
    }
    String root = inputRoot.get();
    if (!exists(root)) {
      throw new InvalidInputException(
          "Cannot read inputs: input directory '" + root + "' does not exist (--input)");
    }
    List<String> candidates = new ArrayList<>();
    for (String candidate : List.of(name + ".csv", name + ".parquet", name)) {
      String path = new Path(root, candidate).toString();
      if (exists(path)) {
        candidates.add(path);
      }
    }
    if (candidates.size() > 1) {
      throw new InvalidInputException(
          "Cannot read "
              + name
              + ": more than one source under '"
              + root
              + "' ("
              + String.join(", ", candidates)
              + "): keep one or set marketing.inputs."
              + name
              + ".path");
    }
    if (candidates.isEmpty()) {
      if (schema.required()) {
        throw new InvalidInputException(
            "Cannot read "
                + name
                + ": none of "
                + name
                + ".csv, "
                + name
                + ".parquet or "
                + name
                + "/ exists under '"
                + root
                + "'. Pass the right --input DIR or set marketing.inputs."
                + name
                + ".path");
      }
      LOG.info("{}: no {}.csv, {}.parquet or {}/ under {}; skipped", name, name, name, name, root);
      return Optional.empty();
    }
    String path = candidates.get(0);
    return Optional.of(new Located(path, config.format().orElseGet(() -> detect(name, path))));
  }

  private FileSystem fileSystem(String path) {
    try {
      return new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new InvalidInputException("Cannot access '" + path + "': " + e.getMessage(), e);
    }
  }

  private boolean exists(String path) {
    try {
      return fileSystem(path).exists(new Path(path));
    } catch (IOException e) {
      throw new InvalidInputException("Cannot access '" + path + "': " + e.getMessage(), e);
    }
  }

  /** The format from the path's extension, or from the data files inside a directory. */
  private FileFormat detect(String name, String path) {
    Optional<FileFormat> byName = formatOf(new Path(path).getName());
    if (byName.isPresent()) {
      return byName.get();
    }
    try {
      FileSystem fs = fileSystem(path);
      if (fs.getFileStatus(new Path(path)).isDirectory()) {
        for (FileStatus file : fs.listStatus(new Path(path))) {
          String fileName = file.getPath().getName();
          if (file.isFile() && !fileName.startsWith("_") && !fileName.startsWith(".")) {
            Optional<FileFormat> format = formatOf(fileName);
            if (format.isPresent()) {
              return format.get();
            }
          }
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException("Cannot list '" + path + "': " + e.getMessage(), e);
    }
    throw new InvalidInputException(
        "Cannot read "
            + name
            + ": cannot tell the format of '"
            + path
            + "'. Set marketing.inputs."
            + name
            + ".format to csv or parquet");
  }

  private static Optional<FileFormat> formatOf(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz") || lower.endsWith(".tsv")) {
      return Optional.of(FileFormat.CSV);
    }
    if (lower.endsWith(".parquet")) {
      return Optional.of(FileFormat.PARQUET);
    }
    return Optional.empty();
  }
}
