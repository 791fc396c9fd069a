package org.marketingengine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code marketing} CLI in a JVM of its own (the test classpath and the test JVM's module
 * options), so that a test can kill it with {@code kill -9} as an operator or the OOM killer would:
 * no shutdown hook, no {@code finally}, no flush.
 */
public final class ChildJvm {
  private final Process process;
  private final Path log;
  private final Path pausedFile;

  private ChildJvm(Process process, Path log, Path pausedFile) {
    this.process = process;
    this.log = log;
    this.pausedFile = pausedFile;
  }

  /**
   * Starts {@code marketing args...}; with {@code pauseAt} (e.g. {@code old-moved:silver/events/
   * run_date=2026-11-01}) the child stops at that point of a publish (see {@code PausePoints}).
   */
  public static ChildJvm start(Path workDir, String pauseAt, String... args) throws IOException {
    return start(workDir, pauseAt, List.of(), Map.of(), args);
  }

  /**
   * Starts {@code marketing args...} with extra JVM options (e.g. {@code
   * -Dlog4j2.configurationFile}) and environment variables.
   */
  public static ChildJvm start(
      Path workDir,
      String pauseAt,
      List<String> jvmOptions,
      Map<String, String> environment,
      String... args)
      throws IOException {
    Files.createDirectories(workDir);
    Path log = Files.createTempFile(workDir, "child", ".log");
    Path paused = workDir.resolve("paused-" + System.nanoTime());
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-") || option.startsWith("-Xss")) {
        command.add(option);
      }
    }
    command.add("-Xmx2g");
    command.addAll(jvmOptions);
    if (pauseAt != null) {
      command.add("-Dmarketing.test.pause-at=" + pauseAt);
      command.add("-Dmarketing.test.paused-file=" + paused);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.marketingengine.cli.MarketingCli");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    builder.environment().putIfAbsent("MARKETING_PII_SECRET", "test-only-secret");
    return new ChildJvm(builder.start(), log, paused);
  }

  /** Waits until the child reached its pause point (fails if it exited or took too long). */
  public ChildJvm awaitPaused(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(pausedFile) || Files.size(pausedFile) == 0) {
      assertThat(process.isAlive()).as("child exited before pausing; log:\n" + output()).isTrue();
      assertThat(System.nanoTime())
          .as("child did not pause; log:\n" + output())
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    return this;
  }

  /** Sends SIGKILL ({@code kill -9}) and waits for the process to be gone. */
  public void killNine() throws Exception {
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start();
    assertThat(kill.waitFor()).isZero();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  /** Waits for the child to exit and returns its exit code. */
  public int await(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child still running after " + timeout + "; log:\n" + output());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the child printed (stdout and stderr). */
  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
