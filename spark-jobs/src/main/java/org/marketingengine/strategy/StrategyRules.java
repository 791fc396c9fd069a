package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.Columns.Users;
import org.marketingengine.campaign.CampaignEconomics;
import org.marketingengine.config.StrategyConfig;

/**
 * The rules of the strategy stage as column expressions: objective, consent, channel, control
 * assignment, offer economics and message rendering. Each is a plain function of a user's row, so
 * that it can be tested on hand-made rows.
 */
public final class StrategyRules {
  static final long HASH_BUCKETS = 1_000_000L;

  /** Prefix of the boolean consent column of each channel: {@code consent_email}, ... */
  static final String CONSENT_PREFIX = "consent_";

  /** Whether the user consented to any channel. */
  static final String CONSENT_ANY = "consent_any";

  private StrategyRules() {}

  /**
   * The objective: {@code win_back} for users without events for {@code win-back-days}, else the
   * objective of the user's RFM segment ({@code objective.by-segment}), else {@code convert}.
   */
  public static Column objective(StrategyConfig config) {
    Column bySegment = lit("convert");
    for (Map.Entry<String, String> e : config.objectiveBySegment().entrySet()) {
      bySegment =
          when(col(Profiles.RFM_SEGMENT).equalTo(e.getKey()), lit(e.getValue()))
              .otherwise(bySegment);
    }
    return when(col(Features.RECENCY_DAYS).geq(config.winBackDays()), lit("win_back"))
        .otherwise(bySegment);
  }

  /** The rule that chose the objective, for the reason column. */
  public static Column objectiveRule(StrategyConfig config) {
    return when(
            col(Features.RECENCY_DAYS).geq(config.winBackDays()),
            lit("no activity for " + config.winBackDays() + "+ days"))
        .otherwise(
            org.apache.spark.sql.functions.concat(
                lit("segment "), coalesce(col(Profiles.RFM_SEGMENT), lit("unknown"))));
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
      fallback = when(col(CONSENT_PREFIX + order.get(i)), lit(order.get(i))).otherwise(fallback);
    }
    Column preferred = fallback;
    for (String c : config.channels().keySet()) {
      preferred =
          when(col(Profiles.PREFERRED_CHANNEL).equalTo(c).and(col(CONSENT_PREFIX + c)), lit(c))
              .otherwise(preferred);
    }
    return preferred;
  }

  /** Whether the user consented to any configured channel. */
  static Column anyConsent(StrategyConfig settings) {
    Column any = lit(false);
    for (String channel : settings.channels().keySet()) {
      any = any.or(col(CONSENT_PREFIX + channel));
    }
    return any;
  }

  /** A stable number in [0, 1) from the salt, the campaign and the user. */
  static Column unitHash(String salt, String campaignId) {
    return pmod(xxhash64(lit(salt), lit(campaignId), col(Features.USER_ID)), lit(HASH_BUCKETS))
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
        pmod(
            xxhash64(lit("explore-offer"), lit(campaignId), col(Features.USER_ID)),
            lit(offers.size()));
    Column offer = lit(offers.get(0));
    for (int i = 1; i < offers.size(); i++) {
      offer = when(index.equalTo(i), lit(offers.get(i))).otherwise(offer);
    }
    return offer;
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
        .minus(pOffer.multiply(CampaignEconomics.offerCost(offer, orderValue)))
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
      Column isLanguage = col(Strategy.LANGUAGE).equalTo(language.getKey());
      for (Map.Entry<String, String> t : language.getValue().entrySet()) {
        template =
            when(isLanguage.and(col(Strategy.OBJECTIVE).equalTo(t.getKey())), lit(t.getValue()))
                .otherwise(template);
      }
      for (Map.Entry<String, String> l : config.offerLabels().get(language.getKey()).entrySet()) {
        label =
            when(isLanguage.and(col(Strategy.OFFER).equalTo(l.getKey())), lit(l.getValue()))
                .otherwise(label);
      }
    }
    Column items = shielded(coalesce(array_join(col(UserBase.ITEM_NAMES), ", "), lit("")));
    Column rendered = replace(template, lit("{items}"), items);
    rendered = replace(rendered, lit("{offer}"), label);
    rendered =
        replace(
            rendered, lit("{category}"), shielded(coalesce(col(Features.TOP_CATEGORY), lit(""))));
    return translate(rendered, SHIELDED_BRACES, BRACES);
  }

  private static final String BRACES = "{}";
  private static final String SHIELDED_BRACES = "\uE000\uE001";

  /**
   * A value from the data with its braces swapped for private-use characters while the template is
   * filled in, so an item named "{offer}" stays that name instead of being filled in itself.
   */
  private static Column shielded(Column value) {
    return translate(value, BRACES, SHIELDED_BRACES);
  }

  /** The language of the user's region, else the default language. */
  public static Column language(StrategyConfig config) {
    Column language = lit(config.defaultLanguage());
    for (Map.Entry<String, String> e : config.languageByRegion().entrySet()) {
      language = when(col(Users.REGION).equalTo(e.getKey()), lit(e.getValue())).otherwise(language);
    }
    return language;
  }
}
