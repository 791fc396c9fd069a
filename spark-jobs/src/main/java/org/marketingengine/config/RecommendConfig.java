package org.marketingengine.config;

import java.util.List;
import java.util.Map;

/**
 * Settings of the recommend stage ({@code marketing.recommend}).
 *
 * @param topN recommendations per user
 * @param windowDays interactions of this many days before the run date are used
 * @param eventWeights implicit-feedback weight of each event type
 * @param halfLifeDays an interaction this many days old counts half as much as one today
 * @param als the ALS settings used to recommend
 * @param alsGrid ALS settings tried by {@code evaluate-recs} when {@code alsSearch} is on
 * @param alsSearch search the ALS grid on a validation split of the training window
 * @param alsCandidates ALS candidates per user before the blend and the business rules
 * @param contentCandidatesPerCategory candidates per top category of the user for the content part
 * @param topCategories how many of the user's top categories give content candidates
 * @param popularCandidates most popular items (per segment and trending) added as candidates
 * @param blendWeight weight of the normalised ALS score; 1 - weight goes to the content score
 * @param maxPerCategory at most this many recommendations of one category per user
 * @param repeatableCategories categories whose bought items may be recommended again
 * @param brandBuckets brands are hashed into this many slots of the content vector
 * @param evaluation the holdout evaluation ({@code evaluate-recs})
 */
public record RecommendConfig(
    int topN,
    int windowDays,
    Map<String, Double> eventWeights,
    double halfLifeDays,
    Als als,
    List<Als> alsGrid,
    boolean alsSearch,
    int alsCandidates,
    int contentCandidatesPerCategory,
    int topCategories,
    int popularCandidates,
    double blendWeight,
    int maxPerCategory,
    List<String> repeatableCategories,
    int brandBuckets,
    Evaluation evaluation) {

  public RecommendConfig {
    eventWeights = Map.copyOf(eventWeights);
    alsGrid = List.copyOf(alsGrid);
    repeatableCategories = List.copyOf(repeatableCategories);
  }

  /** One ALS setting. */
  public record Als(int rank, double regParam, double alpha, int maxIter, long seed) {}

  /** How interactions are held out for the ranking evaluation. */
  public enum Holdout {
    TIME,
    FRACTION,
    LEAVE_LAST
  }

  /**
   * @param holdout time: the last {@code holdoutDays} days; fraction: a seeded share of each user's
   *     items; leave_last: each user's last {@code leaveLast} items
   * @param k cut-offs of the ranking metrics
   * @param blendWeights ALS weights of the blend tried on the holdout
   */
  public record Evaluation(
      Holdout holdout,
      int holdoutDays,
      double holdoutFraction,
      int leaveLast,
      long seed,
      List<Integer> k,
      List<Double> blendWeights) {

    public Evaluation {
      k = List.copyOf(k);
      blendWeights = List.copyOf(blendWeights);
    }
  }
}
