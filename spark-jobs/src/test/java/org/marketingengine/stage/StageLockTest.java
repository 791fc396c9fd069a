package org.marketingengine.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.testing.ReliabilityLog;

class StageLockTest {
  private static final LocalDate DATE = LocalDate.of(2026, 11, 1);

  @TempDir Path out;

  private Path lockOfAnotherHost(Instant touched) throws Exception {
    Path lock = out.resolve("_locks").resolve("train." + DATE + ".lock");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "pid 4242 on some-other-node since 2026-11-01T01:00:00Z");
    Files.setLastModifiedTime(lock, FileTime.from(touched));
    return lock;
  }

  @Test
  void aLiveLockOfAnotherHostBlocksAndAStaleOneIsTakenOver() throws Exception {
    Configuration hadoop = new Configuration();
    Path lock = lockOfAnotherHost(Instant.now().minusSeconds(60));
    assertThatThrownBy(() -> StageLock.acquire(hadoop, out.toString(), "train", DATE))
        .isInstanceOf(StageLockedException.class)
        .hasMessageContaining("train for 2026-11-01 is already running")
        .hasMessageContaining("pid 4242 on some-other-node")
        .hasMessageContaining(lock.toString());

    lockOfAnotherHost(Instant.now().minus(StageLock.STALE).minusSeconds(1));
    try (StageLock taken = StageLock.acquire(hadoop, out.toString(), "train", DATE)) {
      assertThat(Files.readString(lock)).startsWith("pid " + ProcessHandle.current().pid() + " ");
    }
    assertThat(lock).doesNotExist();
    ReliabilityLog.passed(
        "3b lock of a driver that died on another node",
        "a lock naming another host, touched 1 minute ago, then 5 minutes ago",
        "a live run blocks; a dead one's lock is taken over after 5 minutes without heartbeat",
        "blocked with the holder named; taken over once stale, released after the run");
  }
}
