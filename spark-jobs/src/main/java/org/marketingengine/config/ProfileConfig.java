package org.marketingengine.config;

import java.util.List;
import java.util.Map;

/**
 * Settings of the profile stage ({@code marketing.profile}).
 *
 * @param newUserDays a user without purchases who signed up at most this many days ago is "new"
 * @param clusterFeatures behaviour columns of the features that the KMeans clusters are learnt on
 * @param kMin smallest number of clusters tried
 * @param kMax largest number of clusters tried; the k with the best silhouette is kept
 * @param clusterSampleRows the clusters are fit (and k chosen) on at most this many users
 * @param seed seed of the sample and of KMeans
 * @param defaultMargin margin rate used when the catalog has none (1.0: expected value = revenue)
 * @param contactChannelByBehaviour contact channel assumed for users without past responses, from
 *     the channel they mostly use (web, app, store, social)
 */
public record ProfileConfig(
    int newUserDays,
    List<String> clusterFeatures,
    int kMin,
    int kMax,
    int clusterSampleRows,
    long seed,
    double defaultMargin,
    Map<String, String> contactChannelByBehaviour) {

  public ProfileConfig {
    clusterFeatures = List.copyOf(clusterFeatures);
    contactChannelByBehaviour = Map.copyOf(contactChannelByBehaviour);
  }

  /** Contact channels a campaign can reach a user on. */
  public static final List<String> CONTACT_CHANNELS = List.of("email", "sms", "push", "in_app");

  /** Reads {@code marketing.profile}. */
  public static ProfileConfig from(ConfigValues v) {
    String base = "marketing.profile";
    int kMin = v.intIn(base + ".clusters.k-min", 2, 50);
    int kMax = v.intIn(base + ".clusters.k-max", 2, 50);
    ConfigValues.check(
        kMax >= kMin,
        "Config key '" + base + ".clusters.k-max' is " + kMax + ": must be at least k-min");
    List<String> clusterFeatures = v.stringList(base + ".clusters.features");
    ConfigValues.check(
        !clusterFeatures.isEmpty(),
        "Config key '" + base + ".clusters.features' is empty: name one or more feature columns");
    Map<String, String> channels = v.stringMap(base + ".contact-channel-by-behaviour");
    for (Map.Entry<String, String> e : channels.entrySet()) {
      ConfigValues.check(
          CONTACT_CHANNELS.contains(e.getValue()),
          "Config key '"
              + base
              + ".contact-channel-by-behaviour."
              + e.getKey()
              + "' is '"
              + e.getValue()
              + "': use one of "
              + String.join(", ", CONTACT_CHANNELS));
    }
    return new ProfileConfig(
        v.intIn(base + ".new-user-days", 0, 3650),
        clusterFeatures,
        kMin,
        kMax,
        v.intIn(base + ".clusters.sample-rows", 100, 100_000_000),
        v.longIn(base + ".clusters.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        v.doubleIn(base + ".default-margin", 0, false, 1),
        channels);
  }
}
