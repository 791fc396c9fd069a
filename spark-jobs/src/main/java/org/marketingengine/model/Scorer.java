package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Scores;
import org.marketingengine.io.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores feature rows with the champions of one train run: purchase propensity (and its top drivers
 * from the purchase logistic regression, also when the MLP is champion), predicted spend and
 * response propensity. Every model is first checked against the rows: a feature the model was
 * trained on and the rows lack is an input error naming both. The score, profile and strategy
 * stages all score through here.
 */
public final class Scorer {
  private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);

  private final ModelStore models;
  private final LocalDate modelDate;
  private final Map<String, String> champions;

  public Scorer(SparkSession spark, String outputRoot, LocalDate modelDate) {
    this.models = new ModelStore(spark, outputRoot, modelDate);
    this.modelDate = modelDate;
    this.champions = models.champions();
  }

  public LocalDate modelDate() {
    return modelDate;
  }

  /** The champion model name per task. */
  public Map<String, String> champions() {
    return champions;
  }

  /**
   * {@code anchor_id}, {@code user_id} and the four scores of each row (null where the run has no
   * model for them).
   */
  public Dataset<Row> scores(Dataset<Row> rows) {
    for (String model : champions.values()) {
      check(model, rows);
    }
    Dataset<Row> scores = rows.select(col(Features.ANCHOR_ID), col(Features.USER_ID));
    String purchase = champions.get(TrainJob.PURCHASE);
    if (purchase != null) {
      scores = withPurchaseScores(scores, rows, purchase);
    } else {
      LOG.warn("score: the models of {} have no purchase or spend model", modelDate);
      scores =
          scores
              .withColumn(Scores.PURCHASE_PROPENSITY, lit(null).cast("double"))
              .withColumn(Scores.TOP_DRIVERS, lit(null).cast("array<string>"))
              .withColumn(Scores.PREDICTED_SPEND, lit(null).cast("double"));
    }
    Optional<PipelineModel> response = responseModel(rows);
    return response.isPresent()
        ? scores.join(
            probability(response.get(), responseCalibration(), rows, Scores.RESPONSE_PROPENSITY),
            Features.ANCHOR_ID)
        : scores.withColumn(Scores.RESPONSE_PROPENSITY, lit(null).cast("double"));
  }

  /** The response champion, checked against {@code rows}, if the run trained one. */
  public Optional<PipelineModel> responseModel(Dataset<Row> rows) {
    String response = champions.get(TrainJob.RESPONSE);
    if (response == null) {
      return Optional.empty();
    }
    check(response, rows);
    return Optional.of(models.load(response));
  }

  /** The name of the response champion, if any. */
  public Optional<String> responseModelName() {
    return Optional.ofNullable(champions.get(TrainJob.RESPONSE));
  }

  /**
   * {@code anchor_id} and the calibrated positive-class probability of {@code model} as column
   * {@code as}.
   */
  public static Dataset<Row> probability(
      PipelineModel model, Calibration calibration, Dataset<Row> rows, String as) {
    return Metrics.withScore(model.transform(rows))
        .select(col(Features.ANCHOR_ID), calibration.apply(col(Metrics.SCORE)).as(as));
  }

  /** The Platt scaling in {@code model}'s card (identity for a card without one). */
  public Calibration calibration(String model) {
    return Calibration.of(models.card(model).calibration());
  }

  /** The response champion's calibration (identity without a response model). */
  public Calibration responseCalibration() {
    return responseModelName().map(this::calibration).orElse(Calibration.IDENTITY);
  }

  /** Purchase propensity and its top drivers (from the LogisticRegression twin), and spend. */
  private Dataset<Row> withPurchaseScores(Dataset<Row> scores, Dataset<Row> rows, String purchase) {
    Dataset<Row> result =
        scores.join(
            probability(
                models.load(purchase), calibration(purchase), rows, Scores.PURCHASE_PROPENSITY),
            Features.ANCHOR_ID);
    String twin = TrainJob.PURCHASE + "_logreg";
    check(twin, rows);
    PipelineModel logistic = models.load(twin);
    List<String> names = models.card(twin).keptFeatures();
    result =
        result.join(
            logistic
                .transform(rows)
                .select(
                    col(Features.ANCHOR_ID),
                    Explanations.topDrivers(names, Explanations.coefficients(logistic), 3)
                        .as(Scores.TOP_DRIVERS)),
            Features.ANCHOR_ID);
    String spend = champions.get(TrainJob.SPEND);
    Column prediction =
        models.card(spend).logSpend() ? expm1(col("prediction")) : col("prediction");
    return result.join(
        models
            .load(spend)
            .transform(rows)
            .select(
                col(Features.ANCHOR_ID), greatest(prediction, lit(0.0)).as(Scores.PREDICTED_SPEND)),
        Features.ANCHOR_ID);
  }

  /** Fails with a clear message when the rows lack an input the model was trained on. */
  void check(String model, Dataset<Row> rows) {
    List<String> present = Arrays.asList(rows.columns());
    for (String name : models.card(model).features()) {
      if (!present.contains(name)
          && !name.equals(Features.OFFER)
          && !name.equals(Features.CONTACT_CHANNEL)) {
        throw new InvalidInputException(
            "Cannot score with model "
                + model
                + " of "
                + modelDate
                + ": it needs feature '"
                + name
                + "', which features/user_features no longer has. Retrain (train for a recent"
                + " date) or score with a model of another --model-date");
      }
    }
  }
}
