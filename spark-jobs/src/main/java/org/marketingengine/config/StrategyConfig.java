package org.marketingengine.config;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** Reads {@code marketing.strategy}. */
  public static StrategyConfig from(ConfigValues v) {
    String base = "marketing.strategy";
    Map<String, Map<String, String>> templates = templates(v, base);
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    for (String language : templates.keySet()) {
      labels.put(language, offerLabels(v, base + ".offer-labels." + language, language));
    }
    String defaultLanguage = v.string(base + ".default-language");
    Map<String, String> languageByRegion = v.stringMap(base + ".language-by-region");
    checkLanguage(base + ".default-language", defaultLanguage, templates);
    languageByRegion.forEach(
        (region, language) ->
            checkLanguage(base + ".language-by-region." + region, language, templates));
    Map<String, Double> uplift = new LinkedHashMap<>();
    for (String offer : OFFERS) {
      uplift.put(offer, v.doubleIn(base + ".default-priors.uplift." + offer, -1, true, 1));
    }
    return new StrategyConfig(
        campaigns(v, base + ".campaigns"),
        offers(v, base + ".offers"),
        channels(v, base + ".channels"),
        listOf(v, base + ".channel-order", ProfileConfig.CONTACT_CHANNELS, "channels"),
        v.bool(base + ".consent-when-missing"),
        v.doubleIn(base + ".control-share", 0, true, 0.9),
        v.doubleIn(base + ".exploration-share", 0, true, 1),
        v.intIn(base + ".frequency-cap.max-contacts", 1, 1000),
        v.intIn(base + ".frequency-cap.days", 1, 3650),
        mapOf(v, base + ".objective.by-segment", OBJECTIVES),
        v.intIn(base + ".objective.win-back-days", 1, 3650),
        new Priors(v.doubleIn(base + ".default-priors.none", 0, true, 1), uplift),
        v.doubleIn(base + ".prior-strength", 0, true, 1e9),
        v.intIn(base + ".prior-min-contacts", 0, Integer.MAX_VALUE),
        templates,
        labels,
        languageByRegion,
        defaultLanguage,
        v.intIn(base + ".default-send-hour", 0, 23),
        v.intIn(base + ".items", 0, 100));
  }

  private static Map<String, Offer> offers(ConfigValues v, String base) {
    Map<String, Offer> offers = new LinkedHashMap<>();
    for (String offer : OFFERS) {
      String o = base + "." + offer;
      String kind = v.oneOf(o + ".kind", List.of("percent", "amount"));
      offers.put(
          offer,
          new Offer(kind, v.doubleIn(o + ".value", 0, true, kind.equals("percent") ? 1 : 1e9)));
    }
    return offers;
  }

  private static Map<String, Campaign> campaigns(ConfigValues v, String base) {
    Map<String, Campaign> campaigns = new LinkedHashMap<>();
    for (String id : new TreeSet<>(v.keys(base))) {
      String p = base + "." + id;
      if (!v.isSet(p)) {
        continue;
      }
      Set<String> known = Set.of("goal", "offers", "budget", "start", "end", "duration-days");
      for (String key : v.keys(p)) {
        ConfigValues.check(
            known.contains(key),
            "Unknown config key '" + p + "." + key + "': a campaign has " + known);
      }
      campaigns.put(
          id,
          new Campaign(
              id,
              v.oneOf(p + ".goal", GOALS),
              listOf(v, p + ".offers", OFFERS, "offers"),
              v.doubleIn(p + ".budget", 0, true, 1e15),
              v.optionalDate(p + ".start"),
              v.optionalDate(p + ".end"),
              v.isSet(p + ".duration-days") ? v.intIn(p + ".duration-days", 1, 3650) : 14));
    }
    return campaigns;
  }

  private static Map<String, Channel> channels(ConfigValues v, String base) {
    Map<String, Channel> channels = new LinkedHashMap<>();
    for (String channel : ProfileConfig.CONTACT_CHANNELS) {
      String p = base + "." + channel;
      channels.put(
          channel,
          new Channel(
              v.doubleIn(p + ".cost", 0, true, 1e6),
              v.longIn(p + ".cap", 0, Long.MAX_VALUE),
              v.optionalString(p + ".consent-column")));
    }
    return channels;
  }

  /** A list whose every entry must be one of {@code allowed}. */
  private static List<String> listOf(
      ConfigValues v, String key, List<String> allowed, String what) {
    List<String> values = v.stringList(key);
    for (String value : values) {
      ConfigValues.check(
          allowed.contains(value),
          "Config key '" + key + "' names '" + value + "': " + what + " are " + allowed);
    }
    return values;
  }

  /** A map whose every value must be one of {@code allowed}. */
  private static Map<String, String> mapOf(ConfigValues v, String key, List<String> allowed) {
    Map<String, String> map = v.stringMap(key);
    map.forEach(
        (k, value) ->
            ConfigValues.check(
                allowed.contains(value),
                "Config key '" + key + "." + k + "' is '" + value + "': use one of " + allowed));
    return map;
  }

  /** Per language, a template for every objective with known placeholders only. */
  private static Map<String, Map<String, String>> templates(ConfigValues v, String base) {
    Map<String, Map<String, String>> templates = new LinkedHashMap<>();
    for (String language : v.keys(base + ".templates")) {
      String t = base + ".templates." + language;
      Map<String, String> byObjective = v.stringMap(t);
      for (String objective : OBJECTIVES) {
        ConfigValues.check(
            byObjective.get(objective) != null,
            "Config key '"
                + t
                + "."
                + objective
                + "' is missing: every language needs a template for every objective "
                + OBJECTIVES);
      }
      for (Map.Entry<String, String> e : byObjective.entrySet()) {
        ConfigValues.check(
            OBJECTIVES.contains(e.getKey()),
            "Unknown config key '" + t + "." + e.getKey() + "': objectives are " + OBJECTIVES);
        checkPlaceholders(t + "." + e.getKey(), e.getValue());
      }
      templates.put(language, byObjective);
    }
    return templates;
  }

  private static Map<String, String> offerLabels(ConfigValues v, String key, String language) {
    ConfigValues.check(
        v.isSet(key),
        "Config key '"
            + key
            + "' is missing: language '"
            + language
            + "' has templates but no offer labels");
    Map<String, String> byOffer = v.stringMap(key);
    for (String offer : OFFERS) {
      ConfigValues.check(
          byOffer.get(offer) != null, "Config key '" + key + "." + offer + "' is missing");
    }
    return byOffer;
  }

  private static void checkLanguage(
      String key, String language, Map<String, Map<String, String>> templates) {
    ConfigValues.check(
        templates.containsKey(language),
        "Config key '"
            + key
            + "' is '"
            + language
            + "': templates exist for "
            + templates.keySet());
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)\\}");

  /** Every {name} of a template must be a known placeholder. */
  static void checkPlaceholders(String key, String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      ConfigValues.check(
          PLACEHOLDERS.contains(m.group(1)),
          "Config key '"
              + key
              + "' uses placeholder {"
              + m.group(1)
              + "}: known placeholders are "
              + PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList());
    }
  }

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
