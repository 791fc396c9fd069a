package org.marketingengine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  @TempDir Path dir;

  @Test
  void modeBitsMapToPosixPermissions() {
    assertThat(NioLocalFileSystem.permissions(0640))
        .containsExactlyInAnyOrder(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ);
    assertThat(PosixFilePermissions.toString(NioLocalFileSystem.permissions(0755)))
        .isEqualTo("rwxr-xr-x");
    assertThat(NioLocalFileSystem.permissions(0)).isEmpty();
  }

  @Test
  void directoriesAndFilesGetTheModesHadoopAsksFor() throws Exception {
    Configuration hadoop = new Configuration();
    hadoop.set("fs.file.impl", NioLocalFileSystem.class.getName());
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), hadoop)) {
      assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
      assertThat(((NioLocalFileSystem) fs).getRaw()).isInstanceOf(NioLocalFileSystem.Raw.class);
      org.apache.hadoop.fs.Path sub = new org.apache.hadoop.fs.Path(dir.resolve("a/b").toUri());
      assertThat(fs.mkdirs(sub, new FsPermission((short) 0750))).isTrue();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))))
          .isEqualTo("rwxr-x---");

      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(sub, "part-0");
      try (OutputStream out =
          fs.create(file, new FsPermission((short) 0604), false, 4096, (short) 1, 1 << 20, null)) {
        out.write("x,1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve("a/b/part-0"))))
          .isEqualTo("rw----r--");
      assertThat(Files.readString(dir.resolve("a/b/part-0"))).isEqualTo("x,1\n");
      // Hadoop's checksum file is written beside it, as by the stock local file system.
      assertThat(dir.resolve("a/b/.part-0.crc")).exists();

      fs.setPermission(file, new FsPermission((short) 0640));
      assertThat(fs.getFileStatus(file).getPermission().toShort()).isEqualTo((short) 0640);
    }
  }
}
