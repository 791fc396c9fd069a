package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.config.StrategyConfig;

/**
 * The rules of the strategy stage as column expressions: objective, consent, channel, control
 * assignment, offer economics and message rendering. Each is a plain function of a user's row, so
 * that it can be tested on hand-made rows.
 */
public final class StrategyRules {
  static final long HASH_BUCKETS = 1_000_000L;

  private StrategyRules() {}

  /**
   * The objective: {@code win_back} for users without events for {@code win-back-days}, else the
   * objective of the user's RFM segment ({@code objective.by-segment}), else {@code convert}.
   */
  public static Column objective(StrategyConfig config) {
    Column bySegment = lit("convert");
    for (Map.Entry<String, String> e : config.objectiveBySegment().entrySet()) {
      bySegment =
          when(col("rfm_segment").equalTo(e.getKey()), lit(e.getValue())).otherwise(bySegment);
    }
    return when(col("recency_days").geq(config.winBackDays()), lit("win_back"))
        .otherwise(bySegment);
  }

  /** The rule that chose the objective, for the reason column. */
  public static Column objectiveRule(StrategyConfig config) {
    return when(
            col("recency_days").geq(config.winBackDays()),
            lit("no activity for " + config.winBackDays() + "+ days"))
        .otherwise(
            org.apache.spark.sql.functions.concat(
                lit("segment "), coalesce(col("rfm_segment"), lit("unknown"))));
  }

  /**
   * Whether the user consented to {@code channel}: the value of its consent column; a missing
   * column or an empty value counts as {@code consent-when-missing}.
   */
  public static Column consent(Dataset<Row> users, StrategyConfig config, String channel) {
    StrategyConfig.Channel settings = config.channels().get(channel);
    boolean missing = config.consentWhenMissing();
    if (settings.consentColumn().isEmpty()
        || !Arrays.asList(users.columns()).contains(settings.consentColumn().get())) {
      return lit(missing);
    }
    Column value = col(settings.consentColumn().get()).cast("boolean");
    return coalesce(value, lit(missing));
  }

  /**
   * The channel to contact the user on: the preferred channel if consented, else the first
   * consented channel of {@code channel-order}; null when the user consented to none. Expects a
   * boolean column {@code consent_<channel>} per channel.
   */
  public static Column channel(StrategyConfig config) {
    Column fallback = lit(null).cast("string");
    List<String> order = config.channelOrder();
    for (int i = order.size() - 1; i >= 0; i--) {
      fallback = when(col("consent_" + order.get(i)), lit(order.get(i))).otherwise(fallback);
    }
    Column preferred = fallback;
    for (String c : config.channels().keySet()) {
      preferred =
          when(col("preferred_channel").equalTo(c).and(col("consent_" + c)), lit(c))
              .otherwise(preferred);
    }
    return preferred;
  }

  /**
   * A per-channel setting for the channel in {@code channel}, e.g. its contact cost or cap; {@code
   * otherwise} for a channel the config does not name (or none).
   */
  public static Column perChannel(
      StrategyConfig config,
      Column channel,
      java.util.function.Function<StrategyConfig.Channel, Object> setting,
      Object otherwise) {
    Column value = lit(otherwise);
    for (Map.Entry<String, StrategyConfig.Channel> e : config.channels().entrySet()) {
      value = when(channel.equalTo(e.getKey()), lit(setting.apply(e.getValue()))).otherwise(value);
    }
    return value;
  }

  /** A stable number in [0, 1) from the salt, the campaign and the user. */
  static Column unitHash(String salt, String campaignId) {
    return pmod(xxhash64(lit(salt), lit(campaignId), col("user_id")), lit(HASH_BUCKETS))
        .divide((double) HASH_BUCKETS);
  }

  /** Control assignment: the same users for a campaign on every rerun. */
  public static Column isControl(String campaignId, double share) {
    return unitHash("control", campaignId).lt(share);
  }

  /** Exploration assignment among treatment users. */
  public static Column isExploration(String campaignId, double share) {
    return unitHash("explore", campaignId).lt(share);
  }

  /** The offer an exploring user gets: uniform over the campaign's offers. */
  public static Column explorationOffer(String campaignId, List<String> offers) {
    Column index =
        pmod(xxhash64(lit("explore-offer"), lit(campaignId), col("user_id")), lit(offers.size()));
    Column offer = lit(offers.get(0));
    for (int i = 1; i < offers.size(); i++) {
      offer = when(index.equalTo(i), lit(offers.get(i))).otherwise(offer);
    }
    return offer;
  }

  /** Cost of one conversion with the offer: percent of the order value or a fixed amount. */
  public static Column offerCost(StrategyConfig.Offer offer, Column orderValue) {
    return offer.percent() ? orderValue.multiply(offer.value()) : lit(offer.value());
  }

  /**
   * Expected incremental profit of an offer: (P(response | offer) - P(response | no offer)) x order
   * value x margin - P(response | offer) x offer cost - contact cost.
   */
  public static Column incrementalProfit(
      Column pOffer,
      Column pNone,
      Column orderValue,
      Column margin,
      StrategyConfig.Offer offer,
      Column contactCost) {
    return pOffer
        .minus(pNone)
        .multiply(orderValue)
        .multiply(margin)
        .minus(pOffer.multiply(offerCost(offer, orderValue)))
        .minus(contactCost);
  }

  /**
   * The message: the template of the user's language and objective with {items}, {offer} and
   * {category} filled in. Expects {@code language}, {@code objective}, {@code offer}, {@code
   * item_names} (array) and {@code top_category} columns.
   */
  public static Column message(StrategyConfig config) {
    Column template = lit(null).cast("string");
    Column label = lit("").cast("string");
    for (Map.Entry<String, Map<String, String>> language : config.templates().entrySet()) {
      Column isLanguage = col("language").equalTo(language.getKey());
      for (Map.Entry<String, String> t : language.getValue().entrySet()) {
        template =
            when(isLanguage.and(col("objective").equalTo(t.getKey())), lit(t.getValue()))
                .otherwise(template);
      }
      for (Map.Entry<String, String> l : config.offerLabels().get(language.getKey()).entrySet()) {
        label =
            when(isLanguage.and(col("offer").equalTo(l.getKey())), lit(l.getValue()))
                .otherwise(label);
      }
    }
    Column items = coalesce(array_join(col("item_names"), ", "), lit(""));
    Column rendered = replace(template, lit("{items}"), items);
    rendered = replace(rendered, lit("{offer}"), label);
    return replace(rendered, lit("{category}"), coalesce(col("top_category"), lit("")));
  }

  /** The language of the user's region, else the default language. */
  public static Column language(StrategyConfig config) {
    Column language = lit(config.defaultLanguage());
    for (Map.Entry<String, String> e : config.languageByRegion().entrySet()) {
      language = when(col("region").equalTo(e.getKey()), lit(e.getValue())).otherwise(language);
    }
    return language;
  }
}
