package org.marketingengine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Loads the layered configuration into a validated {@link JobConfig}.
 *
 * <p>Layers, later ones win: {@code reference.conf} in the jar, the {@code --conf} file,
 * environment variables ({@code CONFIG_FORCE_...}), {@code --set key=value}, then the dedicated CLI
 * options. Unknown keys under {@code marketing} and out-of-range values are reported as {@link
 * InvalidConfigException} naming the key.
 */
public final class ConfigLoader {

  private static final String ROOT = "marketing";

  /** Paths below which any key is accepted: free-form maps. */
  private static final Pattern FREE_FORM =
      Pattern.compile(
          "^marketing\\.((inputs\\.[^.]+|input-defaults)\\.(columns|constants|csv\\.options)"
              + "|clean\\.missing\\.[^.]+|clean\\.currency\\.rates"
              + "|profile\\.contact-channel-by-behaviour|strategy\\.campaigns\\.[^.]+"
              + "|strategy\\.language-by-region|strategy\\.templates\\.[^.]+"
              + "|strategy\\.offer-labels\\.[^.]+|train\\.sentinels"
              + "|recommend\\.tune\\.event-weight-profiles)\\..+$");

  private ConfigLoader() {}

  /** What the command line contributes to the configuration. */
  public record Overrides(
      Optional<Path> confFile,
      List<String> sets,
      Optional<String> inputRoot,
      Optional<String> outputRoot,
      Optional<String> master,
      LocalDate runDate) {}

  /** Loads and validates the configuration for one run, with environment overrides. */
  public static JobConfig load(Overrides overrides) {
    return load(overrides, ConfigFactory.systemEnvironmentOverrides(), System::getenv);
  }

  /**
   * Loads and validates the configuration, with the given environment layer and the variables
   * secrets are read from (for tests).
   */
  public static JobConfig load(
      Overrides overrides, Config environment, UnaryOperator<String> variables) {
    Config reference =
        ConfigFactory.parseResources(
            ConfigLoader.class.getClassLoader(),
            "reference.conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
    Config file = overrides.confFile().map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
    Config sets = parseSets(overrides.sets());
    Config cli = ConfigFactory.empty();
    if (overrides.inputRoot().isPresent()) {
      cli =
          cli.withValue(
              ROOT + ".input-root", ConfigValueFactory.fromAnyRef(overrides.inputRoot().get()));
    }
    if (overrides.outputRoot().isPresent()) {
      cli =
          cli.withValue(
              ROOT + ".output-root", ConfigValueFactory.fromAnyRef(overrides.outputRoot().get()));
    }
    Config merged;
    try {
      merged =
          cli.withFallback(sets)
              .withFallback(environment)
              .withFallback(file)
              .withFallback(reference)
              .resolve();
    } catch (ConfigException e) {
      throw new InvalidConfigException("Cannot resolve the configuration: " + e.getMessage(), e);
    }
    rejectUnknownKeys(merged, reference.resolve());
    return toJobConfig(merged, overrides, variables);
  }

  private static Config parseFile(Path path) {
    File file = path.toFile();
    if (!Files.isRegularFile(path)) {
      throw new InvalidConfigException(
          "Config file '" + path + "' does not exist: check the --conf path");
    }
    try {
      return ConfigFactory.parseFile(
          file,
          ConfigParseOptions.defaults().setAllowMissing(false).setIncluder(new RequiredIncludes()));
    } catch (ConfigException.IO e) {
      throw new InvalidConfigException(
          "Config file '" + path + "' includes a file that cannot be read: " + e.getMessage(), e);
    } catch (ConfigException e) {
      throw new InvalidConfigException(
          "Config file '" + path + "' is not valid HOCON: " + e.getMessage(), e);
    }
  }

  private static Config parseSets(List<String> sets) {
    Config config = ConfigFactory.empty();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new InvalidConfigException(
            "--set '"
                + set
                + "' is not key=value: write e.g. --set marketing.output-root=/tmp/out");
      }
      String key = set.substring(0, eq).trim();
      String value = set.substring(eq + 1).trim();
      if (!key.startsWith(ROOT + ".") && !key.startsWith("spark.")) {
        throw new InvalidConfigException(
            "--set key '" + key + "' is unknown: keys start with 'marketing.' or 'spark.'");
      }
      ConfigValue configValue;
      if (value.equals("null")) {
        configValue = ConfigValueFactory.fromAnyRef(null);
      } else if (value.startsWith("[") || value.startsWith("{")) {
        try {
          configValue = ConfigFactory.parseString("v = " + value).getValue("v");
        } catch (ConfigException e) {
          throw new InvalidConfigException("--set " + key + ": cannot parse '" + value + "'", e);
        }
      } else {
        configValue = ConfigValueFactory.fromAnyRef(value);
      }
      try {
        config = config.withValue(key, configValue);
      } catch (ConfigException e) {
        throw new InvalidConfigException("--set key '" + key + "' is not a valid path", e);
      }
    }
    return config;
  }

  private static void rejectUnknownKeys(Config merged, Config reference) {
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : merged.getConfig(ROOT).entrySet()) {
      String path = ROOT + "." + entry.getKey();
      if (!reference.hasPathOrNull(path) && !FREE_FORM.matcher(path).matches()) {
        unknown.add(path);
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidConfigException(
          "Unknown config key '"
              + unknown.iterator().next()
              + "'"
              + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "")
              + ": check its spelling against reference.conf (see README, Configuration)");
    }
  }

  private static JobConfig toJobConfig(Config c, Overrides overrides, UnaryOperator<String> env) {
    ConfigValues v = new ConfigValues(c, env);
    String master = overrides.master().orElseGet(() -> v.string(ROOT + ".local-master"));
    Map<String, InputConfig> inputs = new LinkedHashMap<>();
    for (String name : new TreeSet<>(v.keys(ROOT + ".inputs"))) {
      inputs.put(name, InputConfig.from(v, name));
    }
    String outputRoot = v.string(ROOT + ".output-root");
    ConfigValues.check(
        !outputRoot.isBlank(),
        "Config key 'marketing.output-root' is empty: give an output directory (--output)");
    return new JobConfig(
        overrides.runDate(),
        v.optionalString(ROOT + ".input-root"),
        outputRoot,
        master,
        v.string(ROOT + ".app-name"),
        TableFormat.parse(v.string(ROOT + ".output.table-format"), ROOT + ".output.table-format"),
        v.intIn(ROOT + ".shuffle-partition-mib", 0, 1 << 20),
        inputs,
        IngestConfig.from(v),
        CleanConfig.from(v, inputs.keySet()),
        FeaturesConfig.from(v),
        TrainConfig.from(v),
        ProfileConfig.from(v),
        RecommendConfig.from(v),
        StrategyConfig.from(v),
        EvaluateConfig.from(v),
        ExportConfig.from(v),
        ReportConfig.from(v),
        GenerateConfig.from(v),
        sparkSettings(c));
  }

  private static Map<String, String> sparkSettings(Config c) {
    Map<String, String> settings = new TreeMap<>();
    if (c.hasPath("spark")) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig("spark").entrySet()) {
        settings.put("spark." + e.getKey(), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return settings;
  }
}
