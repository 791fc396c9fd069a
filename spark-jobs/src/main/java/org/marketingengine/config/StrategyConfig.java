package org.marketingengine.config;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the strategy stage ({@code marketing.strategy}).
 *
 * @param campaigns the campaigns, by id
 * @param offers what each offer costs and how it reads
 * @param channels per contact channel: cost, cap and the consent column of users
 * @param channelOrder preference among the consented channels when the user's preferred channel is
 *     not consented
 * @param consentWhenMissing whether a missing consent column or an empty value counts as consent
 * @param controlShare share of eligible users held out as control
 * @param explorationShare share of treatment users given a random offer, so that every offer keeps
 *     being measured
 * @param maxContacts frequency cap: at most this many contacts ...
 * @param capDays ... in this many days (earlier runs' strategy tables)
 * @param objectiveBySegment objective per RFM segment
 * @param winBackDays users inactive this long are won back whatever their segment
 * @param priors default response rates when neither offer priors nor a response model exist
 * @param priorStrength shrinkage of observed rates toward the overall rate, in contacts
 * @param minPriorContacts offer priors with fewer treatment contacts are not used
 * @param templates per language, per objective: the message template
 * @param offerLabels per language, per offer: how the offer reads in a message
 * @param languageByRegion language per user region
 * @param defaultLanguage language of users whose region has none
 * @param defaultSendHour hour of day (UTC) for users and segments without activity
 * @param items recommended items carried per user
 */
public record StrategyConfig(
    Map<String, Campaign> campaigns,
    Map<String, Offer> offers,
    Map<String, Channel> channels,
    List<String> channelOrder,
    boolean consentWhenMissing,
    double controlShare,
    double explorationShare,
    int maxContacts,
    int capDays,
    Map<String, String> objectiveBySegment,
    int winBackDays,
    Priors priors,
    double priorStrength,
    int minPriorContacts,
    Map<String, Map<String, String>> templates,
    Map<String, Map<String, String>> offerLabels,
    Map<String, String> languageByRegion,
    String defaultLanguage,
    int defaultSendHour,
    int items) {

  public static final List<String> OBJECTIVES =
      List.of("acquire", "convert", "upsell", "retain", "win_back");
  public static final List<String> OFFERS =
      List.of("discount", "coupon", "free_shipping", "bundle");
  public static final List<String> GOALS = List.of("revenue", "conversions", "reach", "retention");
  public static final List<String> PLACEHOLDERS = List.of("items", "offer", "category");

  /**
   * A campaign: its goal decides the ranking of users, its offers are the ones it may give, its
   * budget caps the total expected cost. Without dates it starts the day after the run date and
   * lasts {@code durationDays}.
   */
  public record Campaign(
      String id,
      String goal,
      List<String> offers,
      double budget,
      Optional<LocalDate> start,
      Optional<LocalDate> end,
      int durationDays) {

    /** First day of the campaign for a run on {@code runDate}. */
    public LocalDate startFor(LocalDate runDate) {
      return start.orElse(runDate.plusDays(1));
    }

    /** Whether a run on {@code runDate} plans this campaign. */
    public boolean activeFor(LocalDate runDate) {
      LocalDate first = startFor(runDate);
      LocalDate last = end.orElse(first.plusDays(durationDays - 1L));
      return !runDate.plusDays(1).isBefore(first) && !runDate.plusDays(1).isAfter(last);
    }
  }

  /**
   * An offer's cost per conversion: {@code percent} of the order value or a fixed {@code amount}.
   */
  public record Offer(String kind, double value) {
    public boolean percent() {
      return kind.equals("percent");
    }
  }

  /** A contact channel. */
  public record Channel(double cost, long cap, Optional<String> consentColumn) {}

  /** Default response rates: without offer and the absolute uplift of each offer. */
  public record Priors(double none, Map<String, Double> uplift) {}
}
