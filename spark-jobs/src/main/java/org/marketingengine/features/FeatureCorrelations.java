package org.marketingengine.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.covar_pop;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.try_divide;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.marketingengine.Columns.Features;

/**
 * Pearson correlation of every numeric feature with the labels {@code purchased} and {@code spend},
 * on the training rows: a first check that the features carry signal, for analysts. One
 * aggregation; one row per feature.
 */
public final class FeatureCorrelations {
  private FeatureCorrelations() {}

  public static final String FEATURE = "feature";
  public static final String WITH_PURCHASED = "corr_purchased";
  public static final String WITH_SPEND = "corr_spend";

  /**
   * Pearson correlation, null when either side is constant. Spark's {@code corr} fails on a
   * constant column with ANSI mode on (division by zero).
   */
  static Column pearson(Column x, Column y) {
    return try_divide(covar_pop(x, y), stddev_pop(x).multiply(stddev_pop(y)));
  }

  public static Dataset<Row> apply(Dataset<Row> features) {
    List<String> numeric = new ArrayList<>();
    for (StructField field : features.schema().fields()) {
      String name = field.name();
      if (field.dataType() instanceof NumericType
          && !name.equals(Features.PURCHASED)
          && !name.equals(Features.SPEND)
          && !name.equals(Features.RESPONDED)) {
        numeric.add(name);
      }
    }
    Dataset<Row> training = features.where(col(Features.PURPOSE).equalTo(UserFeatures.TRAINING));
    List<Column> aggregates = new ArrayList<>();
    for (String name : numeric) {
      Column value = col("`" + name + "`").cast(DataTypes.DoubleType);
      aggregates.add(
          pearson(value, col(Features.PURCHASED).cast(DataTypes.DoubleType)).as("p_" + name));
      aggregates.add(
          pearson(value, col(Features.SPEND).cast(DataTypes.DoubleType)).as("s_" + name));
    }
    if (aggregates.isEmpty()) {
      return training
          .sparkSession()
          .emptyDataFrame()
          .withColumn(FEATURE, lit(null).cast(DataTypes.StringType))
          .withColumn(WITH_PURCHASED, lit(null).cast(DataTypes.DoubleType))
          .withColumn(WITH_SPEND, lit(null).cast(DataTypes.DoubleType));
    }
    Dataset<Row> wide =
        training.agg(
            aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    List<Column> entries = new ArrayList<>();
    for (String name : numeric) {
      entries.add(lit(name));
      entries.add(
          org.apache.spark.sql.functions.struct(
              col("`p_" + name + "`").as(WITH_PURCHASED), col("`s_" + name + "`").as(WITH_SPEND)));
    }
    return wide.select(explode(map(entries.toArray(Column[]::new))).as(new String[] {FEATURE, "c"}))
        .select(col(FEATURE), col("c." + WITH_PURCHASED), col("c." + WITH_SPEND));
  }
}
