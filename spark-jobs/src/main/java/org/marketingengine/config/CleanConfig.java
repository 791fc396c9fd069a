package org.marketingengine.config;

import java.util.List;
import java.util.Map;

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
      UnknownPolicy unknownItems) {}

  /**
   * Conversion of amounts to one currency.
   *
   * @param rates per currency code (upper case), what one unit is worth in {@code base}
   */
  public record Currency(String base, Map<String, Double> rates) {
    public Currency {
      rates = Map.copyOf(rates);
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
   */
  public record PersonalData(List<String> columns, PersonalDataMode mode, String secretEnv) {
    public PersonalData {
      columns = List.copyOf(columns);
    }
  }
}
