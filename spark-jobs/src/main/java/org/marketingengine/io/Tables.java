package org.marketingengine.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns.Quarantine;

/**
 * The catalog of output tables: every table's name under the output root, the stage that writes it,
 * and, where a stage needs it, its schema. Stages find each other's tables here, never in another
 * stage's class. Every table is partitioned by {@code run_date} (see {@link TableStore}).
 */
public final class Tables {
  private Tables() {}

  /** Typed, valid rows of an input (ingest). */
  public static String bronze(String input) {
    return "bronze/" + input;
  }

  /** Rows of an input that ingest or clean removed, with the reason (ingest, clean). */
  public static String quarantine(String input) {
    return "quarantine/" + input;
  }

  /** Cleaned rows of an input (clean). */
  public static String silver(String input) {
    return "silver/" + input;
  }

  public static final String USER_FEATURES = "features/user_features";
  public static final String CATEGORY_INDEX = "features/category_index";
  public static final String FEATURE_CORRELATIONS = "features/feature_correlations";
  public static final String ITEM_VECTORS = "features/item_vectors";

  public static final String MODEL_METRICS = "metrics/model_metrics";
  public static final String MODEL_CALIBRATION = "metrics/model_calibration";
  public static final String FEATURE_IMPORTANCE = "metrics/feature_importance";
  public static final String MODEL_SCORE_BINS = "metrics/model_score_bins";
  public static final String USER_SCORES = "scores/user_scores";

  public static final String USER_PROFILES = "profiles/user_profiles";
  public static final String PROFILE_SEGMENTS = "profiles/segment_summary";

  public static final String RECOMMENDATIONS = "recommendations/user_recommendations";
  public static final String RECOMMENDATION_METRICS = "metrics/recommendation_metrics";
  public static final String RECOMMENDATION_TUNING = "metrics/recommendation_tuning";

  public static final String CAMPAIGN_EFFECT = "evaluation/campaign_effect";
  public static final String OFFER_PRIORS = "feedback/offer_priors";

  public static final String USER_STRATEGY = "strategy/user_strategy";
  public static final String STRATEGY_SEGMENTS = "strategy/segment_summary";

  /** Schema of {@code quarantine/<input>}. */
  public static final StructType QUARANTINE_SCHEMA =
      new StructType()
          .add(Quarantine.RAW_RECORD, DataTypes.StringType)
          .add(Quarantine.REASON, DataTypes.StringType)
          .add(Quarantine.SOURCE_FILE, DataTypes.StringType)
          .add(Quarantine.STAGE, DataTypes.StringType);

  /** The stage (CLI subcommand) that writes {@code table}, for "run it first" messages. */
  public static String writer(String table) {
    String head = table.substring(0, Math.max(0, table.indexOf('/')));
    return switch (head) {
      case "bronze", "quarantine" -> "ingest";
      case "silver" -> "ingest and clean";
      case "features" -> "features";
      case "scores" -> "score (or profile)";
      case "profiles" -> "profile";
      case "recommendations" -> "recommend";
      case "evaluation", "feedback" -> "evaluate";
      case "strategy" -> "strategy";
      case "metrics" ->
          switch (table) {
            case RECOMMENDATION_METRICS -> "evaluate-recs";
            case RECOMMENDATION_TUNING -> "tune-recs";
            default -> "train";
          };
      default -> "the stage that writes it";
    };
  }

  /** Every table a full run writes for these inputs, in pipeline order. */
  public static List<String> all(List<String> inputs) {
    List<String> all = new ArrayList<>();
    for (String input : inputs) {
      all.add(bronze(input));
      all.add(quarantine(input));
      all.add(silver(input));
    }
    all.addAll(
        List.of(
            USER_FEATURES,
            CATEGORY_INDEX,
            FEATURE_CORRELATIONS,
            ITEM_VECTORS,
            MODEL_METRICS,
            MODEL_CALIBRATION,
            FEATURE_IMPORTANCE,
            MODEL_SCORE_BINS,
            USER_SCORES,
            USER_PROFILES,
            PROFILE_SEGMENTS,
            RECOMMENDATIONS,
            RECOMMENDATION_METRICS,
            CAMPAIGN_EFFECT,
            OFFER_PRIORS,
            USER_STRATEGY,
            STRATEGY_SEGMENTS));
    return all;
  }
}
