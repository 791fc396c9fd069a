package org.marketingengine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Typed, validated reads of the merged configuration: every failure is an {@link
 * InvalidConfigException} naming the key and what it must be. Each config record builds itself from
 * these in its {@code from(...)}; secrets named by a key are resolved here, at load time.
 */
public final class ConfigValues {
  private final Config config;
  private final UnaryOperator<String> environment;

  public ConfigValues(Config config, UnaryOperator<String> environment) {
    this.config = config;
    this.environment = environment;
  }

  /** The underlying configuration, for the keys of free-form maps. */
  public Config config() {
    return config;
  }

  /** The keys directly below {@code path}, e.g. the campaign ids of {@code strategy.campaigns}. */
  public Set<String> keys(String path) {
    return config.getConfig(path).root().keySet();
  }

  /** Whether {@code path} is set to a value other than null. */
  public boolean isSet(String path) {
    return config.hasPath(path);
  }

  /** The value of the environment variable named by the key {@code path}, if set and not empty. */
  public Optional<String> secretFromEnvironment(String path) {
    String value = environment.apply(string(path));
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Fails with {@code message} (naming the key) unless {@code condition} holds. */
  public static void check(boolean condition, String message) {
    if (!condition) {
      throw new InvalidConfigException(message);
    }
  }

  /** A date YYYY-MM-DD, or empty when the key is missing or null. */
  public Optional<LocalDate> optionalDate(String path) {
    if (!config.hasPathOrNull(path) || config.getIsNull(path)) {
      return Optional.empty();
    }
    String text = string(path);
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      throw new InvalidConfigException(
          "Config key '" + path + "' is '" + text + "': use a date YYYY-MM-DD", e);
    }
  }

  /** A value that must be one of {@code allowed}. */
  public String oneOf(String path, List<String> allowed) {
    String value = string(path);
    check(
        allowed.contains(value),
        "Config key '" + path + "' is '" + value + "': use one of " + allowed);
    return value;
  }

  public String string(String path) {
    try {
      return config.getString(path);
    } catch (ConfigException.Missing e) {
      throw new InvalidConfigException("Config key '" + path + "' must be set", e);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be a string", e);
    }
  }

  public Optional<String> optionalString(String path) {
    if (config.getIsNull(path)) {
      return Optional.empty();
    }
    String value = string(path);
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  public boolean bool(String path) {
    try {
      return config.getBoolean(path);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be true or false", e);
    }
  }

  public long longIn(String path, long min, long max) {
    long value;
    try {
      value = config.getLong(path);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be a whole number", e);
    }
    if (value < min || value > max) {
      throw new InvalidConfigException(
          "Config key '" + path + "' is " + value + ": must be between " + min + " and " + max);
    }
    return value;
  }

  public int intIn(String path, int min, int max) {
    return (int) longIn(path, min, max);
  }

  public double doubleIn(String path, double min, boolean minInclusive, double max) {
    double value;
    try {
      value = config.getDouble(path);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be a number", e);
    }
    boolean aboveMin = minInclusive ? value >= min : value > min;
    if (!aboveMin || value > max || Double.isNaN(value)) {
      throw new InvalidConfigException(
          "Config key '"
              + path
              + "' is "
              + value
              + ": must be "
              + (minInclusive ? "at least " : "greater than ")
              + min
              + " and at most "
              + max);
    }
    return value;
  }

  public <E extends Enum<E>> E enumValue(String path, Class<E> type) {
    String value = string(path);
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(java.util.Locale.ROOT));
      }
      throw new InvalidConfigException(
          "Config key '" + path + "' is '" + value + "': use " + String.join(" or ", allowed), e);
    }
  }

  public double[] doubles(String path, double min, double max) {
    List<Double> values;
    try {
      values = config.getDoubleList(path);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be a list of numbers", e);
    }
    if (values.isEmpty() || values.stream().anyMatch(d -> d < min || d > max)) {
      throw new InvalidConfigException(
          "Config key '"
              + path
              + "' is "
              + values
              + ": give one or more numbers from "
              + min
              + " to "
              + max);
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A list of whole numbers, or one number as a list of one. */
  public int[] ints(String path, int min, int max) {
    List<Integer> values;
    try {
      values =
          config.getValue(path).valueType() == ConfigValueType.LIST
              ? config.getIntList(path)
              : List.of(config.getInt(path));
    } catch (ConfigException e) {
      throw new InvalidConfigException(
          "Config key '" + path + "' must be a list of whole numbers", e);
    }
    if (values.isEmpty() || values.stream().anyMatch(n -> n < min || n > max)) {
      throw new InvalidConfigException(
          "Config key '"
              + path
              + "' is "
              + values
              + ": give one or more whole numbers from "
              + min
              + " to "
              + max);
    }
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  public List<List<Integer>> intLists(String path) {
    List<List<Integer>> lists = new ArrayList<>();
    try {
      for (ConfigValue entry : config.getList(path)) {
        List<Integer> ints = new ArrayList<>();
        for (Object n : (List<?>) entry.unwrapped()) {
          ints.add(((Number) n).intValue());
        }
        lists.add(ints);
      }
    } catch (ConfigException | ClassCastException e) {
      throw new InvalidConfigException(
          "Config key '" + path + "' must be a list of lists of numbers, e.g. [[32, 16], [16]]", e);
    }
    return lists;
  }

  public List<String> stringList(String path) {
    try {
      return config.getStringList(path);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be a list of strings", e);
    }
  }

  public Map<String, String> stringMap(String path) {
    Map<String, String> map = new LinkedHashMap<>();
    Config sub;
    try {
      sub = config.getConfig(path);
    } catch (ConfigException e) {
      throw new InvalidConfigException("Config key '" + path + "' must be an object", e);
    }
    List<String> keys = new ArrayList<>(sub.root().keySet());
    for (String key : keys) {
      ConfigValue value = sub.root().get(key);
      if (value.valueType() == ConfigValueType.OBJECT
          || value.valueType() == ConfigValueType.LIST) {
        throw new InvalidConfigException(
            "Config key '" + path + "." + key + "' must be a plain value");
      }
      map.put(
          key,
          value.valueType() == ConfigValueType.NULL ? null : String.valueOf(value.unwrapped()));
    }
    map.values().removeIf(java.util.Objects::isNull);
    return map;
  }
}
