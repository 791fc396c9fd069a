package org.marketingengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.testing.ReliabilityLog;
import org.marketingengine.testing.TestConfigs;

/** The shipped logging configuration keeps one message on one line, whatever a value holds. */
class LogForgingTest {

  @TempDir Path dir;

  @Test
  void aValueWithLineBreaksCannotForgeALogLine() throws Exception {
    Path conf = TestConfigs.repoRoot().resolve("conf").resolve("log4j2.properties");
    String previous = System.getProperty("marketing.log.dir");
    System.setProperty("marketing.log.dir", dir.toString());
    LoggerContext context = new LoggerContext("log-forging-test", null, conf.toUri());
    try {
      context.start();
      Logger log = context.getLogger("org.marketingengine.reliability.LogForgingTest");
      String hostile = "u1\r\n2026-11-01T00:00:00,000 ERROR [main] forged: '; DROP TABLE x; --";
      log.info("scored user {}", hostile);
    } finally {
      context.stop();
      if (previous == null) {
        System.clearProperty("marketing.log.dir");
      } else {
        System.setProperty("marketing.log.dir", previous);
      }
    }

    List<String> lines = Files.readAllLines(dir.resolve("marketing.log"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("INFO")
        .contains("scored user u1\\r\\n2026-11-01T00:00:00,000 ERROR [main] forged:");
    ReliabilityLog.passed(
        "11a log forging",
        "a user id holding CR LF and a fake log line logged through conf/log4j2.properties",
        "one message stays one line; the value is kept, as data",
        "1 line in marketing.log, the line break written as \\r\\n");
  }
}
