package org.marketingengine.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Profiles;

/**
 * RFM scores (quintiles, 5 best) and named segments. Recency is scored over every user (fewer days
 * since the last event is better); frequency and monetary over the users who bought in the feature
 * window (users without purchases have no F and M score). Quintile boundaries come from {@code
 * approxQuantile}, so scoring costs one pass, not a global sort.
 *
 * <p>Segments, first rule that matches: no purchase and signed up at most {@code new-user-days}
 * ago: {@code new}; no purchase, R >= 4: {@code promising}; no purchase: {@code hibernating}; R >=
 * 4 and F >= 4: {@code champions}; F >= 3 and R >= 3: {@code loyal}; F >= 3: {@code at_risk}; R >=
 * 4: {@code promising}; R = 3: {@code needs_attention}; otherwise {@code hibernating}.
 */
public final class RfmSegments {
  public static final String R_SCORE = Profiles.R_SCORE;
  public static final String F_SCORE = Profiles.F_SCORE;
  public static final String M_SCORE = Profiles.M_SCORE;
  public static final String SEGMENT = Profiles.RFM_SEGMENT;
  static final double[] QUINTILES = {0.2, 0.4, 0.6, 0.8};
  private static final double RELATIVE_ERROR = 0.001;

  private RfmSegments() {}

  /** Adds the three scores and the segment to rows with recency, frequency, monetary, tenure. */
  public static Dataset<Row> apply(Dataset<Row> users, int newUserDays) {
    Column bought = col(Features.FREQUENCY).gt(0);
    double[] recency =
        users.stat().approxQuantile(Features.RECENCY_DAYS, QUINTILES, RELATIVE_ERROR);
    Dataset<Row> buyers = users.where(bought);
    double[] frequency =
        buyers.stat().approxQuantile(Features.FREQUENCY, QUINTILES, RELATIVE_ERROR);
    double[] monetary = buyers.stat().approxQuantile(Features.MONETARY, QUINTILES, RELATIVE_ERROR);
    Dataset<Row> scored =
        users
            .withColumn(R_SCORE, lit(6).minus(score(col(Features.RECENCY_DAYS), recency)))
            .withColumn(
                F_SCORE,
                when(bought, score(col(Features.FREQUENCY), frequency)).otherwise(lit(null)))
            .withColumn(
                M_SCORE,
                when(bought, score(col(Features.MONETARY), monetary)).otherwise(lit(null)));
    return scored.withColumn(SEGMENT, segment(newUserDays));
  }

  /**
   * 1 + the number of boundaries below the value: 1..5 for four boundaries (ties go to the lower
   * score). With no boundaries (no rows) every value scores 1.
   */
  static Column score(Column value, double[] boundaries) {
    Column score = lit(1);
    for (double b : boundaries) {
      score = score.plus(when(value.gt(b), 1).otherwise(0));
    }
    return score;
  }

  static Column segment(int newUserDays) {
    Column r = col(R_SCORE);
    Column f = col(F_SCORE);
    Column tenure = col(Features.TENURE_DAYS);
    return when(f.isNull().and(tenure.isNotNull()).and(tenure.leq(newUserDays)), "new")
        .when(f.isNull().and(r.geq(4)), "promising")
        .when(f.isNull(), "hibernating")
        .when(r.geq(4).and(f.geq(4)), "champions")
        .when(f.geq(3).and(r.geq(3)), "loyal")
        .when(f.geq(3), "at_risk")
        .when(r.geq(4), "promising")
        .when(r.equalTo(3), "needs_attention")
        .otherwise("hibernating");
  }
}
