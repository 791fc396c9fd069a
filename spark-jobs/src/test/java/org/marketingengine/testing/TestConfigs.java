package org.marketingengine.testing;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.marketingengine.config.ConfigLoader;
import org.marketingengine.config.JobConfig;

/** Job configurations for tests: reference defaults plus the given roots and overrides. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The repository root (for sample-data/ and conf/). */
  public static Path repoRoot() {
    return Path.of(System.getProperty("marketing.repo.root", "..")).toAbsolutePath().normalize();
  }

  public static JobConfig config(
      String inputRoot, String outputRoot, LocalDate runDate, String... sets) {
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            Optional.empty(),
            List.of(sets),
            Optional.ofNullable(inputRoot),
            Optional.of(outputRoot),
            Optional.empty(),
            runDate),
        ConfigFactory.empty(),
        System::getenv);
  }
}
