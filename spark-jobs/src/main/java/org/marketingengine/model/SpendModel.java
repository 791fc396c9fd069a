package org.marketingengine.model;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;

import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.TrainConfig;

/**
 * {@code spend_regression}: next-window spend of every training user (zero for non-buyers) with an
 * elastic-net {@code LinearRegression}, chosen on validation RMSE by {@link ModelSelection} and
 * measured on test against predicting the training mean.
 */
final class SpendModel {
  static final String NAME = "spend_regression";

  private SpendModel() {}

  static Fitted train(Dataset<Row> rows, ModelPipelines.FeatureColumns columns, TrainConfig train) {
    Column target = train.logSpend() ? log1p(col(Features.SPEND)) : col(Features.SPEND);
    Dataset<Row> labelled = rows.withColumn(Classifiers.LABEL, target.cast(DataTypes.DoubleType));
    List<PipelineStage> preprocessing =
        ModelPipelines.preprocessing(
            ModelPipelines.forLinear(columns, labelled, train),
            train.varianceThreshold(),
            train.topFeatures(),
            Classifiers.LABEL,
            "continuous");
    LinearRegression regression =
        new LinearRegression()
            .setFeaturesCol(ModelPipelines.FEATURES)
            .setLabelCol(Classifiers.LABEL)
            .setMaxIter(100)
            .setTol(train.tolerance());
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(regression.regParam(), train.linearRegParams())
            .addGrid(regression.elasticNetParam(), train.linearElasticNet())
            .build();
    ModelSelection.Selected selected;
    try (ModelSelection.Prepared prepared =
        ModelSelection.prepare(
            preprocessing, labelled, List.of(Classifiers.LABEL, Features.SPEND))) {
      selected =
          ModelSelection.best(
              NAME,
              prepared,
              regression,
              grid,
              new ModelSelection.Objective(
                  "RMSE",
                  false,
                  predictions ->
                      Metrics.regression(predictions, Features.SPEND, spend(train)).get("rmse")),
              train.parallelism());
    }
    PipelineModel best = selected.model();
    Dataset<Row> trainRows = Splits.of(labelled, Splits.TRAIN);
    Map<String, Double> validation =
        Metrics.regression(
            selected.predict(labelled, Splits.VALIDATION), Features.SPEND, spend(train));
    Dataset<Row> testRows = Splits.of(labelled, Splits.TEST);
    Map<String, Double> test =
        Metrics.regression(best.transform(testRows), Features.SPEND, spend(train));
    Row trainingSpend = trainRows.agg(count(lit(1)), avg(col(Features.SPEND))).first();
    Map<String, Double> baseline =
        Metrics.regression(testRows, Features.SPEND, lit(trainingSpend.getDouble(1)));
    return new Fitted(
        new TrainedModel(
            NAME,
            TrainJob.SPEND,
            ModelSelection.describe(selected.params()),
            trainingSpend.getLong(0),
            selected.fitSeconds(),
            validation,
            test,
            baseline,
            columns.all(),
            Explanations.featureNames(best, trainRows, columns.categorical()),
            null,
            false,
            null),
        best,
        null,
        null,
        null);
  }

  /** Predicted spend on its original scale (never negative). */
  private static Column spend(TrainConfig train) {
    Column prediction = col("prediction");
    return greatest(train.logSpend() ? expm1(prediction) : prediction, lit(0.0));
  }
}
