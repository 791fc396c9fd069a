package org.marketingengine.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.config.FeaturesConfig;

/**
 * Leakage-free user features, as functions of DataFrames.
 *
 * <p>Every output row is an <em>anchor</em>: a user, a purpose and a time window. Training anchors
 * see {@code [T - label - feature days, T - label days)} and carry labels from {@code [T - label
 * days, T)}; scoring anchors see {@code [T - feature days, T)}; response anchors (one per campaign
 * contact) see {@code [sent_time - feature days, sent_time)} and carry {@code responded}. Each
 * family joins its source to the anchors and keeps only rows inside the anchor's window, so nothing
 * at or after a window's end can reach a feature. Shuffles: one join and one aggregation per
 * family; market context uses a small as-of table per distinct window end.
 */
public final class UserFeatures {
  private UserFeatures() {}

  public static final String TRAINING = "training";
  public static final String SCORING = "scoring";
  public static final String RESPONSE = "response";

  /** The sources of the features; only events and users' ids are needed. */
  public record Sources(
      Dataset<Row> events,
      Optional<Dataset<Row>> users,
      Optional<Dataset<Row>> items,
      Optional<Dataset<Row>> market,
      Optional<Dataset<Row>> social,
      Optional<Dataset<Row>> responses) {}

  /**
   * All features for run date {@code runDate}.
   *
   * @param categories the categories of the affinity vector, in vector order
   */
  public static Dataset<Row> apply(
      Sources sources, LocalDate runDate, FeaturesConfig config, List<String> categories) {
    return apply(sources, anchors(sources, runDate, config), config, categories);
  }

  /**
   * The anchors of run date {@code runDate}: a user, a purpose and a window per output row. Every
   * family joins them, and they read the whole events table (the users seen in events), so a caller
   * building many tables caches them and passes them to {@link #apply(Sources, Dataset,
   * FeaturesConfig, List)}.
   */
  public static Dataset<Row> anchors(Sources sources, LocalDate runDate, FeaturesConfig config) {
    return Anchors.anchors(sources, runDate, config);
  }

  /** All features for the given {@link #anchors}. */
  public static Dataset<Row> apply(
      Sources sources, Dataset<Row> anchors, FeaturesConfig config, List<String> categories) {
    Dataset<Row> events = FeatureExpressions.withCategory(sources.events(), sources.items());
    Dataset<Row> affinity = CategoryAffinity.categoryAffinity(events, anchors, config, categories);
    Dataset<Row> result =
        anchors
            .join(BehaviourFeatures.behaviour(events, anchors, config), Features.ANCHOR_ID, "left")
            .join(affinity, Features.ANCHOR_ID, "left");
    result = BehaviourFeatures.fillBehaviour(result, config, categories.size());
    result =
        result.join(
            SocialFeatures.social(sources.social(), anchors, affinity, config),
            Features.ANCHOR_ID,
            "left");
    result =
        result.join(
            MarketContext.marketContext(sources.market(), anchors, affinity, sources.users()),
            Features.ANCHOR_ID,
            "left");
    result = UserAttributes.attributes(result, sources.users(), config);
    result =
        result.join(UserAttributes.labels(sources.events(), anchors), Features.ANCHOR_ID, "left");
    result =
        result
            .withColumn(
                Features.PURCHASED,
                when(
                    col(Features.PURPOSE).equalTo(TRAINING),
                    coalesce(col(Features.PURCHASED), lit(0))))
            .withColumn(
                Features.SPEND,
                when(
                    col(Features.PURPOSE).equalTo(TRAINING),
                    coalesce(col(Features.SPEND), lit(0.0))));
    return result.drop(FeatureExpressions.LABEL_START, FeatureExpressions.TOP_CATEGORIES);
  }
}
