package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.strategy.ResponseRates.NONE;
import static org.marketingengine.strategy.ResponseRates.p;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Scores;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.campaign.CampaignEconomics;
import org.marketingengine.config.StrategyConfig;

/**
 * Who is contacted: users with a consented channel, under the frequency cap and with a planned
 * offer are ranked by the campaign goal's priority; each channel's cap, then the budget, takes the
 * best of them; a stable hashed share of those selected is held out as control. Sets {@code group}
 * (treatment, control, none), {@code contacted}, the final {@code offer} and {@code channel}, and
 * {@code priority} (1 = contacted first).
 */
final class Allocation {
  static final String PRIORITY_SCORE = "_priority_score";
  static final String WANTED = "_wanted";
  static final String WITHIN_CAP = "_within_cap";
  static final String SELECTED = "_selected";

  private Allocation() {}

  /** Users at the frequency cap: contacted max-contacts times in the cap window already. */
  static Column capped(StrategyConfig settings) {
    return col(UserBase.RECENT_CONTACTS).geq(settings.maxContacts());
  }

  /** How the goal ranks users: the higher the sooner they are contacted. */
  static Column priority(StrategyConfig.Campaign campaign, Column margin) {
    return switch (campaign.goal()) {
      case "conversions" -> col(OfferChoice.P_PLANNED).minus(col(p(NONE)));
      case "reach" -> col(Strategy.EXPECTED_COST).multiply(-1);
      case "retention" ->
          lit(1.0)
              .minus(coalesce(col(Scores.PURCHASE_PROPENSITY), lit(0.5)))
              .multiply(col(UserBase.ORDER_VALUE))
              .multiply(margin);
      default -> col(Strategy.EXPECTED_PROFIT);
    };
  }

  static Dataset<Row> apply(
      Dataset<Row> planned,
      StrategyConfig settings,
      StrategyConfig.Campaign campaign,
      Column margin) {
    Column eligible = col(Strategy.CHANNEL).isNotNull().and(capped(settings).unary_$bang());
    Column order = col(PRIORITY_SCORE).desc();
    Dataset<Row> rows =
        planned
            .withColumn(PRIORITY_SCORE, priority(campaign, margin))
            .withColumn(WANTED, eligible.and(col(Strategy.PLANNED_OFFER).notEqual(NONE)));
    rows =
        rows.withColumn(
            "_channel_rank",
            when(
                col(WANTED),
                row_number()
                    .over(
                        Window.partitionBy(col(Strategy.CHANNEL), col(WANTED))
                            .orderBy(order, col(Features.USER_ID)))));
    Column channelCap =
        CampaignEconomics.perChannel(
            settings, col(Strategy.CHANNEL), StrategyConfig.Channel::cap, Long.MAX_VALUE);
    rows = rows.withColumn(WITHIN_CAP, col(WANTED).and(col("_channel_rank").leq(channelCap)));
    rows =
        rows.withColumn(
            "_spent",
            when(
                col(WITHIN_CAP),
                sum(col(Strategy.EXPECTED_COST))
                    .over(
                        Window.partitionBy(col(WITHIN_CAP))
                            .orderBy(order, col(Features.USER_ID))
                            .rowsBetween(Window.unboundedPreceding(), Window.currentRow()))));
    Column control = StrategyRules.isControl(campaign.id(), settings.controlShare());
    rows =
        rows.withColumn(SELECTED, col(WITHIN_CAP).and(col("_spent").leq(campaign.budget())))
            .withColumn(
                Strategy.GROUP,
                when(col(SELECTED).and(control), lit("control"))
                    .when(col(SELECTED), lit("treatment"))
                    .otherwise(lit(NONE)))
            .withColumn(Strategy.CONTACTED, col(Strategy.GROUP).equalTo("treatment"))
            .withColumn(
                Strategy.OFFER,
                when(col(Strategy.CONTACTED), col(Strategy.PLANNED_OFFER)).otherwise(lit(NONE)))
            .withColumn(
                Strategy.CHANNEL,
                when(col(Strategy.CONTACTED), col(Strategy.CHANNEL))
                    .otherwise(lit(null).cast("string")));
    return rows.withColumn(
        Strategy.PRIORITY,
        when(
            col(Strategy.CONTACTED),
            row_number()
                .over(
                    Window.partitionBy(col(Strategy.CONTACTED))
                        .orderBy(order, col(Features.USER_ID)))));
  }
}
