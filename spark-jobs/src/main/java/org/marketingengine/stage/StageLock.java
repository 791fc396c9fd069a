package org.marketingengine.stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time of a stage and date under an output root: {@code
 * <output>/_locks/<stage>.<run_date>.lock}, created atomically (create without overwrite) when the
 * stage starts and deleted when it ends, whatever the outcome. A second run of the same stage and
 * date fails at once with {@link StageLockedException}, before reading anything, instead of
 * interleaving its publishes with the first run's (which could leave one table from each run).
 *
 * <p>A run killed with {@code kill -9} leaves its lock behind. The lock names the host and process
 * that took it, and the holder touches it every {@link #HEARTBEAT}; a later run takes it over when
 * its process is gone (same host) or it has not been touched for {@link #STALE} (any host: a driver
 * that died on another cluster node), so a retry after a crash just works.
 */
public final class StageLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StageLock.class);

  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final Duration STALE = Duration.ofMinutes(5);

  private final FileSystem fs;
  private final Path path;
  private final ScheduledExecutorService heartbeat;

  private StageLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stage-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleAtFixedRate(
        this::touch, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
  }

  private void touch() {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException e) {
      LOG.warn("Cannot refresh the lock {}: {}", path, e.getMessage());
    }
  }

  private static boolean isStale(FileSystem fs, Path path) throws IOException {
    try {
      long touched = fs.getFileStatus(path).getModificationTime();
      return System.currentTimeMillis() - touched > STALE.toMillis();
    } catch (java.io.FileNotFoundException e) {
      return true;
    }
  }

  /** The lock file of a stage and date. */
  static Path path(String outputRoot, String stage, LocalDate runDate) {
    return new Path(new Path(outputRoot, "_locks"), stage + "." + runDate + ".lock");
  }

  /**
   * Takes the lock of {@code stage} for {@code runDate}.
   *
   * @throws StageLockedException when a live run holds it
   */
  public static StageLock acquire(
      Configuration hadoop, String outputRoot, String stage, LocalDate runDate) {
    Path path = path(outputRoot, stage, runDate);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      fs.mkdirs(path.getParent());
      String owner = Owner.current().line();
      for (int attempt = 0; attempt < 2; attempt++) {
        try (OutputStream out = fs.create(path, false)) {
          out.write(owner.getBytes(StandardCharsets.UTF_8));
          return new StageLock(fs, path);
        } catch (FileAlreadyExistsException e) {
          Optional<Owner> holder = Owner.read(fs, path);
          if (holder.map(Owner::isDeadOnThisHost).orElse(false) || isStale(fs, path)) {
            LOG.warn(
                "Taking over the lock {} of a run that is gone ({})",
                path,
                holder.map(Owner::line).orElse("owner unreadable"));
            fs.delete(path, false);
            continue;
          }
          throw new StageLockedException(
              stage
                  + " for "
                  + runDate
                  + " is already running under "
                  + outputRoot
                  + " ("
                  + holder.map(Owner::line).orElse("owner unreadable")
                  + "). Wait for it to finish; a dead run's lock is taken over "
                  + STALE.toMinutes()
                  + " minutes after its last heartbeat, or delete "
                  + path);
        }
      }
      throw new StageLockedException("Cannot take the lock " + path + ": it keeps reappearing");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot take the lock " + path, e);
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      LOG.warn("Cannot release the lock {}: {}", path, e.getMessage());
    }
  }

  /** Who holds a lock: {@code pid <pid> on <host> since <instant>}. */
  record Owner(long pid, String host, String since) {
    static Owner current() {
      return new Owner(ProcessHandle.current().pid(), hostName(), Instant.now().toString());
    }

    String line() {
      return "pid " + pid + " on " + host + " since " + since;
    }

    boolean isDeadOnThisHost() {
      return host.equals(hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    static Optional<Owner> read(FileSystem fs, Path path) {
      try (InputStream in = fs.open(path)) {
        String[] words = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
        if (words.length == 6 && words[0].equals("pid")) {
          return Optional.of(new Owner(Long.parseLong(words[1]), words[3], words[5]));
        }
      } catch (IOException | NumberFormatException e) {
        LOG.warn("Cannot read the lock {}: {}", path, e.getMessage());
      }
      return Optional.empty();
    }

    private static String hostName() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "unknown-host";
      }
    }
  }
}
