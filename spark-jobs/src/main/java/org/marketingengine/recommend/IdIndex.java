package org.marketingengine.recommend;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Dense integer ids for ALS, which needs int user and item ids: the distinct string ids, sorted,
 * numbered 0, 1, 2, ... by {@code zipWithIndex} (no single-partition window). The same table maps
 * ids in for fitting and back out for recommending, so both sides always agree.
 */
public final class IdIndex {
  public static final String INDEX = "idx";

  private IdIndex() {}

  /** {@code (idColumn, idx)} for the distinct non-null values of {@code idColumn}. */
  public static Dataset<Row> build(Dataset<Row> rows, String idColumn) {
    Dataset<Row> ids =
        rows.select(idColumn).where(rows.col(idColumn).isNotNull()).distinct().orderBy(idColumn);
    JavaRDD<Row> numbered =
        ids.javaRDD()
            .zipWithIndex()
            .map(
                pair -> {
                  if (pair._2() > Integer.MAX_VALUE) {
                    throw new IllegalStateException("More than 2^31 ids in " + idColumn);
                  }
                  return RowFactory.create(pair._1().getString(0), pair._2().intValue());
                });
    StructType schema =
        new StructType()
            .add(idColumn, DataTypes.StringType, false)
            .add(INDEX, DataTypes.IntegerType, false);
    return rows.sparkSession().createDataFrame(numbered, schema);
  }
}
