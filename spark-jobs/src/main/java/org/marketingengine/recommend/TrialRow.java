package org.marketingengine.recommend;

/**
 * One row of {@code metrics/recommendation_tuning}: one ALS fit of {@code tune-recs} ranked with
 * one blend weight, item weight and category cap, measured on the validation split ({@code value}
 * is the metric chosen on; {@code chosen} marks the row whose settings were written).
 */
public record TrialRow(
    int fit,
    int rank,
    double regParam,
    double alpha,
    int maxIter,
    String eventWeights,
    boolean ratingScaling,
    double blendWeight,
    double itemWeight,
    int maxPerCategory,
    String metric,
    int k,
    double precision,
    double recall,
    double ndcg,
    double map,
    double hitRate,
    double value,
    long users,
    double fitSeconds,
    boolean chosen) {

  TrialRow asChosen() {
    return new TrialRow(
        fit,
        rank,
        regParam,
        alpha,
        maxIter,
        eventWeights,
        ratingScaling,
        blendWeight,
        itemWeight,
        maxPerCategory,
        metric,
        k,
        precision,
        recall,
        ndcg,
        map,
        hitRate,
        value,
        users,
        fitSeconds,
        true);
  }
}
