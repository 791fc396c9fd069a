package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Scores;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;

/**
 * The score stage: the champions saved by the train run of the model date (default: the run date)
 * score the scoring rows of {@code features/user_features} of the run date into {@code
 * scores/user_scores}: {@code purchase_propensity}, {@code predicted_spend}, {@code
 * response_propensity}, {@code top_drivers} and {@code model_date}. See {@link Scorer}.
 */
public final class ScoreJob implements Stage<ScoreJob.Result> {
  public static final String STAGE = "score";

  /** The train run whose models scored, and its champions. */
  public record Result(LocalDate modelDate, List<String> champions) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Score the run date's users with the champions of a train run.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Writes scores/user_scores (purchase and response propensity, predicted spend, top",
        "drivers) for the scoring rows of features/user_features of the run date, with the",
        "champions saved by the train run of --model-date (default: the run date).");
  }

  @Override
  public List<String> reads() {
    return List.of(Tables.USER_FEATURES, "models/<model date>");
  }

  @Override
  public boolean takesModelDate() {
    return true;
  }

  @Override
  public Result run(StageContext context) {
    return score(context, context.modelDate().orElse(context.runDate()));
  }

  /** Scores the run date's scoring rows with the models of {@code modelDate} and publishes them. */
  public static Result score(StageContext context, LocalDate modelDate) {
    Dataset<Row> scoring =
        context
            .require(Tables.USER_FEATURES, "score")
            .where(col(Features.PURPOSE).equalTo(UserFeatures.SCORING));
    Scorer scorer = new Scorer(context.spark(), context.outputRoot(), modelDate);
    context
        .tables()
        .write(
            Tables.USER_SCORES,
            context.runDate(),
            scorer
                .scores(scoring)
                .drop(Features.ANCHOR_ID)
                .withColumn(Scores.MODEL_DATE, lit(java.sql.Date.valueOf(modelDate))));
    return new Result(modelDate, List.copyOf(scorer.champions().values()));
  }

  @Override
  public String outcome(Result result) {
    return "scored with the models of "
        + result.modelDate()
        + " ("
        + String.join(", ", result.champions())
        + ")";
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%s of %s under %s, scored with the models of %s%n",
        Tables.USER_SCORES, context.runDate(), context.outputRoot(), result.modelDate());
  }
}
