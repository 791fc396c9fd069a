package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.strategy.ResponseRates.NONE;
import static org.marketingengine.strategy.ResponseRates.p;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.campaign.CampaignEconomics;
import org.marketingengine.config.StrategyConfig;

/**
 * The offer each user is planned: the campaign's offer with the best expected incremental profit
 * ({@code none} when no offer pays), except for the exploring share of users, who get a random one
 * so that every offer keeps being measured. Then the planned offer's economics: expected profit,
 * P(response), expected cost and expected value.
 */
final class OfferChoice {
  static final String CONTACT_COST = "_contact_cost";
  static final String EXPLORING = "_exploring";
  static final String P_PLANNED = "_p_planned";

  private OfferChoice() {}

  /**
   * Adds {@code planned_offer}, {@code expected_profit}, {@code expected_cost}, {@code
   * expected_value} and the internal columns the allocation and reasons read.
   *
   * @param margin the user's margin rate
   */
  static Dataset<Row> apply(
      Dataset<Row> rated,
      StrategyConfig settings,
      StrategyConfig.Campaign campaign,
      Column margin) {
    Dataset<Row> rows =
        rated.withColumn(
            CONTACT_COST,
            CampaignEconomics.perChannel(
                settings, col(Strategy.CHANNEL), StrategyConfig.Channel::cost, 0.0));
    Column bestOffer = lit(NONE);
    Column bestProfit = lit(0.0);
    Map<String, Column> profits = new LinkedHashMap<>();
    for (String offer : campaign.offers()) {
      Column profit =
          StrategyRules.incrementalProfit(
              col(p(offer)),
              col(p(NONE)),
              col(UserBase.ORDER_VALUE),
              margin,
              settings.offers().get(offer),
              col(CONTACT_COST));
      profits.put(offer, profit);
      bestOffer = when(profit.gt(bestProfit), lit(offer)).otherwise(bestOffer);
      bestProfit = greatest(profit, bestProfit);
    }
    rows =
        rows.withColumn("_best_offer", bestOffer)
            .withColumn(
                EXPLORING, StrategyRules.isExploration(campaign.id(), settings.explorationShare()))
            .withColumn(
                Strategy.PLANNED_OFFER,
                when(
                        col(EXPLORING),
                        StrategyRules.explorationOffer(campaign.id(), campaign.offers()))
                    .otherwise(col("_best_offer")));
    Column plannedProfit = lit(0.0);
    Column pPlanned = col(p(NONE));
    Column costPerConversion = lit(0.0);
    for (String offer : campaign.offers()) {
      Column is = col(Strategy.PLANNED_OFFER).equalTo(offer);
      plannedProfit = when(is, profits.get(offer)).otherwise(plannedProfit);
      pPlanned = when(is, col(p(offer))).otherwise(pPlanned);
      costPerConversion =
          when(
                  is,
                  CampaignEconomics.offerCost(
                      settings.offers().get(offer), col(UserBase.ORDER_VALUE)))
              .otherwise(costPerConversion);
    }
    return rows.withColumn(Strategy.EXPECTED_PROFIT, plannedProfit)
        .withColumn(P_PLANNED, pPlanned)
        .withColumn(
            Strategy.EXPECTED_COST,
            col(CONTACT_COST).plus(col(P_PLANNED).multiply(costPerConversion)))
        .withColumn(
            Strategy.EXPECTED_VALUE,
            col(P_PLANNED)
                .minus(col(p(NONE)))
                .multiply(col(UserBase.ORDER_VALUE))
                .multiply(margin));
  }
}
