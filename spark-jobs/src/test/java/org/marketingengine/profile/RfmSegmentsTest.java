package org.marketingengine.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class RfmSegmentsTest {

  @Test
  void quintileScoresAndNamedSegments(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("recency_days", DataTypes.DoubleType)
            .add("frequency", DataTypes.LongType)
            .add("monetary", DataTypes.DoubleType)
            .add("tenure_days", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    // 100 buyers: b<i> with recency i, frequency 1 + i / 10, monetary 10 i.
    for (int i = 1; i <= 100; i++) {
      rows.add(RowFactory.create("b" + i, (double) i, 1L + i / 10, 10.0 * i, 400));
    }
    rows.add(RowFactory.create("fresh", 90.0, 0L, 0.0, 5));
    rows.add(RowFactory.create("browser", 1.0, 0L, 0.0, 400));
    rows.add(RowFactory.create("gone", 90.0, 0L, 0.0, 400));
    rows.add(RowFactory.create("unknown_signup", 90.0, 0L, 0.0, null));
    Dataset<Row> scored = RfmSegments.apply(spark.createDataFrame(rows, schema), 30);
    Map<String, Row> byUser =
        scored.collectAsList().stream()
            .collect(Collectors.toMap(r -> r.<String>getAs("user_id"), r -> r));

    // Most recent and most frequent buyer vs the opposite end.
    assertThat(byUser.get("b1").<Integer>getAs("r_score")).isEqualTo(5);
    assertThat(byUser.get("b100").<Integer>getAs("f_score")).isEqualTo(5);
    assertThat(byUser.get("b100").<Integer>getAs("m_score")).isEqualTo(5);
    assertThat(byUser.get("b1").<Integer>getAs("f_score")).isEqualTo(1);
    assertThat(byUser.get("b100").<Integer>getAs("r_score")).isEqualTo(1);
    // Scores are quintiles: each score holds about a fifth of the buyers.
    long fives = scored.where("m_score = 5").count();
    assertThat(fives).isBetween(18L, 22L);

    assertThat(segment(byUser, "fresh")).isEqualTo("new");
    assertThat(segment(byUser, "browser")).isEqualTo("promising");
    assertThat(segment(byUser, "gone")).isEqualTo("hibernating");
    assertThat(segment(byUser, "unknown_signup")).isEqualTo("hibernating");
    assertThat(byUser.get("gone").isNullAt(byUser.get("gone").fieldIndex("f_score"))).isTrue();
    // b80..b90: frequency 9-10 (top quintile), recency 80-90 (bottom): at risk.
    assertThat(segment(byUser, "b85")).isEqualTo("at_risk");
    // b100: highest F but least recent.
    assertThat(segment(byUser, "b100")).isEqualTo("at_risk");
    // b5: very recent, few purchases.
    assertThat(segment(byUser, "b5")).isEqualTo("promising");
    assertThat(segment(byUser, "b50")).isIn("needs_attention", "loyal");
  }

  private static String segment(Map<String, Row> byUser, String user) {
    return byUser.get(user).getAs("rfm_segment");
  }
}
