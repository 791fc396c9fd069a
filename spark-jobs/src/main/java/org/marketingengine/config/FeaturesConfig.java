package org.marketingengine.config;

import java.util.List;
import java.util.Map;

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
}
