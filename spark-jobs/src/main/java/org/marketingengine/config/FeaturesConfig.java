package org.marketingengine.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marketingengine.Columns;

/**
 * Settings of the features stage ({@code marketing.features}).
 *
 * @param eventWeights weight of each event type in the category affinity
 * @param topCategories how many of the user's top categories the market context averages over
 */
public record FeaturesConfig(
    int labelDays,
    int featureDays,
    int recentDays,
    Map<String, Double> eventWeights,
    int topCategories,
    List<String> channels,
    List<String> platforms,
    List<String> extraNumeric,
    List<String> extraCategorical) {

  public FeaturesConfig {
    eventWeights = Map.copyOf(eventWeights);
    channels = List.copyOf(channels);
    platforms = List.copyOf(platforms);
    extraNumeric = List.copyOf(extraNumeric);
    extraCategorical = List.copyOf(extraCategorical);
  }

  /** Reads {@code marketing.features}. */
  public static FeaturesConfig from(ConfigValues v) {
    String base = "marketing.features";
    int featureDays = v.intIn(base + ".feature-days", 1, 3650);
    int recentDays = v.intIn(base + ".recent-days", 1, 3650);
    ConfigValues.check(
        recentDays <= featureDays,
        "Config key '"
            + base
            + ".recent-days' is "
            + recentDays
            + ": must be at most "
            + base
            + ".feature-days ("
            + featureDays
            + ")");
    return new FeaturesConfig(
        v.intIn(base + ".label-days", 1, 365),
        featureDays,
        recentDays,
        eventWeights(v, base + ".event-weights"),
        v.intIn(base + ".top-categories", 1, 50),
        v.stringList(base + ".channels"),
        v.stringList(base + ".platforms"),
        v.stringList(base + ".extra-numeric"),
        v.stringList(base + ".extra-categorical"));
  }

  /** A weight per event type of SPEC section 2, from 0 to 1000. */
  static Map<String, Double> eventWeights(ConfigValues v, String key) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String type : Columns.Events.TYPES) {
      weights.put(type, v.doubleIn(key + "." + type, 0, true, 1000));
    }
    return weights;
  }
}
