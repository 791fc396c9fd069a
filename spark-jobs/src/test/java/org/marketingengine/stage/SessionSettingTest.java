package org.marketingengine.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;

/** A stage's own SQL setting holds during its body only, and never overrides the user's. */
@ExtendWith(SparkExtension.class)
class SessionSettingTest {
  private static final String KEY = "spark.sql.codegen.hugeMethodLimit";

  @Test
  void setDuringTheBodyThenRemoved(SparkSession spark) {
    spark.conf().unset(KEY);
    String inside = SessionSetting.during(spark, KEY, "8000", () -> spark.conf().get(KEY));
    assertThat(inside).isEqualTo("8000");
    assertThat(spark.conf().contains(KEY)).isFalse();
  }

  @Test
  void removedAlsoWhenTheBodyFails(SparkSession spark) {
    spark.conf().unset(KEY);
    assertThatThrownBy(
            () ->
                SessionSetting.during(
                    spark,
                    KEY,
                    "8000",
                    () -> {
                      throw new IllegalStateException("stage failed");
                    }))
        .hasMessage("stage failed");
    assertThat(spark.conf().contains(KEY)).isFalse();
  }

  @Test
  void aValueTheUserSetIsKept(SparkSession spark) {
    spark.conf().set(KEY, "20000");
    try {
      String inside = SessionSetting.during(spark, KEY, "8000", () -> spark.conf().get(KEY));
      assertThat(inside).isEqualTo("20000");
      assertThat(spark.conf().get(KEY)).isEqualTo("20000");
    } finally {
      spark.conf().unset(KEY);
    }
  }

  @Test
  void replacingPutsBackTheSessionsOwnValue(SparkSession spark) {
    spark.conf().set(KEY, "20000");
    try {
      String inside = SessionSetting.replacing(spark, KEY, "8000", () -> spark.conf().get(KEY));
      assertThat(inside).isEqualTo("8000");
      assertThat(spark.conf().get(KEY)).isEqualTo("20000");
    } finally {
      spark.conf().unset(KEY);
    }
  }
}
