package org.marketingengine.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.marketingengine.features.FeatureExpressions.inWindow;
import static org.marketingengine.features.FeatureExpressions.optional;
import static org.marketingengine.features.FeatureExpressions.ratio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Social;
import org.marketingengine.config.FeaturesConfig;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.quality.StageCounts;

/** Social interactions per type and platform, sentiment, and share about the top category. */
final class SocialFeatures {
  private SocialFeatures() {}

  /** Interactions per type and platform, mean sentiment, share about the top category. */
  static Dataset<Row> social(
      Optional<Dataset<Row>> social,
      Dataset<Row> anchors,
      Dataset<Row> affinity,
      FeaturesConfig config) {
    List<String> names = new ArrayList<>();
    names.add(Features.SOCIAL_INTERACTIONS);
    for (String t : InputSchemas.INTERACTION_TYPES) {
      names.add(Features.SOCIAL_PREFIX + t);
    }
    for (String p : config.platforms()) {
      names.add(Features.SOCIAL_PREFIX + p);
    }
    if (social.isEmpty()) {
      Dataset<Row> empty = anchors.select(col(Features.ANCHOR_ID));
      for (String n : names) {
        empty = empty.withColumn(n, lit(0L));
      }
      return empty
          .withColumn(Features.SENTIMENT, lit(null).cast(DataTypes.DoubleType))
          .withColumn(Features.SOCIAL_TOP_CATEGORY_SHARE, lit(0.0));
    }
    Dataset<Row> rows =
        inWindow(social.get(), Social.EVENT_TIME, anchors)
            .join(
                affinity.select(Features.ANCHOR_ID, Features.TOP_CATEGORY),
                Features.ANCHOR_ID,
                "left");
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as(Features.SOCIAL_INTERACTIONS));
    for (String t : InputSchemas.INTERACTION_TYPES) {
      aggregates.add(
          StageCounts.countWhere(col(Social.INTERACTION_TYPE).equalTo(t))
              .as(Features.SOCIAL_PREFIX + t));
    }
    for (String p : config.platforms()) {
      aggregates.add(
          StageCounts.countWhere(col(Social.PLATFORM).equalTo(p)).as(Features.SOCIAL_PREFIX + p));
    }
    aggregates.add(
        avg(optional(social.get(), Social.SENTIMENT).cast(DataTypes.DoubleType))
            .as(Features.SENTIMENT));
    aggregates.add(
        StageCounts.countWhere(
                optional(social.get(), Social.CATEGORY).equalTo(col(Features.TOP_CATEGORY)))
            .as("_about_top"));
    Dataset<Row> aggregated =
        rows.groupBy(col(Features.ANCHOR_ID))
            .agg(
                aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    Dataset<Row> result =
        anchors.select(col(Features.ANCHOR_ID)).join(aggregated, Features.ANCHOR_ID, "left");
    for (String n : names) {
      result = result.withColumn(n, coalesce(col(n), lit(0L)));
    }
    return result
        .withColumn(
            Features.SOCIAL_TOP_CATEGORY_SHARE,
            ratio(coalesce(col("_about_top"), lit(0L)), col(Features.SOCIAL_INTERACTIONS)))
        .drop("_about_top");
  }
}
