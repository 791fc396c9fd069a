package org.marketingengine.evaluate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.evaluate.CampaignEffect.ALL;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.campaign.CampaignEconomics;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.StageContext;

/** The segment and the cost of each campaign response, for the effect per segment and the ROI. */
final class ResponseSegments {
  static final String SEGMENT = "segment";
  static final String COST = "_cost";

  private ResponseSegments() {}

  /**
   * The segment of each response: from {@code evaluate.segment-sql} over silver/users if set; else
   * the segment the strategy table recorded for the user and campaign (latest run); else the user's
   * RFM segment of the run date's profiles; else "all".
   */
  static Dataset<Row> withSegments(StageContext context, Dataset<Row> responses) {
    Optional<String> sql = context.config().evaluate().segmentSql();
    if (sql.isPresent()) {
      Dataset<Row> users =
          context
              .optional(Tables.silver(InputSchemas.USERS))
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "Cannot evaluate: marketing.evaluate.segment-sql needs silver/users for "
                              + context.runDate()));
      return responses
          .join(bySql(users, sql.get()), Responses.USER_ID, "left")
          .withColumn(SEGMENT, coalesce(col(SEGMENT), lit(ALL)));
    }
    Dataset<Row> result = responses;
    Column segment = lit(null).cast("string");
    List<LocalDate> planned = context.tables().dates(Tables.USER_STRATEGY);
    if (!planned.isEmpty()) {
      Dataset<Row> strategy =
          context
              .tables()
              .read(Tables.USER_STRATEGY, planned)
              .select(
                  col(Strategy.CAMPAIGN_ID),
                  col(Strategy.USER_ID),
                  col(Strategy.SEGMENT).as("_planned_segment"),
                  col(Columns.RUN_DATE));
      Dataset<Row> latest =
          strategy
              .groupBy(Strategy.CAMPAIGN_ID, Strategy.USER_ID)
              .agg(max_by(col("_planned_segment"), col(Columns.RUN_DATE)).as("_planned_segment"));
      result = result.join(latest, new String[] {Strategy.CAMPAIGN_ID, Strategy.USER_ID}, "left");
      segment = col("_planned_segment");
    }
    Optional<Dataset<Row>> profiles = context.optional(Tables.USER_PROFILES);
    if (profiles.isPresent()) {
      result =
          result.join(
              profiles
                  .get()
                  .select(col(Responses.USER_ID), col(Profiles.RFM_SEGMENT).as("_profile_segment")),
              Responses.USER_ID,
              "left");
      segment = coalesce(segment, col("_profile_segment"));
    }
    return result.withColumn(SEGMENT, coalesce(segment, lit(ALL)));
  }

  /** {@code user_id, segment} by the configured SQL expression; a bad expression is exit 2. */
  private static Dataset<Row> bySql(Dataset<Row> users, String sql) {
    try {
      Dataset<Row> segments =
          users.select(col(Responses.USER_ID), expr(sql).cast("string").as(SEGMENT));
      segments.schema();
      return segments;
    } catch (Exception e) {
      if (e instanceof RuntimeException runtime && !(e instanceof AnalysisException)) {
        throw runtime;
      }
      throw new InvalidConfigException(
          "Config key 'marketing.evaluate.segment-sql' is not a valid expression over"
              + " silver/users: "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  /**
   * Cost of each treatment contact: the channel's contact cost, plus for a conversion the offer's
   * cost (percent of the revenue, or its amount). Control rows cost nothing.
   */
  static Dataset<Row> withCost(Dataset<Row> rows, StrategyConfig settings) {
    Column contact =
        CampaignEconomics.perChannel(
            settings, col(Responses.CHANNEL), StrategyConfig.Channel::cost, 0.0);
    Column revenue = coalesce(col(Responses.REVENUE), lit(0.0));
    Column offerCost = lit(0.0);
    for (Map.Entry<String, StrategyConfig.Offer> e : settings.offers().entrySet()) {
      offerCost =
          when(
                  col(Responses.OFFER).equalTo(e.getKey()),
                  CampaignEconomics.offerCost(e.getValue(), revenue))
              .otherwise(offerCost);
    }
    Column cost =
        when(
                col(Responses.GROUP).equalTo("treatment"),
                contact.plus(when(col(Responses.CONVERTED), offerCost).otherwise(0.0)))
            .otherwise(0.0);
    return rows.withColumn(COST, cost);
  }
}
