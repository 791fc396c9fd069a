package org.marketingengine.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.UnivariateFeatureSelector;
import org.apache.spark.ml.feature.VarianceThresholdSelector;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSizeHint;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.marketingengine.config.TrainConfig;

/**
 * Builds the preprocessing of every model: categorical columns through {@code StringIndexer}
 * (unseen and missing values kept as their own index) and {@code OneHotEncoder}, numeric columns
 * through a median {@code Imputer} (a configured sentinel value, such as 999 days since a contact
 * that never happened, becomes missing plus a 0/1 indicator), all assembled with the vector
 * features, near-constant features dropped ({@code VarianceThresholdSelector}), optionally the most
 * informative kept ({@code UnivariateFeatureSelector}), then standardised ({@code StandardScaler},
 * fit on the training split only, as every stage of a pipeline is).
 */
public final class ModelPipelines {
  private ModelPipelines() {}

  /** The column the estimator reads. */
  public static final String FEATURES = "features";

  static final String ASSEMBLED = "_assembled";
  static final String SELECTED = "_selected";
  static final String INFORMATIVE = "_informative";

  /**
   * Which feature columns a model uses.
   *
   * @param vectorSizes the length of each vector column (the assembler must know it)
   * @param sentinels numeric columns whose value means "never" or "unknown" (e.g. 999 days since
   *     the last contact), with that value
   * @param bucketed numeric columns cut into {@code buckets} quantile buckets, one-hot encoded (for
   *     the linear models: a skewed feature's effect need not be linear)
   */
  public record FeatureColumns(
      List<String> numeric,
      List<String> categorical,
      List<String> vectors,
      java.util.Map<String, Integer> vectorSizes,
      java.util.Map<String, Double> sentinels,
      List<String> bucketed,
      int buckets) {
    public FeatureColumns {
      bucketed = List.copyOf(bucketed);
      numeric = List.copyOf(numeric);
      categorical = List.copyOf(categorical);
      vectors = List.copyOf(vectors);
      vectorSizes = java.util.Map.copyOf(vectorSizes);
      sentinels = new java.util.TreeMap<>(sentinels);
    }

    /** Without bucketing. */
    public FeatureColumns(
        List<String> numeric,
        List<String> categorical,
        List<String> vectors,
        java.util.Map<String, Integer> vectorSizes,
        java.util.Map<String, Double> sentinels) {
      this(numeric, categorical, vectors, vectorSizes, sentinels, List.of(), 0);
    }

    /** These columns with {@code features} cut into {@code n} quantile buckets. */
    public FeatureColumns bucketing(List<String> features, int n) {
      return new FeatureColumns(numeric, categorical, vectors, vectorSizes, sentinels, features, n);
    }

    public List<String> all() {
      List<String> all = new ArrayList<>(numeric);
      all.addAll(categorical);
      all.addAll(vectors);
      return all;
    }
  }

