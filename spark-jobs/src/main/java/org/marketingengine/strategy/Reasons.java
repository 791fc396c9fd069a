package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.strategy.ResponseRates.NONE;

import org.apache.spark.sql.Column;
import org.marketingengine.Columns.Scores;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;

/**
 * The {@code reason} of each plan row, for the analyst: why this objective, why this user was or
 * was not contacted (consent, cap, control, no paying offer, channel cap, budget, exploration, or
 * the best expected profit and where the response rates came from), and the model's top drivers.
 */
final class Reasons {
  private Reasons() {}

  static Column of(StrategyConfig settings, String ratesSource) {
    Column decision =
        when(
                col(Strategy.CHANNEL).isNull().and(col(StrategyRules.CONSENT_ANY).unary_$bang()),
                lit("no consent for any channel"))
            .when(
                Allocation.capped(settings),
                lit(
                    "frequency cap: "
                        + settings.maxContacts()
                        + " contacts in "
                        + settings.capDays()
                        + " days"))
            .when(
                col(Strategy.GROUP).equalTo("control"),
                concat(lit("control group, planned offer "), col(Strategy.PLANNED_OFFER)))
            .when(
                col(Strategy.PLANNED_OFFER).equalTo(NONE),
                lit("no offer with positive expected profit"))
            .when(
                col(Allocation.WANTED).and(col(Allocation.WITHIN_CAP).unary_$bang()),
                lit("channel cap reached"))
            .when(
                col(Allocation.WANTED).and(col(Allocation.SELECTED).unary_$bang()),
                lit("over budget"))
            .when(
                col(OfferChoice.EXPLORING),
                concat(
                    lit("exploration offer "),
                    col(Strategy.OFFER),
                    lit(" via "),
                    col(Strategy.CHANNEL)))
            .otherwise(
                concat(
                    lit("best expected incremental profit: "),
                    col(Strategy.OFFER),
                    lit(" via "),
                    col(Strategy.CHANNEL),
                    lit(" (" + ratesSource + ")")));
    return concat_ws(
        "; ",
        concat(lit("objective "), col(Strategy.OBJECTIVE), lit(": "), col(UserBase.OBJECTIVE_RULE)),
        decision,
        when(
            col(Scores.TOP_DRIVERS).isNotNull(),
            concat(lit("drivers: "), array_join(col(Scores.TOP_DRIVERS), ", "))));
  }
}
