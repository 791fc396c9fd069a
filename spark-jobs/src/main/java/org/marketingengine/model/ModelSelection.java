package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model selection on a validation split, as every model of the train stage does it: each point of
 * the grid is fit on the training rows and scored on the validation rows, {@code parallelism}
 * points at a time (as MLlib's {@code TrainValidationSplit.setParallelism} does; our split is by
 * user, which TrainValidationSplit cannot take), and the best is kept. Ties go to the earlier grid
 * point, so the choice does not depend on which fit finished first.
 */
public final class ModelSelection {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSelection.class);

  private ModelSelection() {}

  /** What is being optimised: a metric of the model's predictions on the validation split. */
  public record Objective(
      String metric, boolean higherIsBetter, ToDoubleFunction<Dataset<Row>> score) {}

  /** The chosen grid point, and how long the whole search took. */
  public record Selected(
      PipelineModel model, ParamMap params, double validationScore, double fitSeconds) {

    /** The model's predictions on one split ({@link Splits#VALIDATION}, ...) of the rows. */
    public Dataset<Row> predict(Dataset<Row> rows, String split) {
      return model.transform(Splits.of(rows, split));
    }
  }

  /**
   * The preprocessing fitted once on the training split, and the training and validation splits run
   * through it and cached with only the columns the estimator and the objective read: every grid
   * point (and every estimator of a task) then fits on the same assembled vectors instead of
   * refitting the imputer, indexers, selector and scaler and re-reading the rows per point. {@link
   * #close()} releases the cache.
   */
  public record Prepared(
      PipelineModel preprocessing,
      Dataset<Row> rawTrain,
      Dataset<Row> train,
      Dataset<Row> validation)
      implements AutoCloseable {

    /** The length of the feature vector the estimators see. */
    public int featureCount() {
      Vector first = train.select(ModelPipelines.FEATURES).first().getAs(0);
      return first.size();
    }

    @Override
    public void close() {
      train.unpersist();
      validation.unpersist();
    }
  }

  /**
   * Fits {@code preprocessing} on the training split of {@code rows} and caches both splits through
   * it, keeping {@link ModelPipelines#FEATURES} and the columns {@code keep}.
   */
  public static Prepared prepare(
      List<PipelineStage> preprocessing, Dataset<Row> rows, List<String> keep) {
    Dataset<Row> trainRows = Splits.of(rows, Splits.TRAIN);
    PipelineModel fitted =
        new Pipeline().setStages(preprocessing.toArray(PipelineStage[]::new)).fit(trainRows);
    List<Column> columns = new ArrayList<>();
    columns.add(col(ModelPipelines.FEATURES));
    keep.forEach(c -> columns.add(col(c)));
    Column[] selected = columns.toArray(Column[]::new);
    Dataset<Row> train =
        fitted.transform(trainRows).select(selected).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> validation =
        fitted
            .transform(Splits.of(rows, Splits.VALIDATION))
            .select(selected)
            .persist(StorageLevel.MEMORY_AND_DISK());
    return new Prepared(fitted, trainRows, train, validation);
  }

  /**
   * Fits {@code estimator} at each grid point on the prepared training split and keeps the one
   * whose predictions on the prepared validation split score best; the model returned is the
   * preprocessing followed by that estimator, one {@link PipelineModel} to save and apply.
   */
  public static Selected best(
      String name,
      Prepared prepared,
      Estimator<?> estimator,
      ParamMap[] grid,
      Objective objective,
      int parallelism) {
    long started = System.nanoTime();
    ParamMap[] points = distinct(grid);
    if (points.length < grid.length) {
      LOG.info(
          "train {}: {} of {} grid points left out: without regularisation (regParam 0) they"
              + " differ only in elasticNetParam, which then has no effect",
          name,
          grid.length - points.length,
          grid.length);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, points.length)));
    try {
      List<Future<Scored>> fits = new ArrayList<>();
      for (ParamMap params : points) {
        fits.add(
            pool.submit(
                () -> {
                  Model<?> model = (Model<?>) estimator.fit(prepared.train(), params);
                  double score =
                      objective.score().applyAsDouble(model.transform(prepared.validation()));
                  LOG.info(
                      "train {}: {} -> validation {} {}{}",
                      name,
                      describe(params),
                      objective.metric(),
                      String.format(Locale.ROOT, "%.4f", score),
                      iterations(model));
                  return new Scored(model, params, score);
                }));
      }
      Scored best = null;
      for (Future<Scored> fit : fits) {
        Scored s = fit.get();
        if (best == null || better(s.score(), best.score(), objective)) {
          best = s;
        }
      }
      return new Selected(
          withPreprocessing(prepared, best.model()),
          best.params(),
          best.score(),
          (System.nanoTime() - started) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while training " + name, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Cannot train " + name + ": " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * How many optimiser iterations the fit took (each one Spark job), for the models that report it,
   * e.g. {@code " (37 iterations)"}; empty otherwise.
   */
  static String iterations(Model<?> model) {
    int n = -1;
    if (model instanceof LogisticRegressionModel m && m.hasSummary()) {
      n = m.summary().totalIterations();
    } else if (model instanceof LinearRegressionModel m && m.hasSummary()) {
      n = m.summary().totalIterations();
    } else if (model instanceof MultilayerPerceptronClassificationModel m && m.hasSummary()) {
      n = m.summary().totalIterations();
    }
    return n < 0 ? "" : " (" + n + " iterations)";
  }

  private record Scored(Model<?> model, ParamMap params, double score) {}

  /**
   * The grid without points that fit the same model as an earlier one: with {@code regParam} 0 the
   * elastic-net mix {@code elasticNetParam} weighs a penalty of zero, so of the points that differ
   * only in it the first is kept (the point a tie would have chosen anyway).
   */
  static ParamMap[] distinct(ParamMap[] grid) {
    Map<String, ParamMap> kept = new LinkedHashMap<>();
    for (ParamMap params : grid) {
      kept.putIfAbsent(effective(params), params);
    }
    return kept.values().toArray(ParamMap[]::new);
  }

  /** {@link #describe} without {@code elasticNetParam} when {@code regParam} is 0. */
  private static String effective(ParamMap params) {
    boolean unregularised =
        params.toList().stream()
            .anyMatch(
                pair ->
                    pair.param().name().equals("regParam")
                        && ((Number) pair.value()).doubleValue() == 0.0);
    return describe(params, !unregularised);
  }

  /**
   * One pipeline of the fitted preprocessing stages and the estimator's model. A pipeline of
   * transformers only fits without running anything: it checks the schema and collects the stages.
   */
  private static PipelineModel withPreprocessing(Prepared prepared, Model<?> model) {
    List<PipelineStage> stages = new ArrayList<>(List.of(prepared.preprocessing().stages()));
    stages.add(model);
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(prepared.rawTrain());
  }

  private static boolean better(double candidate, double best, Objective objective) {
    return objective.higherIsBetter() ? candidate > best : candidate < best;
  }

  /**
   * The grid point as text, parameters by name (a ParamMap's own order changes from run to run),
   * e.g. {@code elasticNetParam=0.0, regParam=0.01}.
   */
  public static String describe(ParamMap params) {
    return describe(params, true);
  }

  private static String describe(ParamMap params, boolean withElasticNet) {
    List<String> parts = new ArrayList<>();
    for (ParamPair<?> pair : params.toList()) {
      if (!withElasticNet && pair.param().name().equals("elasticNetParam")) {
        continue;
      }
      if (pair.param().name().equals("initialWeights")) {
        parts.add("initialWeights=previous run");
        continue;
      }
      Object value = pair.value();
      String text = value instanceof int[] ints ? Arrays.toString(ints) : String.valueOf(value);
      parts.add(pair.param().name() + "=" + text);
    }
    parts.sort(null);
    return String.join(", ", parts);
  }
}
