package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.config.TrainConfig;
import org.marketingengine.io.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifiers of one task (purchase or response): a class-weighted {@code LogisticRegression},
 * a {@code MultilayerPerceptronClassifier} (warm-started from the previous run where the layout
 * allows) and the configured challengers (a class-weighted {@code GBTClassifier}), each chosen on
 * validation AUC by {@link ModelSelection}, then measured on test with the best-F1 threshold of
 * validation, calibrated by decile and explained.
 */
final class Classifiers {
  private static final Logger LOG = LoggerFactory.getLogger(Classifiers.class);
  static final String WEIGHT = "_class_weight";
  static final String LABEL = "_label";

  private Classifiers() {}

  /** Rows and positive labels of a training split. */
  private record TrainingRows(long rows, long positives) {}

  static List<Fitted> train(
      String task,
      String label,
      Dataset<Row> rows,
      ModelPipelines.FeatureColumns columns,
      TrainConfig train,
      ModelStore modelStore) {
    Dataset<Row> labelled = rows.withColumn(LABEL, col(label).cast(DataTypes.DoubleType));
    TrainingRows classes = checkTrainable(task, label, labelled, train);
    double n = classes.rows();
    double positives = classes.positives();
    Dataset<Row> weighted =
        labelled.withColumn(
            WEIGHT,
            when(col(LABEL).equalTo(1.0), lit(n / (2 * positives)))
                .otherwise(lit(n / (2 * (n - positives)))));
    List<PipelineStage> preprocessing =
        ModelPipelines.preprocessing(
            columns, train.varianceThreshold(), train.topFeatures(), LABEL, "categorical");
    MultilayerPerceptronClassifier mlp =
        new MultilayerPerceptronClassifier()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(LABEL)
            .setTol(train.tolerance())
            .setSeed(train.seed());
    List<Fitted> models = new ArrayList<>();
    try (ModelSelection.Prepared prepared =
        ModelSelection.prepare(preprocessing, weighted, List.of(LABEL, WEIGHT))) {
      models.add(logreg(task, prepared, weighted, columns, classes, train));
      MlpGrid grid = mlpGrid(task, mlp, prepared, columns, train, modelStore);
      models.add(
          fit(
              task + "_mlp",
              task,
              prepared,
              mlp,
              grid.points(),
              weighted,
              columns,
              classes,
              grid.warmStartFrom(),
              train));
      if (train.challengers().contains(TrainConfig.GBT)) {
        models.add(gbt(task, prepared, weighted, columns, classes, train));
      }
    }
    return models;
  }

  /**
   * The class-weighted LogisticRegression, tuned on its grid; on its own prepared features when
   * skewed features are bucketed for the linear models.
   */
  private static Fitted logreg(
      String task,
      ModelSelection.Prepared prepared,
      Dataset<Row> weighted,
      ModelPipelines.FeatureColumns columns,
      TrainingRows classes,
      TrainConfig train) {
    LogisticRegression logreg =
        new LogisticRegression()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(LABEL)
            .setWeightCol(WEIGHT)
            .setMaxIter(100)
            .setTol(train.tolerance());
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(logreg.regParam(), train.logregRegParams())
            .addGrid(logreg.elasticNetParam(), train.logregElasticNet())
            .build();
    String name = task + "_logreg";
    ModelPipelines.FeatureColumns linear = ModelPipelines.forLinear(columns, weighted, train);
    if (linear == columns) {
      return fit(name, task, prepared, logreg, grid, weighted, columns, classes, null, train);
    }
    LOG.info(
        "train {}: {} cut into {} quantile buckets", name, linear.bucketed(), linear.buckets());
    try (ModelSelection.Prepared bucketed =
        ModelSelection.prepare(
            ModelPipelines.preprocessing(
                linear, train.varianceThreshold(), train.topFeatures(), LABEL, "categorical"),
            weighted,
            List.of(LABEL, WEIGHT))) {
      return fit(name, task, bucketed, logreg, grid, weighted, linear, classes, null, train);
    }
  }

  /** The gradient-boosted trees challenger, class-weighted, tuned on its grid. */
  private static Fitted gbt(
      String task,
      ModelSelection.Prepared prepared,
      Dataset<Row> weighted,
      ModelPipelines.FeatureColumns columns,
      TrainingRows classes,
      TrainConfig train) {
    GBTClassifier gbt =
        new GBTClassifier()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(LABEL)
            .setWeightCol(WEIGHT)
            .setSeed(train.seed());
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(gbt.maxDepth(), train.gbtMaxDepth())
            .addGrid(gbt.maxIter(), train.gbtMaxIter())
            .addGrid(gbt.stepSize(), train.gbtStepSize())
            .build();
    return fit(task + "_gbt", task, prepared, gbt, grid, weighted, columns, classes, null, train);
  }

  /**
   * The MLP grid: one point per hidden layout and iteration limit, with the previous run's weights
   * where they fit.
   */
  private record MlpGrid(ParamMap[] points, String warmStartFrom) {}

