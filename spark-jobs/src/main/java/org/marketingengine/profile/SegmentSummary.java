package org.marketingengine.profile;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Scores;

/**
 * {@code profiles/segment_summary}: per RFM segment and per cluster ({@code kind}), users, share,
 * mean scores, value and behaviour. One aggregation per kind.
 */
public final class SegmentSummary {
  private SegmentSummary() {}

  /** One row of the summary, for the log and the console. */
  public record Segment(
      String kind, String segment, long users, Double meanPurchasePropensity, String traits) {
    static Segment of(Row r) {
      return new Segment(
          r.getAs("kind"),
          r.getAs("segment"),
          r.<Long>getAs("users"),
          r.getAs("mean_purchase_propensity"),
          r.getAs("traits"));
    }
  }

  static Dataset<Row> of(Dataset<Row> profiles, double silhouette, long users) {
    Column[] aggregates = {
      count(lit(1)).as("users"),
      avg(col(Scores.PURCHASE_PROPENSITY)).as("mean_purchase_propensity"),
      avg(col(Scores.RESPONSE_PROPENSITY)).as("mean_response_propensity"),
      avg(col(Scores.PREDICTED_SPEND)).as("mean_predicted_spend"),
      sum(col(Profiles.EXPECTED_VALUE)).as("total_expected_value"),
      avg(col(Features.RECENCY_DAYS)).as("mean_recency_days"),
      avg(col(Features.FREQUENCY)).as("mean_frequency"),
      avg(col(Features.MONETARY)).as("mean_monetary")
    };
    Column[] rest = Arrays.copyOfRange(aggregates, 1, aggregates.length);
    Dataset<Row> rfm =
        profiles
            .groupBy(col(Profiles.RFM_SEGMENT).as("segment"))
            .agg(aggregates[0], rest)
            .withColumn("kind", lit("rfm_segment"))
            .withColumn("traits", lit(null).cast(DataTypes.StringType))
            .withColumn("silhouette", lit(null).cast(DataTypes.DoubleType));
    Dataset<Row> byCluster =
        profiles
            .groupBy(
                col(Profiles.CLUSTER).cast("string").as("segment"), col(Profiles.CLUSTER_TRAITS))
            .agg(aggregates[0], rest)
            .withColumn("kind", lit("cluster"))
            .withColumnRenamed(Profiles.CLUSTER_TRAITS, "traits")
            .withColumn("silhouette", lit(silhouette));
    return rfm.unionByName(byCluster)
        .withColumn("share", col("users").divide((double) Math.max(users, 1)));
  }

  /** The published summary as rows, clusters and segments by size (a few dozen rows). */
  static List<Segment> read(Dataset<Row> summary) {
    return summary.orderBy(col("kind"), col("users").desc()).collectAsList().stream()
        .map(Segment::of)
        .toList();
  }
}
