package org.marketingengine.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the clean stage ({@code marketing.clean}).
 *
 * @param missing per input, per column, what to do with an empty value
 */
public record CleanConfig(
    boolean deduplicate,
    int eventTimeToleranceSeconds,
    Map<String, Map<String, MissingPolicy>> missing,
    Anomalies anomalies,
    Currency currency,
    PersonalData personalData) {

  public CleanConfig {
    missing = Map.copyOf(missing);
  }

  /** The missing-value policies of one input (empty when none is configured). */
  public Map<String, MissingPolicy> missing(String input) {
    return missing.getOrDefault(input, Map.of());
  }

  /** What to do with an empty value. */
  public record MissingPolicy(Kind kind, String defaultValue) {
    public enum Kind {
      DROP,
      MEDIAN,
      MODE,
      DEFAULT,
      KEEP
    }

    static MissingPolicy parse(String value, String key) {
      String v = value.trim();
      if (v.startsWith("default:")) {
        return new MissingPolicy(Kind.DEFAULT, v.substring("default:".length()));
      }
      try {
        Kind kind = Kind.valueOf(v.toUpperCase(java.util.Locale.ROOT));
        if (kind != Kind.DEFAULT) {
          return new MissingPolicy(kind, null);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new InvalidConfigException(
          "Config key '"
              + key
              + "' is '"
              + value
              + "': use drop, median, mode, keep or \"default:<value>\"");
    }
  }

  /** What to do with events of users or items that the users or items table does not know. */
  public enum UnknownPolicy {
    KEEP,
    DROP
  }

  /** Anomaly and noise rules. */
  public record Anomalies(
      double ageMin,
      double ageMax,
      boolean negativeIncome,
      boolean priceOutliers,
      double priceIqrFactor,
      boolean bots,
      int botMaxEventsPerMinute,
      UnknownPolicy unknownUsers,
      UnknownPolicy unknownItems) {

    static Anomalies from(ConfigValues v, String a) {
      double ageMin = v.doubleIn(a + ".age-min", 0, true, 150);
      double ageMax = v.doubleIn(a + ".age-max", 0, true, 150);
      ConfigValues.check(
          ageMax >= ageMin,
          "Config key '" + a + ".age-max' is below " + a + ".age-min: give a valid age range");
      return new Anomalies(
          ageMin,
          ageMax,
          v.bool(a + ".negative-income"),
          v.bool(a + ".price-outliers"),
          v.doubleIn(a + ".price-iqr-factor", 0, false, 100),
          v.bool(a + ".bots"),
          v.intIn(a + ".bot-max-events-per-minute", 1, 100_000),
          v.enumValue(a + ".unknown-users", UnknownPolicy.class),
          v.enumValue(a + ".unknown-items", UnknownPolicy.class));
    }
  }

  /**
   * Conversion of amounts to one currency.
   *
   * @param rates per currency code (upper case), what one unit is worth in {@code base}
   */
  public record Currency(String base, Map<String, Double> rates) {
    public Currency {
      rates = Map.copyOf(rates);
    }

    static Currency from(ConfigValues v, String base) {
      Map<String, Double> rates = new LinkedHashMap<>();
      for (String currency : v.keys(base + ".rates")) {
        rates.put(
            currency.toUpperCase(Locale.ROOT),
            v.doubleIn(base + ".rates." + currency, 0, false, 1e9));
      }
      String baseCurrency = v.string(base + ".base").trim().toUpperCase(Locale.ROOT);
      ConfigValues.check(
          rates.isEmpty() || !baseCurrency.isEmpty(),
          "Config key '"
              + base
              + ".base' is empty but rates are given: name the currency the rates convert to,"
              + " e.g. \"EUR\"");
      return new Currency(baseCurrency, rates);
    }
  }

  /** Pseudonymise or drop personal columns. */
  public enum PersonalDataMode {
    PSEUDONYMISE,
    DROP
  }

  /**
   * Personal-data handling.
   *
   * @param secretEnv the environment variable holding the pseudonymisation key
   * @param secret the key, read from {@code secretEnv} when the configuration was loaded; never
   *     printed ({@link #toString} hides it)
   */
  public record PersonalData(
      List<String> columns, PersonalDataMode mode, String secretEnv, Optional<String> secret) {
    public PersonalData {
      columns = List.copyOf(columns);
    }

    static PersonalData from(ConfigValues v, String p) {
      return new PersonalData(
          v.stringList(p + ".columns"),
          v.enumValue(p + ".mode", PersonalDataMode.class),
          v.string(p + ".secret-env"),
          v.secretFromEnvironment(p + ".secret-env"));
    }

    /** The key, or a config error saying how to give one. */
    public String requireSecret() {
      return secret.orElseThrow(
          () ->
              new InvalidConfigException(
                  "Personal columns need a pseudonymisation key: set the environment variable "
                      + secretEnv
                      + " (marketing.clean.personal-data.secret-env), or set"
                      + " marketing.clean.personal-data.mode = drop"));
    }

    @Override
    public String toString() {
      return "PersonalData[columns="
          + columns
          + ", mode="
          + mode
          + ", secretEnv="
          + secretEnv
          + ", secret="
          + (secret.isPresent() ? "(set)" : "(not set)")
          + "]";
    }
  }

  /** Reads {@code marketing.clean}; {@code inputs} are the names a missing-value block may use. */
  public static CleanConfig from(ConfigValues v, Set<String> inputs) {
    String base = "marketing.clean";
    Map<String, Map<String, MissingPolicy>> missing = new LinkedHashMap<>();
    for (String input : v.keys(base + ".missing")) {
      ConfigValues.check(
          inputs.contains(input),
          "Config key '"
              + base
              + ".missing."
              + input
              + "' names no input: use one of "
              + String.join(", ", new TreeSet<>(inputs)));
      Map<String, MissingPolicy> policies = new LinkedHashMap<>();
      String key = base + ".missing." + input;
      v.stringMap(key)
          .forEach(
              (column, policy) ->
                  policies.put(column, MissingPolicy.parse(policy, key + "." + column)));
      missing.put(input, policies);
    }
    return new CleanConfig(
        v.bool(base + ".duplicates.enabled"),
        v.intIn(base + ".duplicates.event-time-tolerance-seconds", 0, 86_400),
        missing,
        Anomalies.from(v, base + ".anomalies"),
        Currency.from(v, base + ".currency"),
        PersonalData.from(v, base + ".personal-data"));
  }
}
