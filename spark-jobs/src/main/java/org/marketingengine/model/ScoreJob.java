package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.JobConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The score stage: the champions saved by the train run of {@code modelDate} score the scoring rows
 * of {@code features/user_features} of the run date into {@code scores/user_scores}: {@code
 * purchase_propensity}, {@code predicted_spend}, {@code response_propensity} and {@code
 * top_drivers} (the three inputs that raised the purchase score most, from the purchase logistic
 * regression, also when the MLP is champion). A model whose inputs the features no longer have is
 * an input error naming the model and the column.
 */
public final class ScoreJob {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
  public static final String STAGE = "score";
  public static final String USER_SCORES = "scores/user_scores";

  public static final String PURCHASE_PROPENSITY = "purchase_propensity";
  public static final String RESPONSE_PROPENSITY = "response_propensity";
  public static final String PREDICTED_SPEND = "predicted_spend";
  public static final String TOP_DRIVERS = "top_drivers";
  public static final String MODEL_DATE = "model_date";

  private ScoreJob() {}

  public static void run(SparkSession spark, JobConfig config, LocalDate modelDate) {
    long started = System.nanoTime();
    spark
        .sparkContext()
        .setJobGroup(STAGE, "score " + config.runDate() + " with models of " + modelDate, false);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    if (!store.hasPartition(FeaturesJob.USER_FEATURES, config.runDate())) {
      throw new InvalidInputException(
          "Cannot score: no features/user_features for run_date="
              + config.runDate()
              + ". Run the features stage for that date first");
    }
    ModelStore models = new ModelStore(spark, config.outputRoot(), modelDate);
    Map<String, String> champions = models.champions();
    Dataset<Row> scoring =
        store
            .read(FeaturesJob.USER_FEATURES, config.runDate())
            .drop(Columns.RUN_DATE)
            .where(col(Features.PURPOSE).equalTo(UserFeatures.SCORING));
    for (String model : champions.values()) {
      checkFeatures(models, model, scoring, modelDate);
    }

    Dataset<Row> scores = scoring.select(col(Features.ANCHOR_ID), col(Features.USER_ID));
    String purchase = champions.get(TrainJob.PURCHASE);
    if (purchase != null) {
      scores = withPurchaseScores(scores, scoring, models, purchase, champions, modelDate);
    } else {
      LOG.warn("score: the models of {} have no purchase or spend model", modelDate);
      scores =
          scores
              .withColumn(PURCHASE_PROPENSITY, lit(null).cast("double"))
              .withColumn(TOP_DRIVERS, lit(null).cast("array<string>"))
              .withColumn(PREDICTED_SPEND, lit(null).cast("double"));
    }
    String response = champions.get(TrainJob.RESPONSE);
    if (response != null) {
      scores =
          scores.join(
              probability(models.load(response), scoring, RESPONSE_PROPENSITY), Features.ANCHOR_ID);
    } else {
      scores = scores.withColumn(RESPONSE_PROPENSITY, lit(null).cast("double"));
    }
    store.write(
        USER_SCORES,
        config.runDate(),
        scores
            .drop(Features.ANCHOR_ID)
            .withColumn(MODEL_DATE, lit(java.sql.Date.valueOf(modelDate))));
    LOG.info(
        "score done in {}: scoring rows of {} scored with the models of {} ({})",
        StageCounts.elapsed(started),
        config.runDate(),
        modelDate,
        String.join(", ", champions.values()));
  }

  /** Purchase propensity and its top drivers (from the LogisticRegression twin), and spend. */
  private static Dataset<Row> withPurchaseScores(
      Dataset<Row> scores,
      Dataset<Row> scoring,
      ModelStore models,
      String purchase,
      Map<String, String> champions,
      LocalDate modelDate) {
    scores =
        scores.join(
            probability(models.load(purchase), scoring, PURCHASE_PROPENSITY), Features.ANCHOR_ID);
    String twin = TrainJob.PURCHASE + "_logreg";
    checkFeatures(models, twin, scoring, modelDate);
    PipelineModel logistic = models.load(twin);
    List<String> names = names(models.card(twin));
    Vector coefficients = Explanations.coefficients(logistic);
    scores =
        scores.join(
            logistic
                .transform(scoring)
                .select(
                    col(Features.ANCHOR_ID),
                    Explanations.topDrivers(names, coefficients, 3).as(TOP_DRIVERS)),
            Features.ANCHOR_ID);
    String spend = champions.get(TrainJob.SPEND);
    boolean logSpend = models.card(spend).path("log_spend").asBoolean(false);
    Column prediction = logSpend ? expm1(col("prediction")) : col("prediction");
    scores =
        scores.join(
            models
                .load(spend)
                .transform(scoring)
                .select(
                    col(Features.ANCHOR_ID), greatest(prediction, lit(0.0)).as(PREDICTED_SPEND)),
            Features.ANCHOR_ID);
    return scores;
  }

  private static Dataset<Row> probability(PipelineModel model, Dataset<Row> rows, String as) {
    return Metrics.withScore(model.transform(rows))
        .select(col(Features.ANCHOR_ID), col(Metrics.SCORE).as(as));
  }

  private static List<String> names(JsonNode card) {
    List<String> names = new ArrayList<>();
    card.path("kept_features").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Fails with a clear message when the features lack an input the model was trained on. */
  static void checkFeatures(
      ModelStore models, String model, Dataset<Row> features, LocalDate modelDate) {
    List<String> present = Arrays.asList(features.columns());
    for (JsonNode feature : models.card(model).path("features")) {
      String name = feature.asText();
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
