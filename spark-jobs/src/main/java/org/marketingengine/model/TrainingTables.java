package org.marketingengine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.io.RecordRows;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.StageContext;

/**
 * What the train stage publishes besides the models: {@code metrics/model_metrics} (one row per
 * model, split and metric), {@code metrics/model_calibration} and {@code
 * metrics/feature_importance}.
 */
final class TrainingTables {
  private TrainingTables() {}

  /** One row of {@code metrics/model_metrics}. */
  record MetricRow(
      String model,
      String task,
      String split,
      String metric,
      double value,
      String bestParams,
      long trainingRows,
      double fitSeconds,
      boolean champion) {}

  /** Publishes the three tables of the run date. */
  static void write(StageContext context, List<Fitted> fitted, List<TrainedModel> models) {
    SparkSession spark = context.spark();
    List<Dataset<Row>> importance = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      Fitted f = fitted.get(i);
      Dataset<Row> readOff =
          f.permutationImportance() != null
              ? f.permutationImportance()
              : Explanations.importance(
                  spark, models.get(i).name(), models.get(i).keptFeatures(), f.model());
      if (readOff != null) {
        importance.add(readOff);
      }
    }
    if (!importance.isEmpty()) {
      context.tables().write(Tables.FEATURE_IMPORTANCE, context.runDate(), union(importance));
    }
    context.tables().write(Tables.MODEL_METRICS, context.runDate(), metrics(spark, models));
    List<Dataset<Row>> calibrations =
        fitted.stream().map(Fitted::calibration).filter(Objects::nonNull).toList();
    if (!calibrations.isEmpty()) {
      context.tables().write(Tables.MODEL_CALIBRATION, context.runDate(), union(calibrations));
    }
    List<Dataset<Row>> bins =
        fitted.stream().map(Fitted::scoreBins).filter(Objects::nonNull).toList();
    if (!bins.isEmpty()) {
      context.tables().write(Tables.MODEL_SCORE_BINS, context.runDate(), union(bins));
    }
  }

  private static Dataset<Row> union(List<Dataset<Row>> parts) {
    Dataset<Row> all = parts.get(0);
    for (Dataset<Row> part : parts.subList(1, parts.size())) {
      all = all.unionByName(part);
    }
    return all;
  }

  /** One row per model, split and metric. */
  static Dataset<Row> metrics(SparkSession spark, List<TrainedModel> models) {
    List<MetricRow> rows = new ArrayList<>();
    for (TrainedModel m : models) {
      for (Map.Entry<String, Map<String, Double>> split :
          Map.of("validation", m.validation(), "test", m.test(), "baseline", m.baseline())
              .entrySet()) {
        for (Map.Entry<String, Double> metric : split.getValue().entrySet()) {
          rows.add(
              new MetricRow(
                  m.name(),
                  m.task(),
                  split.getKey(),
                  metric.getKey(),
                  metric.getValue(),
                  m.bestParams(),
                  m.trainingRows(),
                  m.fitSeconds(),
                  m.champion()));
        }
      }
    }
    return RecordRows.dataFrame(spark, rows, MetricRow.class);
  }
}
