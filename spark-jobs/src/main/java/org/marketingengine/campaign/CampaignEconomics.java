package org.marketingengine.campaign;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.marketingengine.config.StrategyConfig;

/**
 * What contacts and offers cost, as column expressions: shared by the strategy stage (which plans
 * with them) and the evaluate stage (which measures ROI with them), so both price a campaign alike.
 */
public final class CampaignEconomics {
  private CampaignEconomics() {}

  /**
   * A per-channel setting for the channel in {@code channel}, e.g. its contact cost or cap; {@code
   * otherwise} for a channel the config does not name (or none).
   */
  public static Column perChannel(
      StrategyConfig config,
      Column channel,
      Function<StrategyConfig.Channel, Object> setting,
      Object otherwise) {
    Column value = lit(otherwise);
    for (Map.Entry<String, StrategyConfig.Channel> e : config.channels().entrySet()) {
      value = when(channel.equalTo(e.getKey()), lit(setting.apply(e.getValue()))).otherwise(value);
    }
    return value;
  }

  /** Cost of one conversion with the offer: percent of the order value or a fixed amount. */
  public static Column offerCost(StrategyConfig.Offer offer, Column orderValue) {
    return offer.percent() ? orderValue.multiply(offer.value()) : lit(offer.value());
  }
}
