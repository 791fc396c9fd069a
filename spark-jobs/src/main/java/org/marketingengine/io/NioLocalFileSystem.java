package org.marketingengine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) with file modes set through {@code java.nio} instead
 * of a {@code chmod} child process. Without Hadoop's native library (which Maven does not ship),
 * {@link RawLocalFileSystem} starts a process for every directory it creates and every file it
 * writes: about 1,200 processes in one {@code train} run on the sample, each a few milliseconds of
 * the driver's time. The modes set are the same; a mode with the sticky, setuid or setgid bit, or a
 * file system without POSIX permissions, still goes to Hadoop's own code.
 *
 * <p>Used for local-mode runs ({@code spark.hadoop.fs.file.impl}, set by the CLI unless the
 * configuration names another implementation).
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  private static final PosixFilePermission[] BY_BIT = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The POSIX permissions of a mode's lowest nine bits (0640: owner rw, group r). */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BY_BIT.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(BY_BIT[bit]);
      }
    }
    return set;
  }

  /** The raw file system underneath the checksums, where the modes are set. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      int mode = permission.toShort();
      if ((mode & ~0777) != 0) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), permissions(mode));
      } catch (UnsupportedOperationException e) {
        super.setPermission(p, permission);
      }
    }
  }
}
