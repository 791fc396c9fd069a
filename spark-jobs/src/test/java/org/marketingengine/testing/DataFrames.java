package org.marketingengine.testing;

import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.fail;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Small DataFrame helpers for tests: build from rows, compare whole results with a diff. */
public final class DataFrames {
  private DataFrames() {}

  /** A DataFrame of {@code rows} (arrays of values) with an explicit schema. */
  public static Dataset<Row> of(SparkSession spark, StructType schema, Object[]... rows) {
    List<Row> list = Arrays.stream(rows).map(RowFactory::create).collect(Collectors.toList());
    return spark.createDataFrame(list, schema);
  }

  /**
   * Asserts both DataFrames hold the same multiset of rows under the same column names and types
   * (column order ignored); on failure shows the rows only in one of them.
   */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    StructType expectedSchema = sorted(expected.schema());
    StructType actualSchema = sorted(actual.schema());
    if (!expectedSchema.equals(actualSchema)) {
      fail(
          "Schemas differ.%nexpected: %s%nactual:   %s",
          expectedSchema.simpleString(), actualSchema.simpleString());
    }
    Column[] order =
        Arrays.stream(expectedSchema.fieldNames())
            .map(name -> new Column("`" + name + "`"))
            .toArray(Column[]::new);
    SparkSession spark = expected.sparkSession();
    // spark-testing-base compares the multisets of rows (a count per distinct row) and shows the
    // rows that differ; both sides get one column order and one nullability first.
    COMPARISON.assertDataFrameNoOrderEquals(
        spark.createDataFrame(expected.select(order).rdd(), expectedSchema),
        spark.createDataFrame(actual.select(order).rdd(), expectedSchema));
  }

  private static final JavaDataFrameSuiteBase COMPARISON = new JavaDataFrameSuiteBase();

  /**
   * The same rows with every double and float rounded to {@code decimals} places, and vectors as
   * rounded arrays: for comparing runs whose floating-point sums may differ in the last bits.
   */
  public static Dataset<Row> rounded(Dataset<Row> rows, int decimals) {
    Column[] columns =
        Arrays.stream(rows.schema().fields())
            .map(
                f -> {
                  Column c = new Column("`" + f.name() + "`");
                  if (f.dataType() instanceof org.apache.spark.sql.types.DoubleType
                      || f.dataType() instanceof org.apache.spark.sql.types.FloatType) {
                    return round(c, decimals).as(f.name());
                  }
                  if (f.dataType() instanceof org.apache.spark.ml.linalg.VectorUDT) {
                    Column array =
                        transform(
                            org.apache.spark.ml.functions.vector_to_array(c, "float64"),
                            x -> round(x, decimals));
                    return when(c.isNotNull(), array).as(f.name());
                  }
                  return c;
                })
            .toArray(Column[]::new);
    return rows.select(columns);
  }

  private static StructType sorted(StructType schema) {
    return new StructType(
        Arrays.stream(schema.fields())
            .map(
                f ->
                    new org.apache.spark.sql.types.StructField(
                        f.name(), f.dataType(), true, org.apache.spark.sql.types.Metadata.empty()))
            .sorted((x, y) -> x.name().compareTo(y.name()))
            .toArray(org.apache.spark.sql.types.StructField[]::new));
  }
}
