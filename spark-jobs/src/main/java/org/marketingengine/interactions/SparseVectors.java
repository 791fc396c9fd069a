package org.marketingengine.interactions;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Vectors with one slot per category, built from the few slots a row uses: with thousands of
 * categories a dense vector per user or item (and one expression per category) does not fit.
 */
public final class SparseVectors {
  /** Field names of an entry: the slot and its value. */
  public static final String INDEX = "index";

  public static final String VALUE = "value";

  private SparseVectors() {}

  /** An entry of a sparse vector: {@code struct(index, value)}. */
  public static Column entry(Column index, Column value) {
    return org.apache.spark.sql.functions.struct(
        index.cast(DataTypes.IntegerType).as(INDEX), value.cast(DataTypes.DoubleType).as(VALUE));
  }

  /**
   * A function of an array of {@link #entry entries} to a vector of {@code size}: entries with a
   * null or out-of-range index or a zero or null value are skipped, entries of one index summed, a
   * null array is empty.
   */
  public static UserDefinedFunction of(int size) {
    UDF1<Seq<Row>, Vector> build = entries -> build(size, entries);
    return udf(build, SQLDataTypes.VectorType());
  }

  /** A vector of {@code size} zeros, stored sparse. */
  public static Column zeros(int size) {
    return of(size).apply(array().cast(DataTypes.createArrayType(entryType())));
  }

  /** The type of {@link #entry}. */
  public static StructType entryType() {
    return new StructType().add(INDEX, DataTypes.IntegerType).add(VALUE, DataTypes.DoubleType);
  }

  /** {@code names} with their position: {@code name, index}, small enough to broadcast. */
  public static Dataset<Row> positions(SparkSession spark, List<String> names, String nameColumn) {
    List<Row> rows = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      rows.add(org.apache.spark.sql.RowFactory.create(names.get(i), i));
    }
    StructType schema =
        new StructType().add(nameColumn, DataTypes.StringType).add(INDEX, DataTypes.IntegerType);
    return broadcast(spark.createDataFrame(rows, schema));
  }

  /** The same vector stored sparse when that is smaller (a mean of sparse vectors is dense). */
  public static final UserDefinedFunction COMPRESSED =
      udf((UDF1<Vector, Vector>) v -> v == null ? null : v.compressed(), SQLDataTypes.VectorType());

  /** The entries as a vector of {@code size}, see {@link #of}. */
  static Vector build(int size, Seq<Row> entries) {
    TreeMap<Integer, Double> slots = new TreeMap<>();
    int n = entries == null ? 0 : entries.length();
    for (int k = 0; k < n; k++) {
      Row e = entries.apply(k);
      if (e != null && !e.isNullAt(0) && !e.isNullAt(1) && e.getDouble(1) != 0) {
        int index = e.getInt(0);
        if (index >= 0 && index < size) {
          slots.merge(index, e.getDouble(1), Double::sum);
        }
      }
    }
    int[] indices = slots.keySet().stream().mapToInt(Integer::intValue).toArray();
    double[] values = slots.values().stream().mapToDouble(Double::doubleValue).toArray();
    return Vectors.sparse(size, indices, values);
  }

  /**
   * The positions of the {@code top} largest positive values among the first {@code limit} slots,
   * largest first (ties: lower slot first).
   */
  public static int[] topPositive(Vector v, int limit, int top) {
    if (v == null) {
      return new int[0];
    }
    SparseVector sparse = v.toSparse();
    int[] indices = sparse.indices();
    double[] values = sparse.values();
    List<Integer> positive = new ArrayList<>();
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < limit && values[k] > 0) {
        positive.add(k);
      }
    }
    positive.sort(
        (a, b) -> {
          int byValue = Double.compare(values[b], values[a]);
          return byValue != 0 ? byValue : Integer.compare(indices[a], indices[b]);
        });
    return positive.stream().limit(top).mapToInt(k -> indices[k]).toArray();
  }
}
