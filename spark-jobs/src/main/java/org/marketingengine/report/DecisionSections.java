package org.marketingengine.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Priors;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.io.Tables;
import org.marketingengine.report.ReportSummary.Campaign;
import org.marketingengine.report.ReportSummary.Cell;
import org.marketingengine.report.ReportSummary.Count;
import org.marketingengine.report.ReportSummary.Effect;
import org.marketingengine.report.ReportSummary.Prior;
import org.marketingengine.stage.StageContext;

/**
 * The sections about decisions: the strategy (contacts, control, spend against budget per campaign,
 * allocation by segment and offer and by channel, why users were not contacted) and the measured
 * campaign effect (uplift with its 95% interval, p-value, incremental revenue, ROI) with the offer
 * priors it feeds into the next strategy.
 */
final class DecisionSections {
  private DecisionSections() {}

  static ReportSummary.Strategy strategy(StageContext context) {
    Optional<Dataset<Row>> table = context.optional(Tables.USER_STRATEGY);
    if (table.isEmpty()) {
      return new ReportSummary.Strategy(
          ReportSummary.NOT_RUN,
          "strategy has not run for this date",
          List.of(),
          List.of(),
          List.of(),
          List.of());
    }
    Dataset<Row> s = table.get();
    Column contacted = when(col(Strategy.CONTACTED), lit(1L)).otherwise(lit(0L));
    Column control = when(col(Strategy.GROUP).equalTo("control"), lit(1L)).otherwise(lit(0L));
    List<Campaign> campaigns = new ArrayList<>();
    for (Row r :
        s.groupBy(col(Strategy.CAMPAIGN_ID))
            .agg(
                count(lit(1)).as("users"),
                sum(contacted).as("contacts"),
                sum(control).as("control"),
                sum(when(col(Strategy.CONTACTED), col(Strategy.EXPECTED_COST)).otherwise(lit(0.0)))
                    .as("spend"))
            .orderBy(Strategy.CAMPAIGN_ID)
            .collectAsList()) {
      String id = r.getAs(Strategy.CAMPAIGN_ID);
      campaigns.add(
          new Campaign(
              id,
              r.<Long>getAs("users"),
              r.<Long>getAs("contacts"),
              r.<Long>getAs("control"),
              r.isNullAt(r.fieldIndex("spend")) ? 0 : r.<Double>getAs("spend"),
              budget(context.config().strategy(), id)));
    }
    List<Cell> cells = new ArrayList<>();
    for (Row r :
        s.where(col(Strategy.CONTACTED))
            .groupBy(col(Strategy.SEGMENT), col(Strategy.OFFER))
            .agg(count(lit(1)).as("n"))
            .orderBy(Strategy.SEGMENT, Strategy.OFFER)
            .collectAsList()) {
      cells.add(new Cell(text(r, 0), text(r, 1), r.getLong(2)));
    }
    return new ReportSummary.Strategy(
        ReportSummary.OK,
        null,
        campaigns,
        cells,
        counts(s.where(col(Strategy.CONTACTED)), col(Strategy.CHANNEL), 20),
        counts(
            s.where(
                col(Strategy.CONTACTED).unary_$bang().and(col(Strategy.GROUP).notEqual("control"))),
            col(Strategy.REASON),
            12));
  }

  /** The configured budget of a campaign, or null when the campaign is not configured. */
  private static Double budget(StrategyConfig config, String campaignId) {
    StrategyConfig.Campaign campaign = config.campaigns().get(campaignId);
    return campaign == null ? null : campaign.budget();
  }

  /** Rows per value of {@code by}, the most frequent first, at most {@code limit}. */
  static List<Count> counts(Dataset<Row> rows, Column by, int limit) {
    List<Count> counts = new ArrayList<>();
    for (Row r :
        rows.groupBy(by.as("_label"))
            .agg(count(lit(1)).as("n"))
            .orderBy(col("n").desc(), col("_label"))
            .limit(limit)
            .collectAsList()) {
      counts.add(new Count(text(r, 0), r.getLong(1)));
    }
    return counts;
  }

  private static String text(Row r, int i) {
    return r.isNullAt(i) ? "(none)" : String.valueOf(r.get(i));
  }

  static ReportSummary.CampaignEffect campaignEffect(StageContext context) {
    Optional<Dataset<Row>> table = context.optional(Tables.CAMPAIGN_EFFECT);
    if (table.isEmpty()) {
      return new ReportSummary.CampaignEffect(
          ReportSummary.NOT_RUN,
          "evaluate has not run for this date (no campaign responses)",
          List.of(),
          List.of());
    }
    List<Effect> effects = new ArrayList<>();
    for (Row r : table.get().orderBy("campaign_id", "dimension", "value").collectAsList()) {
      effects.add(
          new Effect(
              r.getAs("campaign_id"),
              r.getAs("dimension"),
              r.getAs("value"),
              r.<Long>getAs("treatment_users"),
              r.<Long>getAs("control_users"),
              r.<Double>getAs("uplift"),
              r.<Double>getAs("uplift_lower"),
              r.<Double>getAs("uplift_upper"),
              r.<Double>getAs("p_value"),
              r.<Double>getAs("incremental_revenue"),
              r.<Double>getAs("roi")));
    }
    List<Prior> priors = new ArrayList<>();
    context
        .optional(Tables.OFFER_PRIORS)
        .ifPresent(
            t ->
                t.orderBy(Priors.OFFER, Priors.SEGMENT)
                    .collectAsList()
                    .forEach(
                        r ->
                            priors.add(
                                new Prior(
                                    r.getAs(Priors.OFFER),
                                    r.getAs(Priors.SEGMENT),
                                    r.<Double>getAs(Priors.RESPONSE_RATE),
                                    r.<Double>getAs(Priors.UPLIFT)))));
    return new ReportSummary.CampaignEffect(ReportSummary.OK, null, effects, priors);
  }
}
