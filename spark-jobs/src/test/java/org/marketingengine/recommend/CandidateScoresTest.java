package org.marketingengine.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.ml.linalg.Vectors;
import org.junit.jupiter.api.Test;

class CandidateScoresTest {

  @Test
  void dotSumsTheProductsOfMatchingFactors() {
    assertThat(CandidateScores.dot(Vectors.dense(1, 2, 3), Vectors.dense(4, -5, 0.5)))
        .isEqualTo(1 * 4 - 2 * 5 + 3 * 0.5);
  }

  @Test
  void dotIsZeroWhenASideIsMissingOrTheLengthsDiffer() {
    assertThat(CandidateScores.dot(null, Vectors.dense(1, 2))).isZero();
    assertThat(CandidateScores.dot(Vectors.dense(1, 2), null)).isZero();
    assertThat(CandidateScores.dot(Vectors.dense(1, 2), Vectors.dense(1, 2, 3))).isZero();
  }

  @Test
  void dotAddsInFactorOrderLikeTheSqlExpressionItReplaced() {
    // (1e16 + 1) - 1e16 is 0 in doubles when added left to right, 1 in other orders.
    assertThat(CandidateScores.dot(Vectors.dense(1e16, 1, -1e16), Vectors.dense(1, 1, 1)))
        .isEqualTo(((1e16 + 1) + -1e16));
  }
}
