package org.marketingengine.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The comparison the other tests rely on must see every kind of difference. */
@ExtendWith(SparkExtension.class)
class DataFramesTest {
  static final StructType SCHEMA =
      new StructType().add("user_id", DataTypes.StringType).add("score", DataTypes.DoubleType);

  static Dataset<Row> rows(SparkSession spark, Object[]... rows) {
    return DataFrames.of(spark, SCHEMA, rows);
  }

  @Test
  void sameRowsInAnotherOrderAndColumnOrderAreEqual(SparkSession spark) {
    Dataset<Row> expected = rows(spark, new Object[] {"a", 1.0}, new Object[] {"b", 2.0});
    Dataset<Row> actual =
        rows(spark, new Object[] {"b", 2.0}, new Object[] {"a", 1.0}).select("score", "user_id");

    assertThatCode(() -> DataFrames.assertSameRows(expected, actual)).doesNotThrowAnyException();
  }

  @Test
  void aChangedValueAMissingDuplicateOrAnotherColumnIsADifference(SparkSession spark) {
    Dataset<Row> expected =
        rows(spark, new Object[] {"a", 1.0}, new Object[] {"a", 1.0}, new Object[] {"b", 2.0});

    assertThatThrownBy(
            () ->
                DataFrames.assertSameRows(
                    expected,
                    rows(
                        spark,
                        new Object[] {"a", 1.0},
                        new Object[] {"a", 1.0},
                        new Object[] {"b", 2.000001})))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () ->
                DataFrames.assertSameRows(
                    expected, rows(spark, new Object[] {"a", 1.0}, new Object[] {"b", 2.0})))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () -> DataFrames.assertSameRows(expected, expected.withColumnRenamed("score", "s")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Schemas differ");
  }

  @Test
  void roundingHidesOnlyTheLastBits(SparkSession spark) {
    Dataset<Row> expected = rows(spark, new Object[] {"a", 0.1 + 0.2});
    Dataset<Row> close = rows(spark, new Object[] {"a", 0.3});
    Dataset<Row> far = rows(spark, new Object[] {"a", 0.3001});

    assertThatCode(
            () ->
                DataFrames.assertSameRows(
                    DataFrames.rounded(expected, 6), DataFrames.rounded(close, 6)))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                DataFrames.assertSameRows(
                    DataFrames.rounded(expected, 6), DataFrames.rounded(far, 6)))
        .isInstanceOf(AssertionError.class);
  }
}
