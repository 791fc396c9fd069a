package org.marketingengine.config;

import java.util.List;

/**
 * Settings of the train stage ({@code marketing.train}).
 *
 * @param topFeatures keep this many features by a univariate test; 0 keeps all
 * @param logSpend fit the spend regression on log1p(spend)
 */
public record TrainConfig(
    long seed,
    double trainShare,
    double validationShare,
    int minRows,
    List<String> numericFeatures,
    List<String> categoricalFeatures,
    List<String> vectorFeatures,
    double varianceThreshold,
    int topFeatures,
    boolean logSpend,
    double[] linearRegParams,
    double[] linearElasticNet,
    double[] logregRegParams,
    double[] logregElasticNet,
    List<int[]> mlpHiddenLayers,
    int mlpMaxIter,
    boolean warmStart,
    boolean permutationImportance) {

  public TrainConfig {
    numericFeatures = List.copyOf(numericFeatures);
    categoricalFeatures = List.copyOf(categoricalFeatures);
    vectorFeatures = List.copyOf(vectorFeatures);
    linearRegParams = linearRegParams.clone();
    linearElasticNet = linearElasticNet.clone();
    logregRegParams = logregRegParams.clone();
    logregElasticNet = logregElasticNet.clone();
    mlpHiddenLayers = List.copyOf(mlpHiddenLayers);
  }
}
