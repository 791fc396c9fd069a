package org.marketingengine.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one entry of a directory (a table's partition, a model, a report, a JSON file)
 * atomically: nobody ever sees it half written, and a crash at any point leaves either the old
 * entry or the new one.
 *
 * <p>The entry is written to {@code <dir>/_staging/<name>.<id>}; only when that write has finished
 * is the live {@code <dir>/<name>} moved to {@code <dir>/_trash/<name>.<id>} and the staged entry
 * renamed into its place (two renames on one file system), then the old one deleted. A writer that
 * dies while staging leaves the live entry untouched; one that dies between the two renames leaves
 * the old entry in {@code _trash}, from where {@link #recover} (called by every reader and writer)
 * restores it. Names starting with {@code _} are ignored by Spark's readers, so staged data is
 * never read. Renames are atomic on HDFS and local disks, not on S3 (tables use Delta there).
 */
public final class StagedPublish {
  private static final Logger LOG = LoggerFactory.getLogger(StagedPublish.class);
  static final String STAGING = "_staging";
  static final String TRASH = "_trash";

  /** The points of a publish where a test can inject a failure. */
  public enum Step {
    /** The new entry is fully staged; the live one has not been touched. */
    STAGED,
    /** The live entry has been moved aside; the staged one is not yet in place. */
    OLD_MOVED
  }

  /** Called at each {@link Step}; tests throw from it to simulate a crash. */
  public interface Hook {
    void at(Step step);

    Hook NONE = step -> {};
  }

  /** Writes the new entry at the staged path it is given (which does not exist yet). */
  public interface Writer {
    void write(Path staged) throws IOException;
  }

  private final FileSystem fs;
  private final Path dir;
  private final Hook hook;

  public StagedPublish(FileSystem fs, Path dir, Hook hook) {
    this.fs = fs;
    this.dir = dir;
    this.hook = hook;
  }

  /** The live path of an entry. */
  public Path live(String name) {
    return new Path(dir, name);
  }

  /** Replaces the entry {@code name} with what {@code writer} writes. */
  public void publish(String name, Writer writer) throws IOException {
    commit(name, stage(name, writer));
  }

  /**
   * The first half of {@link #publish}: writes the new entry under {@code _staging} and returns
   * where, leaving the live entry untouched. Several entries of one directory may be staged at the
   * same time (each thread its own name); their {@link #commit}s then run one after another.
   */
  public Path stage(String name, Writer writer) throws IOException {
    Path staged = new Path(new Path(dir, STAGING), name + "." + UUID.randomUUID());
    recover();
    removeStaleStaging(name);
    fs.mkdirs(staged.getParent());
    writer.write(staged);
    return staged;
  }

  /** The second half of {@link #publish}: puts a {@link #stage staged} entry in place. */
  public void commit(String name, Path staged) throws IOException {
    Path live = live(name);
    Path trash = new Path(new Path(dir, TRASH), staged.getName());
    hook.at(Step.STAGED);
    PausePoints.reach("staged", live);
    boolean hadLive = fs.exists(live);
    if (hadLive) {
      fs.mkdirs(trash.getParent());
      rename(fs, live, trash);
    }
    try {
      hook.at(Step.OLD_MOVED);
      PausePoints.reach("old-moved", live);
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
  }

  /** Removes the entry {@code name}, if any (through the trash, so a crash loses nothing). */
  public void remove(String name) throws IOException {
    recover();
    Path live = live(name);
    if (fs.exists(live)) {
      Path trash = new Path(new Path(dir, TRASH), name + "." + UUID.randomUUID());
      fs.mkdirs(trash.getParent());
      rename(fs, live, trash);
      fs.delete(trash, true);
    }
  }

  /** Whether the entry exists (after restoring an interrupted publish). */
  public boolean exists(String name) throws IOException {
    recover();
    return fs.exists(live(name));
  }

  /**
   * Restores entries that a crashed publish left in {@code _trash}, and deletes trash whose entry
   * was published.
   */
  public void recover() throws IOException {
    Path trashDir = new Path(dir, TRASH);
    if (!fs.exists(trashDir)) {
      return;
    }
    for (FileStatus moved : fs.listStatus(trashDir)) {
      String name = moved.getPath().getName();
      int dot = name.lastIndexOf('.');
      Path live = new Path(dir, dot < 0 ? name : name.substring(0, dot));
      if (fs.exists(live)) {
        fs.delete(moved.getPath(), true);
      } else {
        LOG.warn("Restoring {} from an interrupted publish", live);
        rename(fs, moved.getPath(), live);
      }
    }
  }

  private void removeStaleStaging(String name) throws IOException {
    Path stagingDir = new Path(dir, STAGING);
    if (!fs.exists(stagingDir)) {
      return;
    }
    for (FileStatus staged : fs.listStatus(stagingDir)) {
      String entry = staged.getPath().getName();
      if (entry.startsWith(name + ".") && entry.lastIndexOf('.') == name.length()) {
        fs.delete(staged.getPath(), true);
      }
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("Cannot rename " + from + " to " + to);
    }
  }
}
