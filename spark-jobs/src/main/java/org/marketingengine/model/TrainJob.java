package org.marketingengine.model;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TrainConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train stage: {@code features/user_features} to {@code models/<run_date>/<model>}
 * (PipelineModels with a {@code model_card.json}), {@code models/<run_date>/champions.json}, and
 * {@code metrics/model_metrics}, {@code metrics/model_calibration}.
 *
 * <p>Models: {@code purchase_logreg} and {@code purchase_mlp} on training rows (label {@code
 * purchased}), {@code spend_regression} (label {@code spend}, on log1p scale when configured), and
 * {@code response_logreg} and {@code response_mlp} on campaign contacts (label {@code responded},
 * with the offer and channel as features) when there are any. Users are split seeded into train,
 * validation and test; every grid point is fit on train and scored on validation; the best is
 * scored on test. The champion of purchase and of response is the classifier with the best
 * validation AUC.
 */
public final class TrainJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static final String STAGE = "train";
  public static final String METRICS = "metrics/model_metrics";
  public static final String CALIBRATION = "metrics/model_calibration";
  public static final String PURCHASE = "purchase";
  public static final String RESPONSE = "response";
  public static final String SPEND = "spend";

  private static final String WEIGHT = "_class_weight";
  private static final String LABEL = "_label";

  private TrainJob() {}

  /** One trained model and how it did. */
  public record TrainedModel(
      String name,
      String task,
      String bestParams,
      long trainingRows,
      double fitSeconds,
      Map<String, Double> validation,
      Map<String, Double> test,
      Map<String, Double> baseline,
      List<String> features,
      List<String> keptFeatures,
      String warmStartFrom,
      boolean champion) {}

  public static List<TrainedModel> run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    spark.sparkContext().setJobGroup(STAGE, "train " + config.runDate(), false);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    if (!store.hasPartition(FeaturesJob.USER_FEATURES, config.runDate())) {
      throw new InvalidInputException(
          "Cannot train: no features/user_features for run_date="
              + config.runDate()
              + " under "
              + config.outputRoot()
              + ". Run the features stage for that date first");
    }
    TrainConfig train = config.train();
    ModelStore modelStore = new ModelStore(spark, config.outputRoot(), config.runDate());
    Dataset<Row> features =
        store.read(FeaturesJob.USER_FEATURES, config.runDate()).drop(Columns.RUN_DATE);
    List<Fitted> fitted = new ArrayList<>();
    List<Dataset<Row>> calibrations = new ArrayList<>();

    Dataset<Row> training =
        prepare(features.where(col(Features.PURPOSE).equalTo(UserFeatures.TRAINING)), train);
    try {
      if (!config.ingest().requireEvents() && hasNoEvents(training)) {
        LOG.warn(
            "train: the features hold no behavioural events (marketing.ingest.require-events ="
                + " false); purchase and spend models skipped, response models only");
      } else {
        ModelPipelines.FeatureColumns columns =
            usableColumns(training, featureColumns(config, false));
        fitted.addAll(
            trainClassifiers(
                PURCHASE, Features.PURCHASED, training, columns, train, modelStore, calibrations));
        fitted.add(trainSpend(training, columns, train));
      }
    } finally {
      training.unpersist();
    }
    Dataset<Row> contacts =
        prepare(features.where(col(Features.PURPOSE).equalTo(UserFeatures.RESPONSE)), train);
    try {
      if (contacts.isEmpty()) {
        LOG.info("train: no campaign contacts in the features; response models skipped");
      } else {
        ModelPipelines.FeatureColumns columns =
            usableColumns(contacts, featureColumns(config, true));
        fitted.addAll(
            trainClassifiers(
                RESPONSE, Features.RESPONDED, contacts, columns, train, modelStore, calibrations));
      }
    } finally {
      contacts.unpersist();
    }
    List<TrainedModel> models = markChampions(fitted.stream().map(Fitted::summary).toList());
    for (int i = 0; i < models.size(); i++) {
      modelStore.save(fitted.get(i).model(), models.get(i), config);
    }
    modelStore.writeChampions(models);
    Dataset<Row> importance = null;
    for (int i = 0; i < models.size(); i++) {
      org.apache.spark.ml.linalg.Vector coefficients =
          Explanations.coefficients(fitted.get(i).model());
      if (fitted.get(i).permutationImportance() != null) {
        Dataset<Row> one = fitted.get(i).permutationImportance();
        importance = importance == null ? one : importance.unionByName(one);
      }
      if (coefficients != null) {
        Dataset<Row> one =
            Explanations.importance(
                spark, models.get(i).name(), models.get(i).keptFeatures(), coefficients);
        importance = importance == null ? one : importance.unionByName(one);
      }
    }
    if (importance != null) {
      store.write(Explanations.IMPORTANCE, config.runDate(), importance);
    }
    store.write(METRICS, config.runDate(), metricsTable(spark, models));
    if (!calibrations.isEmpty()) {
      Dataset<Row> all = calibrations.get(0);
      for (Dataset<Row> c : calibrations.subList(1, calibrations.size())) {
        all = all.unionByName(c);
      }
      store.write(CALIBRATION, config.runDate(), all);
    }
    LOG.info(
        "train done in {}: {}",
        StageCounts.elapsed(started),
        String.join(", ", models.stream().map(TrainJob::summary).toList()));
    return models;
  }

  /** True when no training row saw an event or a purchase (a data set without events). */
  private static boolean hasNoEvents(Dataset<Row> training) {
    return training
        .where(
            coalesce(col(Features.EVENTS), lit(0))
                .gt(0)
                .or(coalesce(col(Features.PURCHASED), lit(0)).gt(0)))
        .isEmpty();
  }

  private static String summary(TrainedModel m) {
    String metric = m.task().equals(SPEND) ? "rmse" : "auc_roc";
    return String.format(
        Locale.ROOT,
        "%s test %s %.3f%s",
        m.name(),
        metric,
        m.test().get(metric),
        m.champion() ? " (champion)" : "");
  }

  /** Seeded split by user, cached: every grid point reads it. */
  private static Dataset<Row> prepare(Dataset<Row> rows, TrainConfig train) {
    return Splits.assign(rows, train.seed(), train.trainShare(), train.validationShare())
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The configured feature columns; response models also see the offer and channel. */
  static ModelPipelines.FeatureColumns featureColumns(JobConfig config, boolean response) {
    List<String> numeric = new ArrayList<>(config.train().numericFeatures());
    numeric.addAll(config.features().extraNumeric());
    List<String> categorical = new ArrayList<>(config.train().categoricalFeatures());
    categorical.addAll(config.features().extraCategorical());
    if (response) {
      categorical.add(Features.OFFER);
      categorical.add(Features.CONTACT_CHANNEL);
    }
    return new ModelPipelines.FeatureColumns(
        numeric, categorical, config.train().vectorFeatures(), Map.of());
  }

  /**
   * Drops configured columns the data lacks or that are null in every training row (logged), so
   * that the models train on what the data has.
   */
  static ModelPipelines.FeatureColumns usableColumns(
      Dataset<Row> rows, ModelPipelines.FeatureColumns wanted) {
    List<String> present = Arrays.asList(rows.columns());
    List<String> numeric = wanted.numeric().stream().filter(present::contains).toList();
    List<Column> counts = new ArrayList<>();
    for (String c : numeric) {
      counts.add(count(col(c)).as(c));
    }
    Row nonNull =
        counts.isEmpty()
            ? null
            : Splits.of(rows, Splits.TRAIN)
                .agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new))
                .first();
    List<String> usable = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      if (nonNull.getLong(i) > 0) {
        usable.add(numeric.get(i));
      } else {
        LOG.warn("train: feature {} is empty in every training row; left out", numeric.get(i));
      }
    }
    for (String c : wanted.all()) {
      if (!present.contains(c)) {
        LOG.warn("train: feature {} is not in features/user_features; left out", c);
      }
    }
    List<String> vectors = wanted.vectors().stream().filter(present::contains).toList();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    if (!vectors.isEmpty()) {
      Row first = rows.select(vectors.stream().map(c -> col(c)).toArray(Column[]::new)).first();
      for (int i = 0; i < vectors.size(); i++) {
        sizes.put(vectors.get(i), ((Vector) first.get(i)).size());
      }
    }
    return new ModelPipelines.FeatureColumns(
        usable, wanted.categorical().stream().filter(present::contains).toList(), vectors, sizes);
  }

  private static List<Fitted> trainClassifiers(
      String task,
      String label,
      Dataset<Row> rows,
      ModelPipelines.FeatureColumns columns,
      TrainConfig train,
      ModelStore modelStore,
      List<Dataset<Row>> calibrations) {
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
    List<Fitted> models = new ArrayList<>();

    LogisticRegression logreg =
        new LogisticRegression()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(LABEL)
            .setWeightCol(WEIGHT)
            .setMaxIter(100);
    ParamMap[] logregGrid =
        new ParamGridBuilder()
            .addGrid(logreg.regParam(), train.logregRegParams())
            .addGrid(logreg.elasticNetParam(), train.logregElasticNet())
            .build();
    models.add(
        fitClassifier(
            task + "_logreg",
            task,
            preprocessing,
            logreg,
            logregGrid,
            weighted,
            columns,
            classes.rows(),
            null,
            train,
            calibrations));

    PipelineModel fittedPreprocessing =
        preprocess(preprocessing, Splits.of(weighted, Splits.TRAIN));
    Dataset<Row> sample = Splits.of(weighted, Splits.TRAIN);
    Vector first =
        fittedPreprocessing.transform(sample.limit(1)).first().getAs(ModelPipelines.FEATURES);
    int inputSize = first.size();
    List<String> layout =
        Explanations.featureNames(fittedPreprocessing, sample, columns.categorical());
    java.util.Optional<ModelStore.Previous> previous =
        train.warmStart() ? modelStore.latestBefore(task + "_mlp") : java.util.Optional.empty();
    String warmStartFrom = null;
    List<ParamMap> mlpGrid = new ArrayList<>();
    MultilayerPerceptronClassifier mlp =
        new MultilayerPerceptronClassifier()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(LABEL)
            .setSeed(train.seed())
            .setMaxIter(train.mlpMaxIter());
    for (int[] hidden : train.mlpHiddenLayers()) {
      int[] layers = new int[hidden.length + 2];
      layers[0] = inputSize;
      System.arraycopy(hidden, 0, layers, 1, hidden.length);
      layers[layers.length - 1] = 2;
      ParamMap point = new ParamMap().put(mlp.layers().w(layers));
      if (previous.isPresent() && previous.get().keptFeatures().equals(layout)) {
        Transformer last =
            previous.get().model().stages()[previous.get().model().stages().length - 1];
        if (last instanceof MultilayerPerceptronClassificationModel earlier
            && Arrays.equals(earlier.getLayers(), layers)) {
          point.put(mlp.initialWeights().w(earlier.weights()));
          warmStartFrom = previous.get().date().toString();
          LOG.info(
              "train {}_mlp: layers {} start from the weights of {}",
              task,
              Arrays.toString(layers),
              warmStartFrom);
        }
      }
      mlpGrid.add(point);
    }
    if (previous.isPresent() && warmStartFrom == null) {
      LOG.info(
          "train {}_mlp: the model of {} has another feature layout or layers; trained from scratch",
          task,
          previous.get().date());
    }
    models.add(
        fitClassifier(
            task + "_mlp",
            task,
            preprocessing,
            mlp,
            mlpGrid.toArray(ParamMap[]::new),
            weighted,
            columns,
            classes.rows(),
            warmStartFrom,
            train,
            calibrations));
    return models;
  }

  private static Fitted fitClassifier(
      String name,
      String task,
      List<PipelineStage> preprocessing,
      PipelineStage estimator,
      ParamMap[] grid,
      Dataset<Row> rows,
      ModelPipelines.FeatureColumns columns,
      long trainingRows,
      String warmStartFrom,
      TrainConfig train,
      List<Dataset<Row>> calibrations) {
    long started = System.nanoTime();
    Dataset<Row> trainRows = Splits.of(rows, Splits.TRAIN);
    Dataset<Row> validationRows = Splits.of(rows, Splits.VALIDATION);
    PipelineModel best = null;
    ParamMap bestParams = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    for (ParamMap params : grid) {
      PipelineModel model =
          ModelPipelines.pipeline(preprocessing, estimator).fit(trainRows, params);
      double auc = Metrics.areaUnderRoc(Metrics.withScore(model.transform(validationRows)), LABEL);
      LOG.info(
          "train {}: {} -> validation AUC {}",
          name,
          describe(params),
          String.format(Locale.ROOT, "%.4f", auc));
      if (auc > bestAuc) {
        bestAuc = auc;
        best = model;
        bestParams = params;
      }
    }
    double fitSeconds = (System.nanoTime() - started) / 1e9;
    Dataset<Row> validationScored = Metrics.withScore(best.transform(validationRows));
    double threshold = Metrics.bestF1Threshold(validationScored, LABEL);
    Map<String, Double> validation = Metrics.classifier(validationScored, LABEL, threshold);
    Dataset<Row> testScored = Metrics.withScore(best.transform(Splits.of(rows, Splits.TEST)));
    Map<String, Double> test = Metrics.classifier(testScored, LABEL, threshold);
    calibrations.add(
        Metrics.calibration(testScored, LABEL)
            .withColumn("model", lit(name))
            .select("model", "decile", "rows", "mean_predicted", "observed_rate"));
    Map<String, Double> baseline = new LinkedHashMap<>();
    baseline.put("auc_roc", 0.5);
    baseline.put("positive_rate", test.get("positive_rate"));
    return new Fitted(
        new TrainedModel(
            name,
            task,
            describe(bestParams),
            trainingRows,
            fitSeconds,
            validation,
            test,
            baseline,
            columns.all(),
            Explanations.featureNames(best, trainRows, columns.categorical()),
            warmStartFrom,
            false),
        best,
        Explanations.coefficients(best) == null && train.permutationImportance()
            ? Explanations.permutationImportance(
                rows.sparkSession(),
                name,
                best,
                Splits.of(rows, Splits.TEST),
                columns.all(),
                LABEL,
                train.seed())
            : null);
  }

  private static Fitted trainSpend(
      Dataset<Row> rows, ModelPipelines.FeatureColumns columns, TrainConfig train) {
    long started = System.nanoTime();
    String name = "spend_regression";
    Column target = train.logSpend() ? log1p(col(Features.SPEND)) : col(Features.SPEND);
    Dataset<Row> labelled = rows.withColumn(LABEL, target.cast(DataTypes.DoubleType));
    List<PipelineStage> preprocessing =
        ModelPipelines.preprocessing(
            columns, train.varianceThreshold(), train.topFeatures(), LABEL, "continuous");
    LinearRegression regression =
        new LinearRegression()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(LABEL)
            .setMaxIter(100);
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(regression.regParam(), train.linearRegParams())
            .addGrid(regression.elasticNetParam(), train.linearElasticNet())
            .build();
    Dataset<Row> trainRows = Splits.of(labelled, Splits.TRAIN);
    Dataset<Row> validationRows = Splits.of(labelled, Splits.VALIDATION);
    PipelineModel best = null;
    ParamMap bestParams = null;
    double bestRmse = Double.POSITIVE_INFINITY;
    for (ParamMap params : grid) {
      PipelineModel model =
          ModelPipelines.pipeline(preprocessing, regression).fit(trainRows, params);
      double rmse =
          Metrics.regression(model.transform(validationRows), Features.SPEND, spend(train))
              .get("rmse");
      LOG.info(
          "train {}: {} -> validation RMSE {}",
          name,
          describe(params),
          String.format(Locale.ROOT, "%.4f", rmse));
      if (rmse < bestRmse) {
        bestRmse = rmse;
        best = model;
        bestParams = params;
      }
    }
    double fitSeconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> validation =
        Metrics.regression(best.transform(validationRows), Features.SPEND, spend(train));
    Dataset<Row> testRows = Splits.of(labelled, Splits.TEST);
    Map<String, Double> test =
        Metrics.regression(best.transform(testRows), Features.SPEND, spend(train));
    Row trainingSpend =
        trainRows
            .agg(count(lit(1)), org.apache.spark.sql.functions.avg(col(Features.SPEND)))
            .first();
    double mean = trainingSpend.getDouble(1);
    Map<String, Double> baseline = Metrics.regression(testRows, Features.SPEND, lit(mean));
    return new Fitted(
        new TrainedModel(
            name,
            SPEND,
            describe(bestParams),
            trainingSpend.getLong(0),
            fitSeconds,
            validation,
            test,
            baseline,
            columns.all(),
            Explanations.featureNames(best, trainRows, columns.categorical()),
            null,
            false),
        best);
  }

  /** Predicted spend on its original scale (never negative). */
  private static Column spend(TrainConfig train) {
    Column prediction = col("prediction");
    return greatest(train.logSpend() ? expm1(prediction) : prediction, lit(0.0));
  }

  /** Rows and positive labels of a training split. */
  private record TrainingRows(long rows, long positives) {}

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

  /** The preprocessing alone, fit on the training split (for the MLP's input layer). */
  private static PipelineModel preprocess(
      List<PipelineStage> preprocessing, Dataset<Row> trainRows) {
    return new org.apache.spark.ml.Pipeline()
        .setStages(preprocessing.toArray(PipelineStage[]::new))
        .fit(trainRows);
  }

  private static String describe(ParamMap params) {
    List<String> parts = new ArrayList<>();
    for (ParamPair<?> pair : params.toList()) {
      if (pair.param().name().equals("initialWeights")) {
        parts.add("initialWeights=previous run");
        continue;
      }
      Object value = pair.value();
      String text = value instanceof int[] ints ? Arrays.toString(ints) : String.valueOf(value);
      parts.add(pair.param().name() + "=" + text);
    }
    return String.join(", ", parts);
  }

  /**
   * A fitted model and its summary.
   *
   * @param permutationImportance for models without coefficients, else null
   */
  record Fitted(TrainedModel summary, PipelineModel model, Dataset<Row> permutationImportance) {
    Fitted(TrainedModel summary, PipelineModel model) {
      this(summary, model, null);
    }
  }

  private static List<TrainedModel> markChampions(List<TrainedModel> models) {
    Map<String, TrainedModel> champions = new LinkedHashMap<>();
    for (TrainedModel m : models) {
      if (m.task().equals(SPEND)) {
        continue;
      }
      TrainedModel current = champions.get(m.task());
      if (current == null || m.validation().get("auc_roc") > current.validation().get("auc_roc")) {
        champions.put(m.task(), m);
      }
    }
    List<TrainedModel> marked = new ArrayList<>();
    for (TrainedModel m : models) {
      boolean champion = m.task().equals(SPEND) || champions.get(m.task()) == m;
      marked.add(
          new TrainedModel(
              m.name(),
              m.task(),
              m.bestParams(),
              m.trainingRows(),
              m.fitSeconds(),
              m.validation(),
              m.test(),
              m.baseline(),
              m.features(),
              m.keptFeatures(),
              m.warmStartFrom(),
              champion));
    }
    return marked;
  }

  /** One row per model, split and metric. */
  static Dataset<Row> metricsTable(SparkSession spark, List<TrainedModel> models) {
    StructType schema =
        new StructType()
            .add("model", DataTypes.StringType)
            .add("task", DataTypes.StringType)
            .add("split", DataTypes.StringType)
            .add("metric", DataTypes.StringType)
            .add("value", DataTypes.DoubleType)
            .add("best_params", DataTypes.StringType)
            .add("training_rows", DataTypes.LongType)
            .add("fit_seconds", DataTypes.DoubleType)
            .add("champion", DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>();
    for (TrainedModel m : models) {
      for (Map.Entry<String, Map<String, Double>> split :
          Map.of("validation", m.validation(), "test", m.test(), "baseline", m.baseline())
              .entrySet()) {
        for (Map.Entry<String, Double> metric : split.getValue().entrySet()) {
          rows.add(
              RowFactory.create(
                  m.name(),
                  m.task(),
                  split.getKey(),
                  metric.getKey(),
                  metric.getValue(),
                  m.bestParams(),
                  m.trainingRows(),
                  m.fitSeconds(),
                  m.champion()));
        }
      }
    }
    return spark.createDataFrame(rows, schema);
  }
}