  /**
   * The preprocessing stages, ending in {@link #FEATURES}.
   *
   * @param topFeatures keep only this many features by a univariate test against {@code label}; 0
   *     keeps all
   * @param labelType {@code categorical} for classification, {@code continuous} for regression
   */
  public static List<PipelineStage> preprocessing(
      FeatureColumns columns,
      double varianceThreshold,
      int topFeatures,
      String label,
      String labelType) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    numeric(columns, stages, assembled);
    if (!columns.categorical().isEmpty()) {
      String[] indexed =
          columns.categorical().stream().map(c -> "_idx_" + c).toArray(String[]::new);
      String[] encoded =
          columns.categorical().stream().map(c -> "_ohe_" + c).toArray(String[]::new);
      stages.add(
          new StringIndexer()
              .setInputCols(columns.categorical().toArray(String[]::new))
              .setOutputCols(indexed)
              .setHandleInvalid("keep")
              .setStringOrderType("alphabetAsc"));
      stages.add(
          new OneHotEncoder()
              .setInputCols(indexed)
              .setOutputCols(encoded)
              .setHandleInvalid("keep"));
      assembled.addAll(List.of(encoded));
    }
    for (String vector : columns.vectors()) {
      stages.add(
          new VectorSizeHint()
              .setInputCol(vector)
              .setSize(columns.vectorSizes().get(vector))
              .setHandleInvalid("error"));
      assembled.add(vector);
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(ASSEMBLED)
            .setHandleInvalid("keep"));
    stages.add(
        new VarianceThresholdSelector()
            .setFeaturesCol(ASSEMBLED)
            .setOutputCol(SELECTED)
            .setVarianceThreshold(varianceThreshold));
    String scaledInput = SELECTED;
    if (topFeatures > 0) {
      stages.add(
          new UnivariateFeatureSelector()
              .setFeaturesCol(SELECTED)
              .setLabelCol(label)
              .setOutputCol(INFORMATIVE)
              .setFeatureType("continuous")
              .setLabelType(labelType)
              .setSelectionMode("numTopFeatures")
              .setSelectionThreshold(topFeatures));
      scaledInput = INFORMATIVE;
    }
    stages.add(
        new StandardScaler()
            .setInputCol(scaledInput)
            .setOutputCol(FEATURES)
            .setWithMean(false)
            .setWithStd(true));
    return stages;
  }

  /** Numeric columns: sentinels made missing plus an indicator, then the median imputer. */
  private static void numeric(
      FeatureColumns columns, List<PipelineStage> stages, List<String> assembled) {
    if (columns.numeric().isEmpty()) {
      return;
    }
    List<String> sentinels =
        columns.numeric().stream().filter(columns.sentinels()::containsKey).toList();
    if (!sentinels.isEmpty()) {
      stages.add(sentinelIndicators(sentinels, columns.sentinels()));
    }
    String[] imputed = columns.numeric().stream().map(c -> "_imp_" + c).toArray(String[]::new);
    stages.add(
        new Imputer()
            .setInputCols(
                columns.numeric().stream()
                    .map(c -> sentinels.contains(c) ? SENTINEL_FREE + c : c)
                    .toArray(String[]::new))
            .setOutputCols(imputed)
            .setStrategy("median"));
    List<String> bucketed =
        columns.numeric().stream().filter(columns.bucketed()::contains).toList();
    for (String c : columns.numeric()) {
      assembled.add(bucketed.contains(c) ? BUCKETS + c : "_imp_" + c);
    }
    if (!bucketed.isEmpty()) {
      String[] cut = bucketed.stream().map(c -> "_cut_" + c).toArray(String[]::new);
      stages.add(
          new QuantileDiscretizer()
              .setInputCols(bucketed.stream().map(c -> "_imp_" + c).toArray(String[]::new))
              .setOutputCols(cut)
              .setNumBuckets(columns.buckets()));
      // Imputed values are never missing, and the outer buckets are open: every value has a
      // bucket, so neither stage needs an extra slot for invalid values.
      stages.add(
          new OneHotEncoder()
              .setInputCols(cut)
              .setOutputCols(bucketed.stream().map(c -> BUCKETS + c).toArray(String[]::new)));
    }
    sentinels.forEach(c -> assembled.add(NEVER + c));
  }

  /** Prefix of the one-hot quantile buckets of a numeric feature. */
  static final String BUCKETS = "_bin_";

  /**
   * The numeric columns whose absolute skewness over {@code rows} is at least {@code minSkewness}
   * (one aggregation); a column without variance is not skewed.
   */
  public static List<String> skewed(Dataset<Row> rows, List<String> numeric, double minSkewness) {
    if (numeric.isEmpty()) {
      return List.of();
    }
    Row skew =
        rows.select(
                numeric.stream()
                    .map(c -> functions.skewness(functions.col(c)))
                    .toArray(Column[]::new))
            .first();
    List<String> skewed = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      if (!skew.isNullAt(i)
          && !Double.isNaN(skew.getDouble(i))
          && Math.abs(skew.getDouble(i)) >= minSkewness) {
        skewed.add(numeric.get(i));
      }
    }
    return skewed;
  }

  /**
   * {@code columns} with the skewed numeric features bucketed as {@code train} says, for a linear
   * model; skewness is measured on the training split of {@code rows}. The same columns when
   * bucketing is off or no feature is skewed.
   */
  public static FeatureColumns forLinear(
      FeatureColumns columns, Dataset<Row> rows, TrainConfig train) {
    if (train.linearBuckets() == 0) {
      return columns;
    }
    List<String> skewed =
        skewed(Splits.of(rows, Splits.TRAIN), columns.numeric(), train.bucketSkewness());
    return skewed.isEmpty() ? columns : columns.bucketing(skewed, train.linearBuckets());
  }

  /** Prefix of the 0/1 column "the value is the sentinel" of a numeric feature. */
  static final String NEVER = "_never_";

  private static final String SENTINEL_FREE = "_sv_";

  /**
   * For each feature with a sentinel: an indicator {@code _never_<f>} (1 where the value is the
   * sentinel) and {@code _sv_<f>}, the value with the sentinel made missing, so that the imputer
   * fills it with the median instead of a linear model reading 999 days as a very long time.
   */
  private static SQLTransformer sentinelIndicators(
      List<String> features, java.util.Map<String, Double> sentinels) {
    StringBuilder sql = new StringBuilder("SELECT *");
    for (String f : features) {
      String is = "`" + f + "` = " + new java.math.BigDecimal(sentinels.get(f)).toPlainString();
      sql.append(", CAST(coalesce(")
          .append(is)
          .append(", false) AS DOUBLE) AS `")
          .append(NEVER)
          .append(f)
          .append("`, CASE WHEN ")
          .append(is)
          .append(" THEN NULL ELSE `")
          .append(f)
          .append("` END AS `")
          .append(SENTINEL_FREE)
          .append(f)
          .append('`');
    }
    return new SQLTransformer().setStatement(sql.append(" FROM __THIS__").toString());
  }
}
