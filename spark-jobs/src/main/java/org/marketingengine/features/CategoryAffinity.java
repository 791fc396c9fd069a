package org.marketingengine.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.features.FeatureExpressions.CATEGORY;
import static org.marketingengine.features.FeatureExpressions.TOP_CATEGORIES;
import static org.marketingengine.features.FeatureExpressions.inWindow;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.FeaturesConfig;
import org.marketingengine.interactions.SparseVectors;

/** Per anchor the share of weighted activity in each category, and the top categories. */
final class CategoryAffinity {
  private CategoryAffinity() {}

  /**
   * Per anchor the share of weighted activity in each category (a sparse vector in {@code
   * categories} order, summing to 1), the top category, and the top categories with their shares.
   */
  static Dataset<Row> categoryAffinity(
      Dataset<Row> events, Dataset<Row> anchors, FeaturesConfig config, List<String> categories) {
    Column weight = lit(0.0);
    for (Map.Entry<String, Double> w : config.eventWeights().entrySet()) {
      weight =
          when(col(Events.EVENT_TYPE).equalTo(w.getKey()), lit(w.getValue())).otherwise(weight);
    }
    Dataset<Row> perCategory =
        inWindow(events.where(col(CATEGORY).isNotNull()), Events.EVENT_TIME, anchors)
            .groupBy(col(Features.ANCHOR_ID), col(CATEGORY))
            .agg(sum(weight).as("_weight"));
    Column share =
        col("_weight")
            .divide(sum(col("_weight")).over(Window.partitionBy(col(Features.ANCHOR_ID))));
    Dataset<Row> shares =
        perCategory
            .withColumn("_share", share)
            .where(col("_weight").gt(0))
            .join(
                SparseVectors.positions(events.sparkSession(), categories, CATEGORY),
                CATEGORY,
                "left");
    Dataset<Row> aggregated =
        shares
            .groupBy(col(Features.ANCHOR_ID))
            .agg(
                collect_list(
                        when(
                            col(SparseVectors.INDEX).isNotNull(),
                            SparseVectors.entry(col(SparseVectors.INDEX), col("_share"))))
                    .as("_entries"),
                max_by(col(CATEGORY), struct(col("_share"), col(CATEGORY)))
                    .as(Features.TOP_CATEGORY),
                slice(
                        sort_array(collect_list(struct(col("_share"), col(CATEGORY))), false),
                        1,
                        config.topCategories())
                    .as(TOP_CATEGORIES));
    Column affinity = SparseVectors.of(categories.size()).apply(col("_entries"));
    return aggregated.select(
        col(Features.ANCHOR_ID),
        affinity.as(Features.CATEGORY_AFFINITY),
        col(Features.TOP_CATEGORY),
        col(TOP_CATEGORIES));
  }
}
