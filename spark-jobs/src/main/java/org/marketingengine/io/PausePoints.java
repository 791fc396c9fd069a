package org.marketingengine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.fs.Path;

/**
 * Where the reliability suite stops a process to kill it with {@code kill -9}: when the JVM runs
 * with {@code -Dmarketing.test.pause-at=<point>:<path suffix>}, reaching that point for a path
 * ending with the suffix writes the process id to the file {@code -Dmarketing.test.paused-file} and
 * blocks forever. Without the property (every real run) a point costs one property lookup.
 */
public final class PausePoints {
  static final String PAUSE_AT = "marketing.test.pause-at";
  static final String PAUSED_FILE = "marketing.test.paused-file";

  private PausePoints() {}

  /** Pauses here if the suite asked for {@code point} on {@code path}. */
  public static void reach(String point, Path path) {
    String wanted = System.getProperty(PAUSE_AT);
    if (wanted == null || !wanted.startsWith(point + ":")) {
      return;
    }
    String suffix = wanted.substring(point.length() + 1);
    if (!path.toString().endsWith(suffix)) {
      return;
    }
    try {
      Files.writeString(
          Paths.get(System.getProperty(PAUSED_FILE)),
          Long.toString(ProcessHandle.current().pid()),
          StandardCharsets.UTF_8);
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
