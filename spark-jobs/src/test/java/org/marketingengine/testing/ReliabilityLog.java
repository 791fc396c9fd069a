package org.marketingengine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The reliability suite's record of what it tried: one tab-separated line per case that passed
 * (case, what was done, what was promised, what was observed) in {@code
 * target/reliability/cases.tsv}. {@code scripts/reliability-table.sh} turns the file into the table
 * of {@code docs/reliability.md}. A case records only after its assertions held, so a failed case
 * is missing from the table rather than reported as passed.
 */
public final class ReliabilityLog {
  static final Path FILE = Path.of("target", "reliability", "cases.tsv");

  private ReliabilityLog() {}

  public static synchronized void passed(String id, String done, String promised, String observed) {
    String line =
        String.join("\t", clean(id), clean(done), clean(promised), clean(observed)) + "\n";
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String clean(String text) {
    return text.replace('\t', ' ').replace('\n', ' ').replace("|", "\\|");
  }
}
