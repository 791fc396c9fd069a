package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;

/**
 * {@code strategy/segment_summary} (per campaign, segment and objective: users, contacts, control,
 * contacts per offer, expected value, budget used, expected profit) and the per-campaign totals,
 * both typed for the console and the log.
 */
public final class StrategySummary {
  private StrategySummary() {}

  /** One row of {@code strategy/segment_summary}. */
  public record Segment(
      String campaignId,
      String segment,
      String objective,
      long users,
      long contacted,
      long control,
      Map<String, Long> contactsByOffer,
      double expectedValue,
      double budgetUsed,
      double expectedProfit) {}

  /** Per campaign: users planned, contacted, control, expected cost and profit of the contacts. */
  public record Campaign(
      String campaignId,
      long users,
      long contacted,
      long control,
      double expectedCost,
      double expectedProfit) {}

  static Dataset<Row> table(Dataset<Row> strategy) {
    List<Column> aggregates = new ArrayList<>();
    Column contacted = col(Strategy.CONTACTED);
    aggregates.add(sum(when(contacted, 1).otherwise(0)).as("contacted"));
    aggregates.add(sum(when(col(Strategy.GROUP).equalTo("control"), 1).otherwise(0)).as("control"));
    for (String offer : StrategyConfig.OFFERS) {
      aggregates.add(
          sum(when(col(Strategy.OFFER).equalTo(offer), 1).otherwise(0)).as("offer_" + offer));
    }
    aggregates.add(
        sum(when(contacted, col(Strategy.EXPECTED_VALUE)).otherwise(0.0)).as("expected_value"));
    aggregates.add(
        sum(when(contacted, col(Strategy.EXPECTED_COST)).otherwise(0.0)).as("budget_used"));
    aggregates.add(
        sum(when(contacted, col(Strategy.EXPECTED_PROFIT)).otherwise(0.0)).as("expected_profit"));
    return strategy
        .groupBy(col(Strategy.CAMPAIGN_ID), col(Strategy.SEGMENT), col(Strategy.OBJECTIVE))
        .agg(count(lit(1)).as("users"), aggregates.toArray(Column[]::new));
  }

  /** The published summary, sorted (a few rows per campaign). */
  static List<Segment> segments(Dataset<Row> summary) {
    List<Segment> out = new ArrayList<>();
    for (Row r :
        summary
            .orderBy(col(Strategy.CAMPAIGN_ID), col(Strategy.SEGMENT), col(Strategy.OBJECTIVE))
            .collectAsList()) {
      Map<String, Long> byOffer = new LinkedHashMap<>();
      for (String offer : StrategyConfig.OFFERS) {
        byOffer.put(offer, r.<Long>getAs("offer_" + offer));
      }
      out.add(
          new Segment(
              r.getAs(Strategy.CAMPAIGN_ID),
              r.getAs(Strategy.SEGMENT),
              r.getAs(Strategy.OBJECTIVE),
              r.<Long>getAs("users"),
              r.<Long>getAs("contacted"),
              r.<Long>getAs("control"),
              byOffer,
              r.<Double>getAs("expected_value"),
              r.<Double>getAs("budget_used"),
              r.<Double>getAs("expected_profit")));
    }
    return out;
  }

  /** Per-campaign totals from the segment rows. */
  static List<Campaign> campaigns(List<Segment> segments) {
    Map<String, Campaign> byCampaign = new LinkedHashMap<>();
    for (Segment s : segments) {
      Campaign c =
          byCampaign.getOrDefault(s.campaignId(), new Campaign(s.campaignId(), 0, 0, 0, 0, 0));
      byCampaign.put(
          s.campaignId(),
          new Campaign(
              s.campaignId(),
              c.users() + s.users(),
              c.contacted() + s.contacted(),
              c.control() + s.control(),
              c.expectedCost() + s.budgetUsed(),
              c.expectedProfit() + s.expectedProfit()));
    }
    return List.copyOf(byCampaign.values());
  }
}
