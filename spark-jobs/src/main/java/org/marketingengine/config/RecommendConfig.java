package org.marketingengine.config;

import java.util.ArrayList;
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

  /** Reads {@code marketing.recommend}. */
  public static RecommendConfig from(ConfigValues v) {
    String base = "marketing.recommend";
    Als als = Als.from(v, base + ".als");
    return new RecommendConfig(
        v.intIn(base + ".top-n", 1, 1000),
        v.intIn(base + ".window-days", 1, 3650),
        FeaturesConfig.eventWeights(v, base + ".event-weights"),
        v.doubleIn(base + ".half-life-days", 0, false, 1e6),
        als,
        alsGrid(v, base + ".als-search", als),
        v.bool(base + ".als-search.enabled"),
        v.intIn(base + ".als-candidates", 1, 10_000),
        v.intIn(base + ".content-candidates-per-category", 0, 10_000),
        v.intIn(base + ".top-categories", 1, 100),
        v.intIn(base + ".popular-candidates", 1, 10_000),
        v.doubleIn(base + ".blend-weight", 0, true, 1),
        v.intIn(base + ".max-per-category", 1, 1000),
        v.stringList(base + ".repeatable-categories"),
        v.intIn(base + ".brand-buckets", 0, 1024),
        Evaluation.from(v, base + ".evaluation"));
  }

  private static List<Als> alsGrid(ConfigValues v, String grid, Als als) {
    List<Als> settings = new ArrayList<>();
    for (double rank : v.doubles(grid + ".rank", 1, 1000)) {
      for (double reg : v.doubles(grid + ".reg-param", 0, 1e6)) {
        for (double alpha : v.doubles(grid + ".alpha", 0, 1e6)) {
          settings.add(new Als((int) rank, reg, alpha, als.maxIter(), als.seed()));
        }
      }
    }
    return settings;
  }

  /** One ALS setting. */
  public record Als(int rank, double regParam, double alpha, int maxIter, long seed) {
    static Als from(ConfigValues v, String base) {
      return new Als(
          v.intIn(base + ".rank", 1, 1000),
          v.doubleIn(base + ".reg-param", 0, true, 1e6),
          v.doubleIn(base + ".alpha", 0, true, 1e6),
          v.intIn(base + ".max-iter", 1, 1000),
          v.longIn(base + ".seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
  }

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

    static Evaluation from(ConfigValues v, String e) {
      List<Integer> ks = new ArrayList<>();
      for (double k : v.doubles(e + ".k", 1, 1000)) {
        ks.add((int) k);
      }
      List<Double> blendWeights = new ArrayList<>();
      for (double w : v.doubles(e + ".blend-weights", 0, 1)) {
        blendWeights.add(w);
      }
      return new Evaluation(
          v.enumValue(e + ".holdout", Holdout.class),
          v.intIn(e + ".holdout-days", 1, 365),
          v.doubleIn(e + ".holdout-fraction", 0, false, 0.9),
          v.intIn(e + ".leave-last", 1, 1000),
          v.longIn(e + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
          ks,
          blendWeights);
    }
  }
}
