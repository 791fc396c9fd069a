package org.marketingengine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
   * Fits the pipeline at each grid point on the training split of {@code rows} and keeps the one
   * whose predictions on the validation split score best.
   */
  public static Selected best(
      String name,
      Pipeline pipeline,
      ParamMap[] grid,
      Dataset<Row> rows,
      Objective objective,
      int parallelism) {
    long started = System.nanoTime();
    Dataset<Row> trainRows = Splits.of(rows, Splits.TRAIN);
    Dataset<Row> validationRows = Splits.of(rows, Splits.VALIDATION);
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, grid.length)));
    try {
      List<Future<Selected>> fits = new ArrayList<>();
      for (ParamMap params : grid) {
        fits.add(
            pool.submit(
                () -> {
                  PipelineModel model = pipeline.fit(trainRows, params);
                  double score = objective.score().applyAsDouble(model.transform(validationRows));
                  LOG.info(
                      "train {}: {} -> validation {} {}",
                      name,
                      describe(params),
                      objective.metric(),
                      String.format(Locale.ROOT, "%.4f", score));
                  return new Selected(model, params, score, 0);
                }));
      }
      Selected best = null;
      for (Future<Selected> fit : fits) {
        Selected s = fit.get();
        if (best == null || better(s.validationScore(), best.validationScore(), objective)) {
          best = s;
        }
      }
      return new Selected(
          best.model(), best.params(), best.validationScore(), (System.nanoTime() - started) / 1e9);
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

  private static boolean better(double candidate, double best, Objective objective) {
    return objective.higherIsBetter() ? candidate > best : candidate < best;
  }

  /** The grid point as text, e.g. {@code regParam=0.01, elasticNetParam=0.0}. */
  public static String describe(ParamMap params) {
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
}
