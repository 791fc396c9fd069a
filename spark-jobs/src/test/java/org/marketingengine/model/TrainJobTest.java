package org.marketingengine.model;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.StageContext;
import org.marketingengine.testing.DataFrames;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class TrainJobTest {

  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  private static final StructType FEATURES =
      new StructType()
          .add("user_id", DataTypes.StringType)
          .add("purpose", DataTypes.StringType)
          .add("frequency", DataTypes.DoubleType)
          .add("noise", DataTypes.DoubleType)
          .add("constant", DataTypes.DoubleType)
          .add("empty", DataTypes.DoubleType)
          .add("region", DataTypes.StringType)
          .add("offer", DataTypes.StringType)
          .add("contact_channel", DataTypes.StringType)
          .add("purchased", DataTypes.IntegerType)
          .add("spend", DataTypes.DoubleType)
          .add("responded", DataTypes.IntegerType);

  @TempDir Path out;

  /** Purchase and spend rise with frequency; responses rise with a discount. */
  private static Dataset<Row> plantedFeatures(SparkSession spark, int users, boolean oneClass) {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      double frequency = random.nextInt(10);
      boolean buys = !oneClass && random.nextDouble() < 1 / (1 + Math.exp(3 - 0.6 * frequency));
      String region = i % 3 == 0 ? "north" : "south";
      rows.add(
          RowFactory.create(
              "u" + i,
              "training",
              frequency,
              random.nextGaussian(),
              1.0,
              null,
              region,
              null,
              null,
              buys ? 1 : 0,
              buys ? 20 + 5 * frequency + random.nextGaussian() : 0.0,
              null));
      String offer = i % 2 == 0 ? "discount" : "none";
      boolean responds = random.nextDouble() < (offer.equals("discount") ? 0.4 : 0.1);
      rows.add(
          RowFactory.create(
              "u" + i,
              "response",
              frequency,
              random.nextGaussian(),
              1.0,
              null,
              region,
              offer,
              "email",
              null,
              null,
              responds ? 1 : 0));
    }
    Dataset<Row> features = spark.createDataFrame(rows, FEATURES);
    return features.withColumn(
        "anchor_id", org.apache.spark.sql.functions.concat_ws("|", col("purpose"), col("user_id")));
  }

  private JobConfig config(String... extra) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "marketing.train.numeric-features=[frequency, noise, constant, empty, missing_col]",
                "marketing.train.categorical-features=[region]",
                "marketing.train.vector-features=[]",
                "marketing.train.min-rows=50",
                "marketing.train.grids.logistic-regression.reg-param=[0.0, 0.1]",
                "marketing.train.grids.logistic-regression.elastic-net-param=[0.0]",
                "marketing.train.grids.linear-regression.reg-param=[0.0]",
                "marketing.train.grids.linear-regression.elastic-net-param=[0.0]",
                "marketing.train.grids.mlp.hidden-layers=[[4]]",
                "marketing.train.grids.mlp.max-iter=50"));
    sets.addAll(List.of(extra));
    return TestConfigs.config(null, out.toString(), RUN_DATE, sets.toArray(String[]::new));
  }

  @Test
  void trainsEveryModelBeatsBaselinesAndSavesLoadableModels(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    Dataset<Row> features = plantedFeatures(spark, 1500, false);
    store.write(Tables.USER_FEATURES, RUN_DATE, features);

    List<TrainedModel> models = new TrainJob().run(spark, config()).models();

    assertThat(models)
        .extracting(TrainedModel::name)
        .containsExactly(
            "purchase_logreg",
            "purchase_mlp",
            "purchase_gbt",
            "spend_regression",
            "response_logreg",
            "response_mlp",
            "response_gbt");
    TrainedModel logreg = models.get(0);
    assertThat(logreg.test().get("auc_roc")).isGreaterThan(0.75);
    assertThat(logreg.test().get("top_decile_lift")).isGreaterThan(1.5);
    assertThat(logreg.features()).contains("frequency").doesNotContain("empty", "missing_col");
    // Calibrated on validation. The response label is imbalanced (a quarter responds): the
    // class-weighted models (logistic regression, trees) overstate its rate on the test split;
    // calibrated, they are closer to it and have the lower Brier score. The purchase label is
    // nearly balanced, so there is little to correct: Platt scaling must not make it worse.
    for (TrainedModel m : List.of(models.get(4), models.get(6))) {
      Map<String, Double> t = m.test();
      assertThat(Math.abs(t.get("mean_calibrated") - t.get("positive_rate")))
          .as(m.name())
          .isLessThan(Math.abs(t.get("mean_predicted") - t.get("positive_rate")));
      assertThat(t.get("brier_calibrated")).as(m.name()).isLessThan(t.get("brier"));
    }
    for (TrainedModel m : List.of(models.get(0), models.get(1), models.get(2))) {
      assertThat(m.calibration()).as(m.name()).containsKeys("slope", "intercept");
      assertThat(m.calibration().get("slope")).as(m.name()).isPositive();
      assertThat(m.test().get("brier_calibrated"))
          .as(m.name())
          .isLessThan(m.test().get("brier") + 0.005);
    }
    assertThat(models.get(3).calibration()).as("spend: no probability").isNull();
    TrainedModel gbt = models.get(2);
    assertThat(gbt.test().get("auc_roc")).isGreaterThan(0.75);
    assertThat(gbt.validation()).containsKeys("auc_roc", "top_decile_lift");
    TrainedModel spend = models.get(3);
    assertThat(spend.test().get("rmse")).isLessThan(spend.baseline().get("rmse"));
    assertThat(models.get(4).features()).contains("offer", "contact_channel");
    assertThat(models.get(6).validation().get("auc_roc"))
        .as("the response challenger learns the planted discount")
        .isGreaterThan(0.6);
    assertThat(models.stream().filter(m -> m.task().equals("purchase") && m.champion())).hasSize(1);
    assertThat(models.stream().filter(m -> m.task().equals("response") && m.champion())).hasSize(1);

    ModelStore modelStore = new ModelStore(spark, out.toString(), RUN_DATE);
    Map<String, String> champions = modelStore.champions();
    assertThat(champions).containsKeys("purchase", "response", "spend");
    PipelineModel loaded = modelStore.load(champions.get("purchase"));
    Dataset<Row> scored = loaded.transform(features.where(col("purpose").equalTo("training")));
    assertThat(scored.columns()).contains("probability", "prediction");
    assertThat(
            store
                .read(Tables.MODEL_METRICS, RUN_DATE)
                .where(col("metric").equalTo("auc_roc"))
                .count())
        .isPositive();
    Row champion =
        store
            .read(Tables.MODEL_METRICS, RUN_DATE)
            .where(
                col("model")
                    .equalTo(champions.get("purchase"))
                    .and(col("metric").equalTo("auc_roc"))
                    .and(col("split").equalTo("test")))
            .first();
    assertThat(champion.<Boolean>getAs("champion")).isTrue();
    assertThat(champion.<Long>getAs("training_rows")).isBetween(900L, 1200L);
    assertThat(store.read(Tables.MODEL_CALIBRATION, RUN_DATE).select("model").distinct().count())
        .isEqualTo(6);
    Dataset<Row> importance = store.read(Tables.FEATURE_IMPORTANCE, RUN_DATE);
    Row mlpFrequency =
        importance
            .where(col("model").equalTo("purchase_mlp").and(col("feature").equalTo("frequency")))
            .first();
    Row mlpNoise =
        importance
            .where(col("model").equalTo("purchase_mlp").and(col("feature").equalTo("noise")))
            .first();
    assertThat(mlpFrequency.<Double>getAs("importance"))
        .as("shuffling the planted signal costs AUC")
        .isGreaterThan(0.1)
        .isGreaterThan(mlpNoise.<Double>getAs("importance") + 0.05);
    Row logregFrequency =
        importance
            .where(col("model").equalTo("purchase_logreg").and(col("feature").equalTo("frequency")))
            .first();
    assertThat(logregFrequency.<Double>getAs("coefficient")).isPositive();
    Row gbtFrequency =
        importance
            .where(col("model").equalTo("purchase_gbt").and(col("feature").equalTo("frequency")))
            .first();
    Row gbtNoise =
        importance
            .where(col("model").equalTo("purchase_gbt").and(col("feature").equalTo("noise")))
            .first();
    // Permutation importance, as for the MLP: the trees' split-gain share ranked the noise
    // column above the planted signal here (0.48 against 0.46).
    assertThat(gbtFrequency.<Double>getAs("importance"))
        .as("shuffling the planted signal costs the trees AUC")
        .isGreaterThan(0.1)
        .isGreaterThan(gbtNoise.<Double>getAs("importance") + 0.05);
    assertThat(gbtFrequency.isNullAt(gbtFrequency.fieldIndex("coefficient"))).isTrue();
  }

  /** With bucketing on, the linear models see one-hot quantile buckets; the MLP the raw values. */
  @Test
  void theLinearModelsCanBucketSkewedFeatures(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    Dataset<Row> features = plantedFeatures(spark, 600, false);
    store.write(Tables.USER_FEATURES, RUN_DATE, features);

    List<TrainedModel> models =
        new TrainJob()
            .run(
                spark,
                config(
                    "marketing.train.linear-buckets.buckets=4",
                    "marketing.train.linear-buckets.min-skewness=0.0"))
            .models();

    Map<String, TrainedModel> byName = new java.util.HashMap<>();
    models.forEach(m -> byName.put(m.name(), m));
    assertThat(byName.get("purchase_logreg").keptFeatures())
        .anyMatch(f -> f.startsWith("frequency in ["))
        .doesNotContain("frequency");
    assertThat(byName.get("purchase_mlp").keptFeatures()).contains("frequency");
    assertThat(byName.get("spend_regression").keptFeatures())
        .anyMatch(f -> f.startsWith("frequency in ["));
    assertThat(byName.get("purchase_logreg").validation().get("auc_roc"))
        .as("the buckets of frequency still carry the planted signal")
        .isGreaterThan(0.7);
    ModelStore modelStore = new ModelStore(spark, out.toString(), RUN_DATE);
    PipelineModel logreg = modelStore.load("purchase_logreg");
    assertThat(logreg.stages())
        .anyMatch(stage -> stage instanceof org.apache.spark.ml.feature.Bucketizer);
    assertThat(logreg.transform(features).columns()).contains("probability");
  }

  @Test
  void savedModelsScoreALaterRunAndAFeatureMismatchIsAnInputError(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    Dataset<Row> features = plantedFeatures(spark, 800, false);
    store.write(Tables.USER_FEATURES, RUN_DATE, features);
    new TrainJob().run(spark, config());
    LocalDate later = RUN_DATE.plusDays(7);
    Dataset<Row> scoring =
        features
            .where(col("purpose").equalTo("training"))
            .withColumn("purpose", org.apache.spark.sql.functions.lit("scoring"));
    store.write(Tables.USER_FEATURES, later, scoring);
    JobConfig laterConfig = TestConfigs.config(null, out.toString(), later);

    ScoreJob.score(StageContext.of(spark, laterConfig), RUN_DATE);

    Dataset<Row> scores = store.read(Tables.USER_SCORES, later);
    assertThat(scores.count()).isEqualTo(800);
    Row top = scores.orderBy(col("purchase_propensity").desc()).first();
    assertThat(top.<Double>getAs("purchase_propensity")).isBetween(0.5, 1.0);
    assertThat(top.<String>getList(top.fieldIndex("top_drivers")))
        .isNotEmpty()
        .contains("frequency");
    assertThat(top.<Double>getAs("predicted_spend")).isPositive();

    store.write(Tables.USER_FEATURES, later, scoring.drop("frequency"));
    assertThatThrownBy(() -> ScoreJob.score(StageContext.of(spark, laterConfig), RUN_DATE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot score with model")
        .hasMessageContaining("needs feature 'frequency'");
    assertThatThrownBy(
            () -> ScoreJob.score(StageContext.of(spark, laterConfig), RUN_DATE.minusDays(30)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("No trained models under");
  }

  @Test
  void theMlpStartsFromThePreviousRunWhenTheFeatureLayoutMatches(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    Dataset<Row> features = plantedFeatures(spark, 600, false);
    LocalDate nextWeek = RUN_DATE.plusDays(7);
    LocalDate weekAfter = RUN_DATE.plusDays(14);
    store.write(Tables.USER_FEATURES, RUN_DATE, features);
    store.write(Tables.USER_FEATURES, nextWeek, features);
    store.write(Tables.USER_FEATURES, weekAfter, features.drop("noise"));

    new TrainJob().run(spark, configFor(RUN_DATE));
    List<TrainedModel> second = new TrainJob().run(spark, configFor(nextWeek)).models();
    List<TrainedModel> third = new TrainJob().run(spark, configFor(weekAfter)).models();

    assertThat(second.get(1).name()).isEqualTo("purchase_mlp");
    assertThat(second.get(1).warmStartFrom()).isEqualTo(RUN_DATE.toString());
    assertThat(second.get(0).warmStartFrom()).as("logistic regression: no warm start").isNull();
    assertThat(new ModelStore(spark, out.toString(), nextWeek).card("purchase_mlp").warmStartFrom())
        .isEqualTo(RUN_DATE.toString());
    assertThat(third.get(1).warmStartFrom()).as("one input fewer: new layout").isNull();
  }

  /** Without the challengers: the MLP's warm start is under test. */
  private JobConfig configFor(LocalDate runDate) {
    return config("marketing.train.challengers=[]").withRunDate(runDate);
  }

  @Test
  void aSingleClassLabelOrTooFewRowsIsAClearInputError(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    store.write(Tables.USER_FEATURES, RUN_DATE, plantedFeatures(spark, 300, true));

    assertThatThrownBy(() -> new TrainJob().run(spark, config()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot train purchase models")
        .hasMessageContaining("label 'purchased' is 0 in all");

    assertThatThrownBy(() -> new TrainJob().run(spark, config("marketing.train.min-rows=100000")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("fewer than marketing.train.min-rows (100000)");
  }

  @Test
  void missingFeaturesTableIsAnInputError(SparkSession spark) {
    assertThatThrownBy(() -> new TrainJob().run(spark, config()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no features/user_features for run_date=2026-11-01");
  }

  @Test
  void aCappedTrainingSplitFitsOnASeededShareAndKeepsValidationAndTest(SparkSession spark) {
    Dataset<Row> features =
        plantedFeatures(spark, 2000, false).where(col("purpose").equalTo("training"));
    Dataset<Row> all = Splits.assign(features, 42, 0.7, 0.15);
    Dataset<Row> forty = Splits.assign(features, 42, 0.7, 0.15, 0.4);
    Dataset<Row> sixty = Splits.assign(features, 42, 0.7, 0.15, 0.6);

    for (String split : List.of(Splits.VALIDATION, Splits.TEST)) {
      DataFrames.assertSameRows(Splits.of(forty, split), Splits.of(all, split));
    }
    long train = Splits.of(all, Splits.TRAIN).count();
    long kept = Splits.of(forty, Splits.TRAIN).count();
    assertThat((double) kept / train).isCloseTo(0.4, within(0.05));
    // A subset of the training split, and of what a larger share keeps; the same on every call.
    assertThat(Splits.of(forty, Splits.TRAIN).except(Splits.of(all, Splits.TRAIN)).count())
        .isZero();
    assertThat(Splits.of(forty, Splits.TRAIN).except(Splits.of(sixty, Splits.TRAIN)).count())
        .isZero();
    assertThat(Splits.of(sixty, Splits.TRAIN).count()).isGreaterThan(kept);
    DataFrames.assertSameRows(forty, Splits.assign(features, 42, 0.7, 0.15, 0.4));
  }

  @Test
  void maxTrainingRowsCapsTheRowsEachModelFitsOn(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    store.write(Tables.USER_FEATURES, RUN_DATE, plantedFeatures(spark, 1500, false));
    JobConfig capped =
        config("marketing.train.challengers=[]", "marketing.train.max-training-rows=400");
    Dataset<Row> training =
        store.read(Tables.USER_FEATURES, RUN_DATE).where(col("purpose").equalTo("training"));
    assertThat(TrainJob.fitShare(training, "training", config().train())).isEqualTo(1.0);
    double share = TrainJob.fitShare(training, "training", capped.train());
    long trainRows = Splits.of(Splits.assign(training, 42, 0.7, 0.15), Splits.TRAIN).count();
    assertThat(share).isEqualTo(400.0 / trainRows);

    List<TrainedModel> models = new TrainJob().run(spark, capped).models();

    assertThat(models).hasSize(5);
    for (TrainedModel m : models) {
      assertThat(m.trainingRows()).as(m.name()).isBetween(340L, 460L);
    }
    assertThat(models.get(0).test().get("auc_roc")).isGreaterThan(0.75);
  }

  @Test
  void splitsKeepEveryUserInOneSplit(SparkSession spark) {
    Dataset<Row> features = plantedFeatures(spark, 2000, false);
    Dataset<Row> split = Splits.assign(features, 42, 0.7, 0.15);

    assertThat(
            split
                .groupBy("user_id")
                .agg(org.apache.spark.sql.functions.countDistinct("split").as("n"))
                .where(col("n").gt(1))
                .count())
        .isZero();
    double trainShare = split.where(col("split").equalTo("train")).count() / (double) split.count();
    assertThat(trainShare).isCloseTo(0.7, within(0.04));
    DataFrames.assertSameRows(split, Splits.assign(features, 42, 0.7, 0.15));
  }
}
