package org.marketingengine.model;

import java.util.List;
import java.util.Map;

/**
 * {@code models/<date>/<model>/model_card.json}: what a saved model was trained on and how it did.
 *
 * @param features the feature columns the model was given
 * @param keptFeatures the inputs after selection, in the order of its feature vector
 * @param warmStartFrom the run date whose weights the model started from, if any
 * @param calibration {@code slope} and {@code intercept} of the Platt scaling fitted on validation
 *     (classifiers; null for others and for models trained before it existed)
 */
public record ModelCard(
    String model,
    String task,
    String runDate,
    int featureWindowDays,
    int labelWindowDays,
    List<String> features,
    String bestParams,
    long trainingRows,
    double fitSeconds,
    Map<String, Double> validation,
    Map<String, Double> test,
    Map<String, Double> baseline,
    boolean champion,
    List<String> keptFeatures,
    boolean logSpend,
    String warmStartFrom,
    Map<String, Double> calibration) {}
