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
}
