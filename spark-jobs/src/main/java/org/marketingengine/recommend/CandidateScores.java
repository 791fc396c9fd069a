package org.marketingengine.recommend;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/** The per-pair arithmetic of {@link Recommender#score}, as Spark functions of vector columns. */
final class CandidateScores {
  private CandidateScores() {}

  /**
   * The dot product of a user's and an item's ALS factors, summed in factor order (so the same
   * factors always give the same double), 0 when either is missing or their lengths differ.
   */
  static double dot(Vector user, Vector item) {
    if (user == null || item == null || user.size() != item.size()) {
      return 0.0;
    }
    double[] u = user.toArray();
    double[] v = item.toArray();
    double sum = 0.0;
    for (int i = 0; i < u.length; i++) {
      sum += u[i] * v[i];
    }
    return sum;
  }

  /** {@link #dot} of two vector columns. */
  static final UserDefinedFunction DOT =
      functions.udf((Vector u, Vector v) -> dot(u, v), DataTypes.DoubleType);
}
