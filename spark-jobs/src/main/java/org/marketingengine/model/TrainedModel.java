package org.marketingengine.model;

import java.util.List;
import java.util.Map;

/**
 * One trained model and how it did.
 *
 * @param task {@code purchase}, {@code response} or {@code spend}
 * @param features the feature columns it was given
 * @param keptFeatures the inputs after selection, in the order of its feature vector
 * @param warmStartFrom the run date whose weights it started from, or null
 * @param calibration the Platt scaling of a classifier's probability ({@link Calibration}), or null
 */
public record TrainedModel(
    String name,
    String task,
    String bestParams,
    long trainingRows,
    double fitSeconds,
    Map<String, Double> validation,
    Map<String, Double> test,
    Map<String, Double> baseline,
    List<String> features,
    List<String> keptFeatures,
    String warmStartFrom,
    boolean champion,
    Map<String, Double> calibration) {

  /** The same model, marked champion of its task or not. */
  public TrainedModel withChampion(boolean isChampion) {
    return new TrainedModel(
        name,
        task,
        bestParams,
        trainingRows,
        fitSeconds,
        validation,
        test,
        baseline,
        features,
        keptFeatures,
        warmStartFrom,
        isChampion,
        calibration);
  }

  /** The card saved next to the model. */
  public ModelCard card(String runDate, int featureDays, int labelDays, boolean logSpend) {
    return new ModelCard(
        name,
        task,
        runDate,
        featureDays,
        labelDays,
        features,
        bestParams,
        trainingRows,
        fitSeconds,
        validation,
        test,
        baseline,
        champion,
        keptFeatures,
        logSpend,
        warmStartFrom,
        calibration);
  }
}
