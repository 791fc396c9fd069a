package org.marketingengine.io;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The dates of directories named by a date: {@code run_date=2026-11-01} partitions of a table,
 * {@code models/2026-11-01}, {@code reports/2026-11-01}. Other entries are ignored.
 */
public final class DatedDirectories {
  private DatedDirectories() {}

  /**
   * The dates of the subdirectories of {@code dir} named {@code prefix + date} for which {@code
   * complete} holds, oldest first; empty when {@code dir} does not exist.
   *
   * @param complete tells whether a dated directory holds what the caller needs (e.g. a model's
   *     card), so that half-written or unrelated ones are skipped
   */
  public static List<LocalDate> list(
      FileSystem fs, Path dir, String prefix, Predicate<Path> complete) throws IOException {
    List<LocalDate> dates = new ArrayList<>();
    if (!fs.exists(dir)) {
      return dates;
    }
    for (FileStatus status : fs.listStatus(dir)) {
      String name = status.getPath().getName();
      if (!status.isDirectory() || !name.startsWith(prefix)) {
        continue;
      }
      try {
        LocalDate date = LocalDate.parse(name.substring(prefix.length()));
        if (complete.test(status.getPath())) {
          dates.add(date);
        }
      } catch (DateTimeParseException e) {
        // not a dated directory
      }
    }
    Collections.sort(dates);
    return dates;
  }

  /** The latest of {@link #list} that {@code accept} takes, if any. */
  public static Optional<LocalDate> latest(
      FileSystem fs, Path dir, String prefix, Predicate<LocalDate> accept, Predicate<Path> complete)
      throws IOException {
    List<LocalDate> dates = list(fs, dir, prefix, complete);
    for (int i = dates.size() - 1; i >= 0; i--) {
      if (accept.test(dates.get(i))) {
        return Optional.of(dates.get(i));
      }
    }
    return Optional.empty();
  }

  /** A predicate on paths that turns the file system's IOException into an unchecked one. */
  public static Predicate<Path> containing(FileSystem fs, String entry) {
    return path -> {
      try {
        return fs.exists(new Path(path, entry));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("Cannot read " + path, e);
      }
    };
  }
}
