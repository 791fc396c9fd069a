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
   * model for them). The models score one after another on the same rows, each adding its column,
   * so the rows are read once and never joined back to themselves.
   */
  public Dataset<Row> scores(Dataset<Row> rows) {
    for (String model : champions.values()) {
      check(model, rows);
    }
    Dataset<Row> scored = rows;
    String purchase = champions.get(TrainJob.PURCHASE);
    if (purchase != null) {
      scored = withPurchaseScores(scored, purchase);
    } else {
      LOG.warn("score: the models of {} have no purchase or spend model", modelDate);
      scored =
          scored
              .withColumn(Scores.PURCHASE_PROPENSITY, lit(null).cast("double"))
              .withColumn(Scores.TOP_DRIVERS, lit(null).cast("array<string>"))
              .withColumn(Scores.PREDICTED_SPEND, lit(null).cast("double"));
    }
    Optional<PipelineModel> response = responseModel(rows);
    scored =
        response.isPresent()
            ? withProbability(
                scored, response.get(), responseCalibration(), Scores.RESPONSE_PROPENSITY)
            : scored.withColumn(Scores.RESPONSE_PROPENSITY, lit(null).cast("double"));
    return scored.select(
        col(Features.ANCHOR_ID),
        col(Features.USER_ID),
        col(Scores.PURCHASE_PROPENSITY),
        col(Scores.TOP_DRIVERS),
        col(Scores.PREDICTED_SPEND),
        col(Scores.RESPONSE_PROPENSITY));
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

  /** The Platt scaling in {@code model}'s card (identity for a card without one). */
  public Calibration calibration(String model) {
    return Calibration.of(models.card(model).calibration());
  }

  /** The response champion's calibration (identity without a response model). */
  public Calibration responseCalibration() {
    return responseModelName().map(this::calibration).orElse(Calibration.IDENTITY);
  }

  /** Purchase propensity and its top drivers (from the LogisticRegression twin), and spend. */
  private Dataset<Row> withPurchaseScores(Dataset<Row> rows, String purchase) {
    Dataset<Row> result =
        withProbability(
            rows, models.load(purchase), calibration(purchase), Scores.PURCHASE_PROPENSITY);
    String twin = TrainJob.PURCHASE + "_logreg";
    check(twin, rows);
    PipelineModel logistic = models.load(twin);
    List<String> names = models.card(twin).keptFeatures();
    result =
        withOutput(
            result,
            logistic.transform(result),
            Explanations.topDrivers(names, Explanations.coefficients(logistic), 3)
                .as(Scores.TOP_DRIVERS));
    String spend = champions.get(TrainJob.SPEND);
    Column prediction =
        models.card(spend).logSpend() ? expm1(col("prediction")) : col("prediction");
    return withOutput(
        result,
        models.load(spend).transform(result),
        greatest(prediction, lit(0.0)).as(Scores.PREDICTED_SPEND));
  }

  /** {@code rows} with the calibrated positive-class probability of {@code model} as {@code as}. */
  private static Dataset<Row> withProbability(
      Dataset<Row> rows, PipelineModel model, Calibration calibration, String as) {
    return withOutput(
        rows,
        Metrics.withScore(model.transform(rows)),
        calibration.apply(col(Metrics.SCORE)).as(as));
  }

  /**
   * The columns of {@code rows} and {@code output} from {@code transformed} (a model's transform of
   * those rows, which keeps their columns), dropping the model's intermediate columns.
   */
  private static Dataset<Row> withOutput(
      Dataset<Row> rows, Dataset<Row> transformed, Column output) {
    Column[] columns = new Column[rows.columns().length + 1];
    for (int i = 0; i < rows.columns().length; i++) {
      columns[i] = col("`" + rows.columns()[i].replace("`", "``") + "`");
    }
    columns[columns.length - 1] = output;
    return transformed.select(columns);
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
