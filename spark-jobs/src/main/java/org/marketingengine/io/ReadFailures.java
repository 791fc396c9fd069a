package org.marketingengine.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;

/**
 * Turns a failure to read one file of an input, which Spark only meets in a task (a truncated or
 * corrupt Parquet file, a {@code .gz} that is not gzip, a CSV file whose header differs from the
 * others'), into an {@link InvalidInputException} naming the file and what to do: a file-level
 * problem, exit code 3, one line.
 */
public final class ReadFailures {
  private ReadFailures() {}

  private static final String FAILED_READ_FILE = "FAILED_READ_FILE";
  private static final Pattern FILE = Pattern.compile("while reading file (\\S+?)\\.?(\\s|$)");
  private static final String HEADER_MISMATCH = "CSV header does not conform to the schema";

  /** The failure as an input problem when it is one; empty otherwise. */
  public static Optional<InvalidInputException> asInputProblem(Exception failure, RawInput input) {
    Optional<Throwable> readFailure = find(failure, FAILED_READ_FILE);
    if (readFailure.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = FILE.matcher(String.valueOf(readFailure.get().getMessage()));
    String file = m.find() ? m.group(1).replaceFirst("^file:/+", "/") : input.path();
    Throwable root = rootCause(readFailure.get());
    String message = String.valueOf(root.getMessage());
    String what;
    if (message.contains(HEADER_MISMATCH)) {
      what =
          "its header differs from the first file's ("
              + expected(message)
              + "). Every file of one input needs the same columns in the same order: move the"
              + " file to its own input directory or fix its header";
    } else {
      what =
          "it is damaged or not in the format its name says ("
              + root.getClass().getSimpleName()
              + ": "
              + firstLine(message)
              + "). Replace or remove the file";
    }
    return Optional.of(
        new InvalidInputException(
            "Cannot read "
                + input.name()
                + " from '"
                + input.path()
                + "': file '"
                + file
                + "': "
                + what,
            failure));
  }

  private static Optional<Throwable> find(Throwable failure, String condition) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SparkThrowable spark
          && spark.getCondition() != null
          && spark.getCondition().startsWith(condition)) {
        return Optional.of(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String expected(String headerMismatch) {
    for (String line : headerMismatch.split("\n")) {
      if (line.trim().startsWith("Expected")) {
        return line.trim();
      }
    }
    return firstLine(headerMismatch);
  }

  /** The first line of the failure and of each of its causes, e.g. which column did not merge. */
  static String causes(Throwable failure) {
    List<String> lines = new ArrayList<>();
    for (Throwable t = failure; t != null && lines.size() < 4; t = t.getCause()) {
      String line = firstLine(t.getMessage()).replaceAll("[:.\\s]+$", "");
      if (!line.isEmpty() && lines.stream().noneMatch(l -> l.contains(line))) {
        lines.add(line);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.join(": ", lines);
  }

  /** The first line of an exception message ("unknown error" without one). */
  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
