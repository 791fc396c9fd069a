package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;

import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Platt scaling of a classifier's positive-class probability, fitted on the validation split:
 * {@code calibrated = sigmoid(slope x logit(score) + intercept)}. The models are trained with class
 * weights (and trees and networks are rarely calibrated), so their scores rank well but overstate
 * the probability; expected value and offer choice need the probability itself. Monotone, so the
 * ranking, the AUC and the champion choice are unchanged; a model whose scores rank the validation
 * split the wrong way round (slope not positive) is left uncalibrated rather than reversed.
 *
 * @param slope the weight of the score's logit (1: unchanged)
 * @param intercept added to the logit (0: unchanged)
 */
public record Calibration(double slope, double intercept) {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Calibration.class);

  /** Leaves the scores as they are (a model trained before calibration, or one class only). */
  public static final Calibration IDENTITY = new Calibration(1.0, 0.0);

  /** Scores are clamped to [EPSILON, 1 - EPSILON] before the logit. */
  private static final double EPSILON = 1e-6;

  private static final String LOGIT = "_logit";

  /** Fits the scaling on scored rows ({@link Metrics#SCORE}) against the 0/1 {@code label}. */
  public static Calibration fit(Dataset<Row> scored, String label) {
    Dataset<Row> rows =
        scored
            .select(
                logit(col(Metrics.SCORE)).as(LOGIT), col(label).cast(DataTypes.DoubleType).as("_y"))
            .cache();
    try {
      if (rows.select("_y").distinct().count() < 2) {
        return IDENTITY;
      }
      LogisticRegressionModel model =
          new LogisticRegression()
              .setRegParam(0.0)
              .setStandardization(false)
              .setMaxIter(100)
              .setFeaturesCol("_features")
              .setLabelCol("_y")
              .fit(
                  new VectorAssembler()
                      .setInputCols(new String[] {LOGIT})
                      .setOutputCol("_features")
                      .transform(rows));
      double slope = model.coefficients().apply(0);
      if (!(slope > 0)) {
        // Higher scores are not more often positive on validation: a scaling would reverse the
        // ranking. Such a model does not win the champion choice; its scores stay as they are.
        LOG.warn(
            "calibration: the scores do not rank the validation split (Platt slope {}); left"
                + " uncalibrated",
            String.format(java.util.Locale.ROOT, "%.3f", slope));
        return IDENTITY;
      }
      return new Calibration(slope, model.intercept());
    } finally {
      rows.unpersist();
    }
  }

  /** From a model card's {@code calibration}; identity when the card has none. */
  public static Calibration of(Map<String, Double> card) {
    return card == null || card.isEmpty()
        ? IDENTITY
        : new Calibration(card.get("slope"), card.get("intercept"));
  }

  /** As stored in the model card. */
  public Map<String, Double> toCard() {
    return Map.of("slope", slope, "intercept", intercept);
  }

  /** The calibrated probability of {@code score}. */
  public Column apply(Column score) {
    if (equals(IDENTITY)) {
      return score;
    }
    return lit(1.0)
        .divide(lit(1.0).plus(exp(logit(score).multiply(slope).plus(intercept).multiply(-1))));
  }

  private static Column logit(Column score) {
    Column p = least(greatest(score, lit(EPSILON)), lit(1 - EPSILON));
    return log(p.divide(lit(1.0).minus(p)));
  }
}
