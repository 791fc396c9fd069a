package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.strategy.ResponseRates.NONE;
import static org.marketingengine.strategy.ResponseRates.p;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.stage.StageContext;

/**
 * The plan of one campaign for every user, in the layout of {@code strategy/user_strategy}: the
 * response rates ({@link ResponseRates}), the offer ({@link OfferChoice}), who is contacted ({@link
 * Allocation}), when ({@link SendTime}), the message, and why ({@link Reasons}).
 */
final class CampaignPlan {
  private CampaignPlan() {}

  static Dataset<Row> of(
      StageContext context,
      Dataset<Row> users,
      StrategyConfig.Campaign campaign,
      ContactGuard guard) {
    StrategyConfig settings = context.config().strategy();
    LocalDate runDate = context.runDate();
    ResponseRates.Rated rates = ResponseRates.of(context, users, campaign);
    Column margin =
        coalesce(col(Profiles.MARGIN_RATE), lit(context.config().profile().defaultMargin()));
    Dataset<Row> rows = OfferChoice.apply(rates.rows(), settings, campaign, margin);
    rows = Allocation.apply(rows, settings, campaign, margin);
    Column contacted = col(Strategy.CONTACTED);
    rows =
        rows.withColumn(
                Strategy.SEND_AT,
                when(contacted, SendTime.sendAt(settings, campaign.startFor(runDate))))
            .withColumn(Strategy.MESSAGE, when(contacted, StrategyRules.message(settings)))
            .withColumn(Strategy.REASON, Reasons.of(settings, rates.source()));
    rows = guard.watch(rows, campaign.id());
    return rows.withColumn(Strategy.CAMPAIGN_ID, lit(campaign.id()))
        .withColumn(Strategy.GOAL, lit(campaign.goal()))
        .withColumn(
            Strategy.STRATEGY_ID,
            substring(
                sha2(
                    concat_ws(
                        "|", lit(campaign.id()), col(Features.USER_ID), lit(runDate.toString())),
                    256),
                1,
                16))
        .select(
            col(Strategy.STRATEGY_ID),
            col(Strategy.CAMPAIGN_ID),
            col(Strategy.GOAL),
            col(Features.USER_ID),
            col(Profiles.RFM_SEGMENT).as(Strategy.SEGMENT),
            col(Strategy.OBJECTIVE),
            col(Strategy.OFFER),
            col(Strategy.PLANNED_OFFER),
            col(Strategy.CHANNEL),
            col(Strategy.CONTACTED),
            col(Strategy.GROUP),
            col(Strategy.ITEMS),
            col(Strategy.LANGUAGE),
            col(Strategy.MESSAGE),
            col(p(NONE)).as(Strategy.P_RESPONSE_NO_OFFER),
            col(OfferChoice.P_PLANNED).as(Strategy.P_RESPONSE_OFFER),
            col(Strategy.EXPECTED_VALUE),
            col(Strategy.EXPECTED_COST),
            col(Strategy.EXPECTED_PROFIT),
            col(Strategy.PRIORITY),
            col(Strategy.SEND_AT),
            col(Strategy.REASON));
  }
}
