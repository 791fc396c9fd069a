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
 * @param ratingScaling a review's weight is scaled by {@code rating / 3}
 * @param als the ALS settings used to recommend
 * @param source where recommend and evaluate-recs take these settings from: the latest file of
 *     {@code tune-recs} ({@code TUNED}, when there is one) or this configuration ({@code CONFIG})
 * @param alsCandidates ALS candidates per user before the blend and the business rules
 * @param contentCandidatesPerCategory candidates per top category of the user for the content part
 * @param topCategories how many of the user's top categories give content candidates
 * @param popularCandidates most popular items (per segment and trending) added as candidates
 * @param blendWeight weight of the normalised ALS score; 1 - weight goes to the content score
 * @param itemWeight weight of the item model's normalised score; the ALS and content blend gets 1 -
 *     item weight
 * @param itemModel the item-to-item model: cosine neighbours or EASE
 * @param maxPerCategory at most this many recommendations of one category per user
 * @param repeatableCategories categories whose bought items may be recommended again
 * @param brandBuckets brands are hashed into this many slots of the content vector
 * @param evaluation the holdout evaluation ({@code evaluate-recs})
 * @param tune the search of {@code tune-recs}
 */
public record RecommendConfig(
    int topN,
    int windowDays,
    Map<String, Double> eventWeights,
    double halfLifeDays,
    boolean ratingScaling,
    Als als,
    Source source,
    int alsCandidates,
    int contentCandidatesPerCategory,
    int topCategories,
    int popularCandidates,
    double blendWeight,
    double itemWeight,
    ItemModel itemModel,
    int maxPerCategory,
    List<String> repeatableCategories,
    int brandBuckets,
    Evaluation evaluation,
    Tune tune) {

  /** Where the recommend settings come from. */
  public enum Source {
    TUNED,
    CONFIG
  }

  public RecommendConfig {
    eventWeights = Map.copyOf(eventWeights);
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
        v.bool(base + ".rating-scaling"),
        als,
        v.enumValue(base + ".settings", Source.class),
        v.intIn(base + ".als-candidates", 1, 10_000),
        v.intIn(base + ".content-candidates-per-category", 0, 10_000),
        v.intIn(base + ".top-categories", 1, 100),
        v.intIn(base + ".popular-candidates", 1, 10_000),
        v.doubleIn(base + ".blend-weight", 0, true, 1),
        v.doubleIn(base + ".item-weight", 0, true, 1),
        ItemModel.from(v, base + ".item-model"),
        v.intIn(base + ".max-per-category", 1, 1000),
        v.stringList(base + ".repeatable-categories"),
        v.intIn(base + ".brand-buckets", 0, 1024),
        Evaluation.from(v, base + ".evaluation"),
        Tune.from(v, base + ".tune"));
  }

  /** These settings with the ones {@code tune-recs} chooses replaced. */
  public RecommendConfig with(Tuned tuned) {
    return new RecommendConfig(
        topN,
        windowDays,
        tuned.eventWeights(),
        halfLifeDays,
        tuned.ratingScaling(),
        tuned.als(),
        source,
        alsCandidates,
        contentCandidatesPerCategory,
        topCategories,
        popularCandidates,
        tuned.blendWeight(),
        tuned.itemWeight(),
        itemModel,
        tuned.maxPerCategory(),
        repeatableCategories,
        brandBuckets,
        evaluation,
        tune);
  }

  /** The part of these settings that {@code tune-recs} searches. */
  public Tuned tuned() {
    return new Tuned(als, eventWeights, ratingScaling, blendWeight, itemWeight, maxPerCategory);
  }

  /** The settings {@code tune-recs} chooses: ALS, interaction weights, blend and re-ranking. */
  public record Tuned(
      Als als,
      Map<String, Double> eventWeights,
      boolean ratingScaling,
      double blendWeight,
      double itemWeight,
      int maxPerCategory) {

    public Tuned {
      eventWeights = Map.copyOf(eventWeights);
    }

    /**
     * Reads the keys of a tuned settings file (the same keys as {@code marketing.recommend}); a
     * file written before the item model existed has no item weight, which means 0.
     */
    public static Tuned from(ConfigValues v, String base) {
      return new Tuned(
          Als.from(v, base + ".als"),
          FeaturesConfig.eventWeights(v, base + ".event-weights"),
          v.bool(base + ".rating-scaling"),
          v.doubleIn(base + ".blend-weight", 0, true, 1),
          v.isSet(base + ".item-weight") ? v.doubleIn(base + ".item-weight", 0, true, 1) : 0.0,
          v.intIn(base + ".max-per-category", 1, 1000));
    }
  }

  /** One ALS setting. */
  public record Als(int rank, double regParam, double alpha, int maxIter, long seed) {
    public static Als from(ConfigValues v, String base) {
      return new Als(
          v.intIn(base + ".rank", 1, 1000),
          v.doubleIn(base + ".reg-param", 0, true, 1e6),
          v.doubleIn(base + ".alpha", 0, true, 1e6),
          v.intIn(base + ".max-iter", 1, 1000),
          v.longIn(base + ".seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
  }

  /** The item-to-item model's kind. */
  public enum ItemModelKind {
    NONE,
    COSINE,
    EASE
  }

  /**
   * The item-to-item model.
   *
   * @param kind cosine: cosine of items' co-occurrence (a sparse similarity join); ease: the EASE
   *     closed form (a dense items x items solve on the driver), cosine above {@code easeMaxItems}
   *     items; none: no item model
   * @param neighbours the strongest neighbours kept per item
   * @param maxItemsPerUser a user's heaviest items that enter the co-occurrence (bounds its pairs)
   * @param candidates the user's best-scored items added as candidates
   * @param easeLambda the L2 regularisation of EASE
   * @param easeMaxItems the largest catalog (items with interactions) EASE is solved for
   */
  public record ItemModel(
      ItemModelKind kind,
      int neighbours,
      int maxItemsPerUser,
      int candidates,
      double easeLambda,
      int easeMaxItems) {

    /** These settings without the item model. */
    public ItemModel off() {
      return new ItemModel(
          ItemModelKind.NONE, neighbours, maxItemsPerUser, candidates, easeLambda, easeMaxItems);
    }

    static ItemModel from(ConfigValues v, String base) {
      return new ItemModel(
          v.enumValue(base + ".kind", ItemModelKind.class),
          v.intIn(base + ".neighbours", 1, 10_000),
          v.intIn(base + ".max-items-per-user", 1, 100_000),
          v.intIn(base + ".candidates", 0, 10_000),
          v.doubleIn(base + ".ease.lambda", 0, false, 1e9),
          v.intIn(base + ".ease.max-items", 1, 40_000));
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

  /**
   * The search of {@code tune-recs}: {@code budget} ALS fits, the first with the configured
   * settings, then seeded random points of the grid, the last {@code refine} of them next to the
   * best so far; every fit is ranked with every blend weight and category cap.
   *
   * @param metric the ranking metric chosen on: ndcg, precision, recall, map or hit-rate
   * @param k the cut-off of the metric
   * @param budget ALS fits in all
   * @param refine fits of the budget spent on grid neighbours of the best setting so far
   * @param maxUsers validation users measured at most (a seeded sample beyond)
   * @param weightProfiles event weights tried besides the configured ones, by name
   */
  public record Tune(
      String metric,
      int k,
      int budget,
      int refine,
      long seed,
      int maxUsers,
      List<Integer> ranks,
      List<Double> regParams,
      List<Double> alphas,
      List<Integer> maxIters,
      Map<String, Map<String, Double>> weightProfiles,
      List<Boolean> ratingScaling,
      List<Double> blendWeights,
      List<Double> itemWeights,
      List<Integer> maxPerCategory) {

    public static final List<String> METRICS =
        List.of("ndcg", "precision", "recall", "map", "hit-rate");

    public Tune {
      ranks = List.copyOf(ranks);
      regParams = List.copyOf(regParams);
      alphas = List.copyOf(alphas);
      maxIters = List.copyOf(maxIters);
      weightProfiles = Map.copyOf(weightProfiles);
      ratingScaling = List.copyOf(ratingScaling);
      blendWeights = List.copyOf(blendWeights);
      itemWeights = List.copyOf(itemWeights);
      maxPerCategory = List.copyOf(maxPerCategory);
    }

    static Tune from(ConfigValues v, String t) {
      int budget = v.intIn(t + ".budget", 1, 1000);
      int refine = v.intIn(t + ".refine", 0, 1000);
      ConfigValues.check(
          refine < budget,
          "Config key '"
              + t
              + ".refine' is "
              + refine
              + ": it must be below "
              + t
              + ".budget ("
              + budget
              + ")");
      Map<String, Map<String, Double>> profiles = new java.util.TreeMap<>();
      for (String name :
          v.isSet(t + ".event-weight-profiles")
              ? v.keys(t + ".event-weight-profiles")
              : java.util.Set.<String>of()) {
        profiles.put(name, FeaturesConfig.eventWeights(v, t + ".event-weight-profiles." + name));
      }
      List<Boolean> scaling = new ArrayList<>();
      try {
        scaling.addAll(v.config().getBooleanList(t + ".rating-scaling"));
      } catch (com.typesafe.config.ConfigException e) {
        throw new InvalidConfigException(
            "Config key '" + t + ".rating-scaling' must be a list of true/false", e);
      }
      ConfigValues.check(
          !scaling.isEmpty(), "Config key '" + t + ".rating-scaling' must not be empty");
      return new Tune(
          v.oneOf(t + ".metric", METRICS),
          v.intIn(t + ".k", 1, 1000),
          budget,
          refine,
          v.longIn(t + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
          v.intIn(t + ".max-users", 1, 100_000_000),
          boxed(v.ints(t + ".rank", 1, 1000)),
          boxed(v.doubles(t + ".reg-param", 0, 1e6)),
          boxed(v.doubles(t + ".alpha", 0, 1e6)),
          boxed(v.ints(t + ".max-iter", 1, 1000)),
          profiles,
          scaling,
          boxed(v.doubles(t + ".blend-weights", 0, 1)),
          boxed(v.doubles(t + ".item-weights", 0, 1)),
          boxed(v.ints(t + ".max-per-category", 1, 1000)));
    }

    private static List<Integer> boxed(int[] values) {
      return java.util.Arrays.stream(values).boxed().toList();
    }

    private static List<Double> boxed(double[] values) {
      return java.util.Arrays.stream(values).boxed().toList();
    }
  }
}
