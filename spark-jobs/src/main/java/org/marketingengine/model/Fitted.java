package org.marketingengine.model;

import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A fitted model with its summary and what the train stage publishes about it.
 *
 * @param calibration per test-score decile (classifiers), else null
 * @param permutationImportance for models without coefficients, else null
 * @param scoreBins test rows and positives per percentile of the score (classifiers), else null
 */
record Fitted(
    TrainedModel summary,
    PipelineModel model,
    Dataset<Row> calibration,
    Dataset<Row> permutationImportance,
    Dataset<Row> scoreBins) {}
