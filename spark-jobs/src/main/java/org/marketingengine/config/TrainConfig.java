package org.marketingengine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of the train stage ({@code marketing.train}).
 *
 * @param maxTrainingRows fit on at most about this many rows of the training split (a seeded share
 *     of its users); 0 fits on all of them
 * @param topFeatures keep this many features by a univariate test; 0 keeps all
 * @param logSpend fit the spend regression on log1p(spend)
 * @param permutationRows test rows (a seeded sample) the permutation importance is measured on
 * @param challengers classifiers beside LogisticRegression and the MLP ({@code gbt})
 * @param linearBuckets for the linear models, skewed numeric features are cut into this many
 *     quantile buckets (one-hot); 0 leaves them as they are
 * @param bucketSkewness a numeric feature is skewed when the absolute skewness of its training
 *     values is at least this
 * @param tolerance convergence tolerance of the L-BFGS fits (LogisticRegression, LinearRegression,
 *     the MLPs): a fit stops when an iteration improves the loss by less than this share
 */
public record TrainConfig(
    long seed,
    double trainShare,
    double validationShare,
    int minRows,
    long maxTrainingRows,
    List<String> numericFeatures,
    List<String> categoricalFeatures,
    List<String> vectorFeatures,
    double varianceThreshold,
    int topFeatures,
    boolean logSpend,
    double[] linearRegParams,
    double[] linearElasticNet,
    double[] logregRegParams,
    double[] logregElasticNet,
    List<int[]> mlpHiddenLayers,
    int[] mlpMaxIter,
    boolean warmStart,
    boolean permutationImportance,
    int permutationRows,
    int parallelism,
    List<String> challengers,
    int[] gbtMaxDepth,
    int[] gbtMaxIter,
    double[] gbtStepSize,
    Map<String, Double> sentinels,
    int linearBuckets,
    double bucketSkewness,
    double tolerance) {

  /** The gradient-boosted trees challenger. */
  public static final String GBT = "gbt";

  public TrainConfig {
    numericFeatures = List.copyOf(numericFeatures);
    categoricalFeatures = List.copyOf(categoricalFeatures);
    vectorFeatures = List.copyOf(vectorFeatures);
    linearRegParams = linearRegParams.clone();
    linearElasticNet = linearElasticNet.clone();
    logregRegParams = logregRegParams.clone();
    logregElasticNet = logregElasticNet.clone();
    mlpHiddenLayers = List.copyOf(mlpHiddenLayers);
    mlpMaxIter = mlpMaxIter.clone();
    challengers = List.copyOf(challengers);
    gbtMaxDepth = gbtMaxDepth.clone();
    gbtMaxIter = gbtMaxIter.clone();
    gbtStepSize = gbtStepSize.clone();
    sentinels = Map.copyOf(sentinels);
  }

  /** Reads {@code marketing.train}. */
  public static TrainConfig from(ConfigValues v) {
    String base = "marketing.train";
    double trainShare = v.doubleIn(base + ".train-share", 0, false, 1);
    double validationShare = v.doubleIn(base + ".validation-share", 0, false, 1);
    ConfigValues.check(
        trainShare + validationShare < 1,
        "Config keys '"
            + base
            + ".train-share' + '"
            + base
            + ".validation-share' are "
            + (trainShare + validationShare)
            + ": must leave a test share (sum below 1)");
    int minRows = v.intIn(base + ".min-rows", 2, Integer.MAX_VALUE);
    long maxTrainingRows = v.longIn(base + ".max-training-rows", 0, Long.MAX_VALUE);
    ConfigValues.check(
        maxTrainingRows == 0 || maxTrainingRows >= minRows,
        "Config key '"
            + base
            + ".max-training-rows' is "
            + maxTrainingRows
            + ": 0 (fit on every training row) or at least "
            + base
            + ".min-rows ("
            + minRows
            + ")");
    String grids = base + ".grids";
    return new TrainConfig(
        v.longIn(base + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
        trainShare,
        validationShare,
        minRows,
        maxTrainingRows,
        v.stringList(base + ".numeric-features"),
        v.stringList(base + ".categorical-features"),
        v.stringList(base + ".vector-features"),
        v.doubleIn(base + ".variance-threshold", 0, true, 1e12),
        v.intIn(base + ".top-features", 0, 100_000),
        v.bool(base + ".log-spend"),
        v.doubles(grids + ".linear-regression.reg-param", 0, 1e6),
        v.doubles(grids + ".linear-regression.elastic-net-param", 0, 1),
        v.doubles(grids + ".logistic-regression.reg-param", 0, 1e6),
        v.doubles(grids + ".logistic-regression.elastic-net-param", 0, 1),
        hiddenLayers(v, grids + ".mlp.hidden-layers"),
        v.ints(grids + ".mlp.max-iter", 1, 100_000),
        v.bool(base + ".warm-start"),
        v.bool(base + ".permutation-importance"),
        v.intIn(base + ".permutation-rows", 10, 1_000_000),
        v.intIn(base + ".parallelism", 1, 64),
        challengers(v, base + ".challengers"),
        v.ints(grids + ".gbt.max-depth", 1, 30),
        v.ints(grids + ".gbt.max-iter", 1, 10_000),
        v.doubles(grids + ".gbt.step-size", 1e-6, 1),
        sentinels(v, base + ".sentinels"),
        v.intIn(base + ".linear-buckets.buckets", 0, 1000),
        v.doubleIn(base + ".linear-buckets.min-skewness", 0, true, 1e6),
        v.doubleIn(base + ".tolerance", 0, false, 0.1));
  }

  /** {@code feature = value} pairs: the value of that numeric feature that means "never". */
  private static Map<String, Double> sentinels(ConfigValues v, String path) {
    Map<String, Double> sentinels = new java.util.LinkedHashMap<>();
    if (v.isSet(path)) {
      for (String feature : v.keys(path)) {
        sentinels.put(feature, v.doubleIn(path + ".\"" + feature + "\"", -1e15, true, 1e15));
      }
    }
    return sentinels;
  }

  private static List<String> challengers(ConfigValues v, String key) {
    List<String> names = v.stringList(key);
    ConfigValues.check(
        names.stream().allMatch(GBT::equals),
        "Config key '" + key + "' has " + names + ": the challengers are [" + GBT + "] or []");
    return names.stream().distinct().toList();
  }

  private static List<int[]> hiddenLayers(ConfigValues v, String key) {
    List<int[]> hidden = new ArrayList<>();
    for (List<Integer> layers : v.intLists(key)) {
      ConfigValues.check(
          !layers.isEmpty() && layers.stream().allMatch(n -> n >= 1 && n <= 4096),
          "Config key '"
              + key
              + "' has "
              + layers
              + ": each entry is a list of layer sizes from 1 to 4096, e.g. [32, 16]");
      hidden.add(layers.stream().mapToInt(Integer::intValue).toArray());
    }
    return hidden;
  }
}
