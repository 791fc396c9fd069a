package org.marketingengine.model;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TrainConfig;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train stage: {@code features/user_features} to {@code models/<run_date>/<model>}
 * (PipelineModels with a {@code model_card.json}), {@code models/<run_date>/champions.json}, and
 * {@code metrics/model_metrics}, {@code metrics/model_calibration}, {@code
 * metrics/feature_importance}.
 *
 * <p>Models: {@code purchase_logreg} and {@code purchase_mlp} on training rows (label {@code
 * purchased}), {@code spend_regression} (label {@code spend}), and {@code response_logreg} and
 * {@code response_mlp} on campaign contacts (label {@code responded}, with the offer and channel as
 * features) when there are any. Users are split seeded into train, validation and test; every grid
 * point is fit on train and scored on validation; the best is scored on test. The champion of
 * purchase and of response is the classifier with the best validation AUC.
 */
public final class TrainJob implements Stage<TrainJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  public static final String STAGE = "train";
  public static final String PURCHASE = "purchase";
  public static final String RESPONSE = "response";
  public static final String SPEND = "spend";

  /** The trained models, champions marked. */
  public record Result(List<TrainedModel> models) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Train, evaluate and save the spend, purchase and response models.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Trains spend_regression, purchase_logreg, purchase_mlp and, where campaign contacts exist,",
        "response_logreg and response_mlp on features/user_features of the run date; saves them",
        "under models/<run_date>/ and their test metrics to metrics/model_metrics. Run features first.");
  }

  @Override
  public List<String> reads() {
    return List.of(Tables.USER_FEATURES);
  }

  @Override
  public Result run(StageContext context) {
    JobConfig config = context.config();
    TrainConfig train = config.train();
    Dataset<Row> features = context.require(Tables.USER_FEATURES, "train");
    ModelStore modelStore = new ModelStore(context.spark(), config.outputRoot(), config.runDate());
    List<Fitted> fitted = new ArrayList<>();
    Dataset<Row> training = prepare(features, UserFeatures.TRAINING, train);
    try {
      if (!config.ingest().requireEvents() && hasNoEvents(training)) {
        LOG.warn(
            "train: the features hold no behavioural events (marketing.ingest.require-events ="
                + " false); purchase and spend models skipped, response models only");
      } else {
        ModelPipelines.FeatureColumns columns =
            usableColumns(training, featureColumns(config, false));
        fitted.addAll(
            Classifiers.train(PURCHASE, Features.PURCHASED, training, columns, train, modelStore));
        fitted.add(SpendModel.train(training, columns, train));
      }
    } finally {
      training.unpersist();
    }
    Dataset<Row> contacts = prepare(features, UserFeatures.RESPONSE, train);
    try {
      if (contacts.isEmpty()) {
        LOG.info("train: no campaign contacts in the features; response models skipped");
      } else {
        ModelPipelines.FeatureColumns columns =
            usableColumns(contacts, featureColumns(config, true));
        fitted.addAll(
            Classifiers.train(RESPONSE, Features.RESPONDED, contacts, columns, train, modelStore));
      }
    } finally {
      contacts.unpersist();
    }
    List<TrainedModel> models = markChampions(fitted.stream().map(Fitted::summary).toList());
    List<ModelStore.Entry> entries = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      entries.add(
          new ModelStore.Entry(
              fitted.get(i).model(),
              models
                  .get(i)
                  .card(
                      config.runDate().toString(),
                      config.features().featureDays(),
                      config.features().labelDays(),
                      train.logSpend())));
    }
    modelStore.saveAll(entries);
    modelStore.writeChampions(models);
    TrainingTables.write(context, fitted, models);
    return new Result(models);
  }

  @Override
  public String outcome(Result result) {
    return String.join(
        ", ",
        result.models().stream()
            .map(
                m -> {
                  String metric = m.task().equals(SPEND) ? "rmse" : "auc_roc";
                  return String.format(
                      Locale.ROOT,
                      "%s test %s %.3f%s",
                      m.name(),
                      metric,
                      m.test().get(metric),
                      m.champion() ? " (champion)" : "");
                })
            .toList());
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%-18s %9s %8s %8s %8s %8s %10s  %s%n",
        "model", "rows", "AUC", "AUC-PR", "lift@10", "RMSE", "base RMSE", "");
    for (TrainedModel m : result.models()) {
      out.printf(
          "%-18s %9d %8s %8s %8s %8s %10s  %s%n",
          m.name(),
          m.trainingRows(),
          value(m.test().get("auc_roc")),
          value(m.test().get("auc_pr")),
          value(m.test().get("top_decile_lift")),
          value(m.test().get("rmse")),
          value(m.baseline().get("rmse")),
          m.champion() ? "champion" : "");
    }
    out.printf(
        "test-split metrics; models under %s/models/%s%n", context.outputRoot(), context.runDate());
  }

  private static String value(Double v) {
    return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", v);
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

  /**
   * The rows of one purpose with a seeded split by user, the training split capped at about {@code
   * marketing.train.max-training-rows}, cached: every grid point reads them.
   */
  private static Dataset<Row> prepare(Dataset<Row> features, String purpose, TrainConfig train) {
    Dataset<Row> rows = features.where(col(Features.PURPOSE).equalTo(purpose));
    return Splits.assign(
            rows,
            train.seed(),
            train.trainShare(),
            train.validationShare(),
            fitShare(rows, purpose, train))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * The share of the training split's users to fit on: 1 up to {@code max-training-rows} rows, else
   * about that many rows' worth (one count of the training split when a cap is set).
   */
  static double fitShare(Dataset<Row> rows, String purpose, TrainConfig train) {
    if (train.maxTrainingRows() == 0) {
      return 1.0;
    }
    long trainRows =
        Splits.of(
                Splits.assign(rows, train.seed(), train.trainShare(), train.validationShare()),
                Splits.TRAIN)
            .count();
    if (trainRows <= train.maxTrainingRows()) {
      return 1.0;
    }
    double share = (double) train.maxTrainingRows() / trainRows;
    LOG.info(
        "train: {} {} rows in the training split, more than marketing.train.max-training-rows"
            + " ({}): fitting on a seeded {}% of its users (about {} rows); validation and test"
            + " keep every user",
        trainRows,
        purpose,
        train.maxTrainingRows(),
        String.format(Locale.ROOT, "%.1f", 100 * share),
        train.maxTrainingRows());
    return share;
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
        numeric,
        categorical,
        config.train().vectorFeatures(),
        Map.of(),
        config.train().sentinels());
  }

  /**
   * Drops configured columns the data lacks or that are null in every training row (logged), so
   * that the models train on what the data has.
   */
  static ModelPipelines.FeatureColumns usableColumns(
      Dataset<Row> rows, ModelPipelines.FeatureColumns wanted) {
    List<String> present = Arrays.asList(rows.columns());
    for (String c : wanted.all()) {
      if (!present.contains(c)) {
        LOG.warn("train: feature {} is not in features/user_features; left out", c);
      }
    }
    List<String> numeric = wanted.numeric().stream().filter(present::contains).toList();
    List<String> usable = new ArrayList<>();
    if (!numeric.isEmpty()) {
      Column[] counts = numeric.stream().map(c -> count(col(c)).as(c)).toArray(Column[]::new);
      Row nonNull = Splits.of(rows, Splits.TRAIN).select(counts).first();
      for (int i = 0; i < numeric.size(); i++) {
        if (nonNull.getLong(i) > 0) {
          usable.add(numeric.get(i));
        } else {
          LOG.warn("train: feature {} is empty in every training row; left out", numeric.get(i));
        }
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
        usable,
        wanted.categorical().stream().filter(present::contains).toList(),
        vectors,
        sizes,
        wanted.sentinels());
  }

  /** The champion of each classifier task is the model with the best validation AUC. */
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
    return models.stream()
        .map(m -> m.withChampion(m.task().equals(SPEND) || champions.get(m.task()) == m))
        .toList();
  }
}