  private static MlpGrid mlpGrid(
      String task,
      MultilayerPerceptronClassifier mlp,
      ModelSelection.Prepared prepared,
      ModelPipelines.FeatureColumns columns,
      TrainConfig train,
      ModelStore modelStore) {
    int inputs = prepared.featureCount();
    List<String> layout =
        Explanations.featureNames(
            prepared.preprocessing(), prepared.rawTrain(), columns.categorical());
    Optional<ModelStore.Previous> previous =
        train.warmStart() ? modelStore.latestBefore(task + "_mlp") : Optional.empty();
    String warmStartFrom = null;
    List<ParamMap> points = new ArrayList<>();
    for (int[] hidden : train.mlpHiddenLayers()) {
      int[] layers = new int[hidden.length + 2];
      layers[0] = inputs;
      System.arraycopy(hidden, 0, layers, 1, hidden.length);
      layers[layers.length - 1] = 2;
      Optional<Vector> weights = previous.flatMap(p -> previousWeights(p, layout, layers));
      if (weights.isPresent()) {
        warmStartFrom = previous.get().date().toString();
        LOG.info(
            "train {}_mlp: layers {} start from the weights of {}",
            task,
            Arrays.toString(layers),
            warmStartFrom);
      }
      for (int maxIter : train.mlpMaxIter()) {
        ParamMap point = new ParamMap().put(mlp.layers().w(layers)).put(mlp.maxIter().w(maxIter));
        weights.ifPresent(w -> point.put(mlp.initialWeights().w(w)));
        points.add(point);
      }
    }
    if (previous.isPresent() && warmStartFrom == null) {
      LOG.info(
          "train {}_mlp: the model of {} has another feature layout or layers; trained from scratch",
          task,
          previous.get().date());
    }
    return new MlpGrid(points.toArray(ParamMap[]::new), warmStartFrom);
  }

  /** The weights of the previous MLP when its inputs and layers are today's. */
  private static Optional<Vector> previousWeights(
      ModelStore.Previous previous, List<String> layout, int[] layers) {
    if (!previous.keptFeatures().equals(layout)) {
      return Optional.empty();
    }
    Transformer last = previous.model().stages()[previous.model().stages().length - 1];
    return last instanceof MultilayerPerceptronClassificationModel earlier
            && Arrays.equals(earlier.getLayers(), layers)
        ? Optional.of(earlier.weights())
        : Optional.empty();
  }

  private static Fitted fit(
      String name,
      String task,
      ModelSelection.Prepared prepared,
      Estimator<?> estimator,
      ParamMap[] grid,
      Dataset<Row> rows,
      ModelPipelines.FeatureColumns columns,
      TrainingRows classes,
      String warmStartFrom,
      TrainConfig train) {
    ModelSelection.Selected selected =
        ModelSelection.best(
            name,
            prepared,
            estimator,
            grid,
            new ModelSelection.Objective(
                "AUC",
                true,
                predictions -> Metrics.areaUnderRoc(Metrics.withScore(predictions), LABEL)),
            train.parallelism());
    PipelineModel best = selected.model();
    Dataset<Row> validationScored = Metrics.withScore(selected.predict(rows, Splits.VALIDATION));
    double threshold = Metrics.bestF1Threshold(validationScored, LABEL);
    Map<String, Double> validation = Metrics.classifier(validationScored, LABEL, threshold);
    Calibration platt = Calibration.fit(validationScored, LABEL);
    Dataset<Row> testScored =
        Metrics.withScore(selected.predict(rows, Splits.TEST))
            .withColumn(Metrics.CALIBRATED, platt.apply(col(Metrics.SCORE)));
    Map<String, Double> test =
        new LinkedHashMap<>(Metrics.classifier(testScored, LABEL, threshold));
    test.putAll(Metrics.calibrationQuality(testScored, LABEL));
    Map<String, Double> baseline = new LinkedHashMap<>();
    baseline.put("auc_roc", 0.5);
    baseline.put("positive_rate", test.get("positive_rate"));
    TrainedModel summary =
        new TrainedModel(
            name,
            task,
            ModelSelection.describe(selected.params()),
            classes.rows(),
            selected.fitSeconds(),
            validation,
            test,
            baseline,
            columns.all(),
            Explanations.featureNames(best, Splits.of(rows, Splits.TRAIN), columns.categorical()),
            warmStartFrom,
            false,
            platt.toCard());
    Dataset<Row> calibration =
        Metrics.calibration(testScored, LABEL)
            .withColumn("model", lit(name))
            .select(
                "model", "decile", "rows", "mean_predicted", "observed_rate", "mean_calibrated");
    Dataset<Row> importance =
        Explanations.coefficients(best) == null && train.permutationImportance()
            ? PermutationImportance.of(
                rows.sparkSession(),
                name,
                best,
                Splits.of(rows, Splits.TEST),
                columns.all(),
                LABEL,
                train.seed(),
                train.permutationRows())
            : null;
    Dataset<Row> scoreBins =
        Metrics.scoreBins(testScored, LABEL)
            .withColumn("model", lit(name))
            .select("model", "bin", "rows", "positives");
    return new Fitted(summary, best, calibration, importance, scoreBins);
  }

  /** Counts the training split's rows and positives, and fails when a classifier cannot learn. */
  private static TrainingRows checkTrainable(
      String task, String label, Dataset<Row> rows, TrainConfig train) {
    Row r = Splits.of(rows, Splits.TRAIN).agg(count(lit(1)), sum(col(LABEL))).first();
    long n = r.getLong(0);
    long positives = r.isNullAt(1) ? 0 : Math.round(r.getDouble(1));
    if (n < train.minRows()) {
      throw new InvalidInputException(
          String.format(
              Locale.ROOT,
              "Cannot train %s models: %d training rows, fewer than marketing.train.min-rows (%d)."
                  + " Give more history (a longer feature window) or lower the minimum",
              task,
              n,
              train.minRows()));
    }
    if (positives == 0 || positives == n) {
      throw new InvalidInputException(
          String.format(
              Locale.ROOT,
              "Cannot train %s models: the label '%s' is %s in all %d training rows. A classifier"
                  + " needs both outcomes: check the label window (marketing.features.label-days)",
              task,
              label,
              positives == 0 ? "0" : "1",
              n));
    }
    return new TrainingRows(n, positives);
  }
}
