package org.marketingengine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads the layered configuration into a validated {@link JobConfig}.
 *
 * <p>Layers, later ones win: {@code reference.conf} in the jar, the {@code --conf} file,
 * environment variables ({@code CONFIG_FORCE_...}), {@code --set key=value}, then the dedicated CLI
 * options. Unknown keys under {@code marketing} and out-of-range values are reported as {@link
 * InvalidConfigException} naming the key.
 */
public final class ConfigLoader {

  private static final String ROOT = "marketing";

  /** Paths below which any key is accepted: free-form maps. */
  private static final Pattern FREE_FORM =
      Pattern.compile(
          "^marketing\\.((inputs\\.[^.]+|input-defaults)\\.(columns|constants|csv\\.options)"
              + "|clean\\.missing\\.[^.]+|clean\\.currency\\.rates"
              + "|profile\\.contact-channel-by-behaviour|strategy\\.campaigns\\.[^.]+"
              + "|strategy\\.language-by-region|strategy\\.templates\\.[^.]+"
              + "|strategy\\.offer-labels\\.[^.]+)\\..+$");

  private ConfigLoader() {}

  /** What the command line contributes to the configuration. */
  public record Overrides(
      Optional<Path> confFile,
      List<String> sets,
      Optional<String> inputRoot,
      Optional<String> outputRoot,
      Optional<String> master,
      LocalDate runDate) {}

  /** Loads and validates the configuration for one run, with environment overrides. */
  public static JobConfig load(Overrides overrides) {
    return load(overrides, ConfigFactory.systemEnvironmentOverrides());
  }

  /** Loads and validates the configuration, with the given environment layer (for tests). */
  public static JobConfig load(Overrides overrides, Config environment) {
    Config reference =
        ConfigFactory.parseResources(
            ConfigLoader.class.getClassLoader(),
            "reference.conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
    Config file = overrides.confFile().map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
    Config sets = parseSets(overrides.sets());
    Config cli = ConfigFactory.empty();
    if (overrides.inputRoot().isPresent()) {
      cli =
          cli.withValue(
              ROOT + ".input-root", ConfigValueFactory.fromAnyRef(overrides.inputRoot().get()));
    }
    if (overrides.outputRoot().isPresent()) {
      cli =
          cli.withValue(
              ROOT + ".output-root", ConfigValueFactory.fromAnyRef(overrides.outputRoot().get()));
    }
    Config merged;
    try {
      merged =
          cli.withFallback(sets)
              .withFallback(environment)
              .withFallback(file)
              .withFallback(reference)
              .resolve();
    } catch (ConfigException e) {
      throw new InvalidConfigException("Cannot resolve the configuration: " + e.getMessage(), e);
    }
    rejectUnknownKeys(merged, reference.resolve());
    return toJobConfig(merged, overrides);
  }

  private static Config parseFile(Path path) {
    File file = path.toFile();
    if (!Files.isRegularFile(path)) {
      throw new InvalidConfigException(
          "Config file '" + path + "' does not exist: check the --conf path");
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new InvalidConfigException(
          "Config file '" + path + "' is not valid HOCON: " + e.getMessage(), e);
    }
  }

  private static Config parseSets(List<String> sets) {
    Config config = ConfigFactory.empty();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new InvalidConfigException(
            "--set '"
                + set
                + "' is not key=value: write e.g. --set marketing.output-root=/tmp/out");
      }
      String key = set.substring(0, eq).trim();
      String value = set.substring(eq + 1).trim();
      if (!key.startsWith(ROOT + ".") && !key.startsWith("spark.")) {
        throw new InvalidConfigException(
            "--set key '" + key + "' is unknown: keys start with 'marketing.' or 'spark.'");
      }
      ConfigValue configValue;
      if (value.startsWith("[") || value.startsWith("{")) {
        try {
          configValue = ConfigFactory.parseString("v = " + value).getValue("v");
        } catch (ConfigException e) {
          throw new InvalidConfigException("--set " + key + ": cannot parse '" + value + "'", e);
        }
      } else {
        configValue = ConfigValueFactory.fromAnyRef(value);
      }
      try {
        config = config.withValue(key, configValue);
      } catch (ConfigException e) {
        throw new InvalidConfigException("--set key '" + key + "' is not a valid path", e);
      }
    }
    return config;
  }

  private static void rejectUnknownKeys(Config merged, Config reference) {
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : merged.getConfig(ROOT).entrySet()) {
      String path = ROOT + "." + entry.getKey();
      if (!reference.hasPathOrNull(path) && !FREE_FORM.matcher(path).matches()) {
        unknown.add(path);
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidConfigException(
          "Unknown config key '"
              + unknown.iterator().next()
              + "'"
              + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "")
              + ": check its spelling against reference.conf (see README, Configuration)");
    }
  }

  private static JobConfig toJobConfig(Config c, Overrides overrides) {
    Values v = new Values(c);
    String master = overrides.master().orElseGet(() -> v.string(ROOT + ".local-master"));
    Map<String, InputConfig> inputs = new LinkedHashMap<>();
    for (String name : new TreeSet<>(c.getConfig(ROOT + ".inputs").root().keySet())) {
      inputs.put(name, inputConfig(v, name));
    }
    IngestConfig ingest =
        new IngestConfig(
            v.intIn(ROOT + ".ingest.future-tolerance-hours", 0, 24 * 366),
            v.doubleIn(ROOT + ".ingest.max-quarantine-share", 0.0, false, 1.0),
            v.bool(ROOT + ".ingest.require-events"));
    GenerateConfig generate =
        new GenerateConfig(
            v.longIn(ROOT + ".generate.users", 1, 1_000_000_000L),
            (int) v.longIn(ROOT + ".generate.items", 1, 10_000_000L),
            v.intIn(ROOT + ".generate.days", 14, 3650),
            v.longIn(ROOT + ".generate.seed", Long.MIN_VALUE, Long.MAX_VALUE),
            FileFormat.parse(v.string(ROOT + ".generate.format"), ROOT + ".generate.format"),
            v.doubleIn(ROOT + ".generate.bad-rows-rate", 0.0, true, 0.5),
            v.intIn(ROOT + ".generate.categories", 1, 12));
    String outputRoot = v.string(ROOT + ".output-root");
    if (outputRoot.isBlank()) {
      throw new InvalidConfigException(
          "Config key 'marketing.output-root' is empty: give an output directory (--output)");
    }
    return new JobConfig(
        overrides.runDate(),
        v.optionalString(ROOT + ".input-root"),
        outputRoot,
        master,
        v.string(ROOT + ".app-name"),
        TableFormat.parse(v.string(ROOT + ".output.table-format"), ROOT + ".output.table-format"),
        inputs,
        ingest,
        cleanConfig(v, c, inputs.keySet()),
        featuresConfig(v),
        trainConfig(v),
        profileConfig(v),
        recommendConfig(v),
        strategyConfig(v, c),
        evaluateConfig(v),
        generate,
        sparkSettings(c));
  }

  private static CleanConfig cleanConfig(Values v, Config c, Set<String> inputNames) {
    String base = ROOT + ".clean";
    Map<String, Map<String, CleanConfig.MissingPolicy>> missing = new LinkedHashMap<>();
    for (String input : c.getConfig(base + ".missing").root().keySet()) {
      if (!inputNames.contains(input)) {
        throw new InvalidConfigException(
            "Config key '"
                + base
                + ".missing."
                + input
                + "' names no input: use one of "
                + String.join(", ", new TreeSet<>(inputNames)));
      }
      Map<String, CleanConfig.MissingPolicy> policies = new LinkedHashMap<>();
      v.stringMap(base + ".missing." + input)
          .forEach(
              (column, policy) ->
                  policies.put(
                      column,
                      CleanConfig.MissingPolicy.parse(
                          policy, base + ".missing." + input + "." + column)));
      missing.put(input, policies);
    }
    String a = base + ".anomalies";
    double ageMin = v.doubleIn(a + ".age-min", 0, true, 150);
    double ageMax = v.doubleIn(a + ".age-max", 0, true, 150);
    if (ageMax < ageMin) {
      throw new InvalidConfigException(
          "Config key '" + a + ".age-max' is below " + a + ".age-min: give a valid age range");
    }
    CleanConfig.Anomalies anomalies =
        new CleanConfig.Anomalies(
            ageMin,
            ageMax,
            v.bool(a + ".negative-income"),
            v.bool(a + ".price-outliers"),
            v.doubleIn(a + ".price-iqr-factor", 0, false, 100),
            v.bool(a + ".bots"),
            v.intIn(a + ".bot-max-events-per-minute", 1, 100_000),
            v.enumValue(a + ".unknown-users", CleanConfig.UnknownPolicy.class),
            v.enumValue(a + ".unknown-items", CleanConfig.UnknownPolicy.class));
    String p = base + ".personal-data";
    CleanConfig.PersonalData personal =
        new CleanConfig.PersonalData(
            v.stringList(p + ".columns"),
            v.enumValue(p + ".mode", CleanConfig.PersonalDataMode.class),
            v.string(p + ".secret-env"));
    Map<String, Double> rates = new LinkedHashMap<>();
    for (String currency : c.getConfig(base + ".currency.rates").root().keySet()) {
      rates.put(
          currency.toUpperCase(java.util.Locale.ROOT),
          v.doubleIn(base + ".currency.rates." + currency, 0, false, 1e9));
    }
    String baseCurrency =
        v.string(base + ".currency.base").trim().toUpperCase(java.util.Locale.ROOT);
    if (!rates.isEmpty() && baseCurrency.isEmpty()) {
      throw new InvalidConfigException(
          "Config key '"
              + base
              + ".currency.base' is empty but rates are given: name the currency"
              + " the rates convert to, e.g. \"EUR\"");
    }
    return new CleanConfig(
        v.bool(base + ".duplicates.enabled"),
        v.intIn(base + ".duplicates.event-time-tolerance-seconds", 0, 86_400),
        missing,
        anomalies,
        new CleanConfig.Currency(baseCurrency, rates),
        personal);
  }

  private static FeaturesConfig featuresConfig(Values v) {
    String base = ROOT + ".features";
    int featureDays = v.intIn(base + ".feature-days", 1, 3650);
    int recentDays = v.intIn(base + ".recent-days", 1, 3650);
    if (recentDays > featureDays) {
      throw new InvalidConfigException(
          "Config key '"
              + base
              + ".recent-days' is "
              + recentDays
              + ": must be at most "
              + base
              + ".feature-days ("
              + featureDays
              + ")");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String type : org.marketingengine.io.InputSchemas.EVENT_TYPES) {
      weights.put(type, v.doubleIn(base + ".event-weights." + type, 0, true, 1000));
    }
    return new FeaturesConfig(
        v.intIn(base + ".label-days", 1, 365),
        featureDays,
        recentDays,
        weights,
        v.intIn(base + ".top-categories", 1, 50),
        v.stringList(base + ".channels"),
        v.stringList(base + ".platforms"),
        v.stringList(base + ".extra-numeric"),
        v.stringList(base + ".extra-categorical"));
  }

  private static TrainConfig trainConfig(Values v) {
    String base = ROOT + ".train";
    double trainShare = v.doubleIn(base + ".train-share", 0, false, 1);
    double validationShare = v.doubleIn(base + ".validation-share", 0, false, 1);
    if (trainShare + validationShare >= 1) {
      throw new InvalidConfigException(
          "Config keys '"
              + base
              + ".train-share' + '"
              + base
              + ".validation-share' are "
              + (trainShare + validationShare)
              + ": must leave a test share (sum below 1)");
    }
    String grids = base + ".grids";
    List<int[]> hidden = new ArrayList<>();
    for (List<Integer> layers : v.intLists(grids + ".mlp.hidden-layers")) {
      if (layers.isEmpty() || layers.stream().anyMatch(n -> n < 1 || n > 4096)) {
        throw new InvalidConfigException(
            "Config key '"
                + grids
                + ".mlp.hidden-layers' has "
                + layers
                + ": each entry is a list of layer sizes from 1 to 4096, e.g. [32, 16]");
      }
      hidden.add(layers.stream().mapToInt(Integer::intValue).toArray());
    }
    return new TrainConfig(
        v.longIn(base + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
        trainShare,
        validationShare,
        v.intIn(base + ".min-rows", 2, Integer.MAX_VALUE),
        v.stringList(base + ".numeric-features"),
        v.stringList(base + ".categorical-features"),
        v.stringList(base + ".vector-features"),
        v.doubleIn(base + ".variance-threshold", 0, true, 1e12),
        v.intIn(base + ".top-features", 0, 100_000),
        v.bool(base + ".log-spend"),
        v.doubles(grids + ".linear-regression.reg-param", 0, 1e6),
        v.doubles(grids + ".linear-regression.elastic-net-param", 0, 1),
        v.doubles(grids + ".logistic-regression.reg-param", 0, 1e6),
        v.doubles(grids + ".logistic-regression.elastic-net-param", 0, 1),
        hidden,
        v.intIn(grids + ".mlp.max-iter", 1, 100_000),
        v.bool(base + ".warm-start"),
        v.bool(base + ".permutation-importance"));
  }

  private static ProfileConfig profileConfig(Values v) {
    String base = ROOT + ".profile";
    int kMin = v.intIn(base + ".clusters.k-min", 2, 50);
    int kMax = v.intIn(base + ".clusters.k-max", 2, 50);
    if (kMax < kMin) {
      throw new InvalidConfigException(
          "Config key '" + base + ".clusters.k-max' is " + kMax + ": must be at least k-min");
    }
    List<String> clusterFeatures = v.stringList(base + ".clusters.features");
    if (clusterFeatures.isEmpty()) {
      throw new InvalidConfigException(
          "Config key '" + base + ".clusters.features' is empty: name one or more feature columns");
    }
    Map<String, String> channels = v.stringMap(base + ".contact-channel-by-behaviour");
    for (Map.Entry<String, String> e : channels.entrySet()) {
      if (e.getValue() == null || !CONTACT_CHANNELS.contains(e.getValue())) {
        throw new InvalidConfigException(
            "Config key '"
                + base
                + ".contact-channel-by-behaviour."
                + e.getKey()
                + "' is '"
                + e.getValue()
                + "': use one of "
                + String.join(", ", CONTACT_CHANNELS));
      }
    }
    return new ProfileConfig(
        v.intIn(base + ".new-user-days", 0, 3650),
        clusterFeatures,
        kMin,
        kMax,
        v.intIn(base + ".clusters.sample-rows", 100, 100_000_000),
        v.longIn(base + ".clusters.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        v.doubleIn(base + ".default-margin", 0, false, 1),
        channels);
  }

  /** Channels a campaign can contact a user on. */
  public static final List<String> CONTACT_CHANNELS = List.of("email", "sms", "push", "in_app");

  private static RecommendConfig recommendConfig(Values v) {
    String base = ROOT + ".recommend";
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String type : org.marketingengine.io.InputSchemas.EVENT_TYPES) {
      weights.put(type, v.doubleIn(base + ".event-weights." + type, 0, true, 1000));
    }
    String grid = base + ".als-search";
    List<RecommendConfig.Als> alsGrid = new ArrayList<>();
    RecommendConfig.Als als = als(v, base + ".als");
    for (double rank : v.doubles(grid + ".rank", 1, 1000)) {
      for (double reg : v.doubles(grid + ".reg-param", 0, 1e6)) {
        for (double alpha : v.doubles(grid + ".alpha", 0, 1e6)) {
          alsGrid.add(new RecommendConfig.Als((int) rank, reg, alpha, als.maxIter(), als.seed()));
        }
      }
    }
    String e = base + ".evaluation";
    List<Integer> ks = new ArrayList<>();
    for (double k : v.doubles(e + ".k", 1, 1000)) {
      ks.add((int) k);
    }
    List<Double> blendWeights = new ArrayList<>();
    for (double w : v.doubles(e + ".blend-weights", 0, 1)) {
      blendWeights.add(w);
    }
    RecommendConfig.Evaluation evaluation =
        new RecommendConfig.Evaluation(
            v.enumValue(e + ".holdout", RecommendConfig.Holdout.class),
            v.intIn(e + ".holdout-days", 1, 365),
            v.doubleIn(e + ".holdout-fraction", 0, false, 0.9),
            v.intIn(e + ".leave-last", 1, 1000),
            v.longIn(e + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
            ks,
            blendWeights);
    return new RecommendConfig(
        v.intIn(base + ".top-n", 1, 1000),
        v.intIn(base + ".window-days", 1, 3650),
        weights,
        v.doubleIn(base + ".half-life-days", 0, false, 1e6),
        als,
        alsGrid,
        v.bool(grid + ".enabled"),
        v.intIn(base + ".als-candidates", 1, 10_000),
        v.intIn(base + ".content-candidates-per-category", 0, 10_000),
        v.intIn(base + ".top-categories", 1, 100),
        v.intIn(base + ".popular-candidates", 1, 10_000),
        v.doubleIn(base + ".blend-weight", 0, true, 1),
        v.intIn(base + ".max-per-category", 1, 1000),
        v.stringList(base + ".repeatable-categories"),
        v.intIn(base + ".brand-buckets", 0, 1024),
        evaluation);
  }

  private static StrategyConfig strategyConfig(Values v, Config c) {
    String base = ROOT + ".strategy";
    Map<String, StrategyConfig.Offer> offers = new LinkedHashMap<>();
    for (String offer : StrategyConfig.OFFERS) {
      String o = base + ".offers." + offer;
      String kind = v.string(o + ".kind");
      if (!kind.equals("percent") && !kind.equals("amount")) {
        throw new InvalidConfigException(
            "Config key '" + o + ".kind' is '" + kind + "': use percent or amount");
      }
      offers.put(
          offer,
          new StrategyConfig.Offer(
              kind, v.doubleIn(o + ".value", 0, true, kind.equals("percent") ? 1 : 1e9)));
    }
    Map<String, StrategyConfig.Campaign> campaigns = new LinkedHashMap<>();
    Config campaignsConfig = c.getConfig(base + ".campaigns");
    for (String id : new TreeSet<>(campaignsConfig.root().keySet())) {
      String p = base + ".campaigns." + id;
      if (c.getIsNull(p)) {
        continue;
      }
      Set<String> known = Set.of("goal", "offers", "budget", "start", "end", "duration-days");
      for (String key : c.getConfig(p).root().keySet()) {
        if (!known.contains(key)) {
          throw new InvalidConfigException(
              "Unknown config key '" + p + "." + key + "': a campaign has " + known);
        }
      }
      String goal = v.string(p + ".goal");
      if (!StrategyConfig.GOALS.contains(goal)) {
        throw new InvalidConfigException(
            "Config key '" + p + ".goal' is '" + goal + "': use one of " + StrategyConfig.GOALS);
      }
      List<String> campaignOffers = v.stringList(p + ".offers");
      for (String offer : campaignOffers) {
        if (!StrategyConfig.OFFERS.contains(offer)) {
          throw new InvalidConfigException(
              "Config key '"
                  + p
                  + ".offers' names '"
                  + offer
                  + "': offers are "
                  + StrategyConfig.OFFERS);
        }
      }
      campaigns.put(
          id,
          new StrategyConfig.Campaign(
              id,
              goal,
              campaignOffers,
              v.doubleIn(p + ".budget", 0, true, 1e15),
              optionalDate(v, c, p + ".start"),
              optionalDate(v, c, p + ".end"),
              c.hasPath(p + ".duration-days") ? v.intIn(p + ".duration-days", 1, 3650) : 14));
    }
    Map<String, StrategyConfig.Channel> channels = new LinkedHashMap<>();
    for (String channel : CONTACT_CHANNELS) {
      String p = base + ".channels." + channel;
      channels.put(
          channel,
          new StrategyConfig.Channel(
              v.doubleIn(p + ".cost", 0, true, 1e6),
              v.longIn(p + ".cap", 0, Long.MAX_VALUE),
              v.optionalString(p + ".consent-column")));
    }
    List<String> order = v.stringList(base + ".channel-order");
    for (String channel : order) {
      if (!CONTACT_CHANNELS.contains(channel)) {
        throw new InvalidConfigException(
            "Config key '"
                + base
                + ".channel-order' names '"
                + channel
                + "': channels are "
                + CONTACT_CHANNELS);
      }
    }
    Map<String, String> bySegment = v.stringMap(base + ".objective.by-segment");
    for (Map.Entry<String, String> e : bySegment.entrySet()) {
      if (!StrategyConfig.OBJECTIVES.contains(e.getValue())) {
        throw new InvalidConfigException(
            "Config key '"
                + base
                + ".objective.by-segment."
                + e.getKey()
                + "' is '"
                + e.getValue()
                + "': use one of "
                + StrategyConfig.OBJECTIVES);
      }
    }
    Map<String, Double> uplift = new LinkedHashMap<>();
    for (String offer : StrategyConfig.OFFERS) {
      uplift.put(offer, v.doubleIn(base + ".default-priors.uplift." + offer, -1, true, 1));
    }
    Map<String, Map<String, String>> templates = new LinkedHashMap<>();
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    for (String language : c.getConfig(base + ".templates").root().keySet()) {
      String t = base + ".templates." + language;
      Map<String, String> byObjective = v.stringMap(t);
      for (String objective : StrategyConfig.OBJECTIVES) {
        if (byObjective.get(objective) == null) {
          throw new InvalidConfigException(
              "Config key '"
                  + t
                  + "."
                  + objective
                  + "' is missing: every language needs a template for every objective "
                  + StrategyConfig.OBJECTIVES);
        }
      }
      for (Map.Entry<String, String> e : byObjective.entrySet()) {
        if (!StrategyConfig.OBJECTIVES.contains(e.getKey())) {
          throw new InvalidConfigException(
              "Unknown config key '"
                  + t
                  + "."
                  + e.getKey()
                  + "': objectives are "
                  + StrategyConfig.OBJECTIVES);
        }
        checkPlaceholders(t + "." + e.getKey(), e.getValue());
      }
      templates.put(language, byObjective);
      String l = base + ".offer-labels." + language;
      if (!c.hasPath(l)) {
        throw new InvalidConfigException(
            "Config key '"
                + l
                + "' is missing: language '"
                + language
                + "' has templates but no offer labels");
      }
      Map<String, String> byOffer = v.stringMap(l);
      for (String offer : StrategyConfig.OFFERS) {
        if (byOffer.get(offer) == null) {
          throw new InvalidConfigException("Config key '" + l + "." + offer + "' is missing");
        }
      }
      labels.put(language, byOffer);
    }
    String defaultLanguage = v.string(base + ".default-language");
    Map<String, String> languageByRegion = v.stringMap(base + ".language-by-region");
    for (Map.Entry<String, String> e :
        concat(Map.of("default-language", defaultLanguage), languageByRegion).entrySet()) {
      if (!templates.containsKey(e.getValue())) {
        throw new InvalidConfigException(
            "Config key '"
                + base
                + "."
                + (e.getKey().equals("default-language") ? "" : "language-by-region.")
                + e.getKey()
                + "' is '"
                + e.getValue()
                + "': templates exist for "
                + templates.keySet());
      }
    }
    return new StrategyConfig(
        campaigns,
        offers,
        channels,
        order,
        v.bool(base + ".consent-when-missing"),
        v.doubleIn(base + ".control-share", 0, true, 0.9),
        v.doubleIn(base + ".exploration-share", 0, true, 1),
        v.intIn(base + ".frequency-cap.max-contacts", 1, 1000),
        v.intIn(base + ".frequency-cap.days", 1, 3650),
        bySegment,
        v.intIn(base + ".objective.win-back-days", 1, 3650),
        new StrategyConfig.Priors(v.doubleIn(base + ".default-priors.none", 0, true, 1), uplift),
        v.doubleIn(base + ".prior-strength", 0, true, 1e9),
        v.intIn(base + ".prior-min-contacts", 0, Integer.MAX_VALUE),
        templates,
        labels,
        languageByRegion,
        defaultLanguage,
        v.intIn(base + ".default-send-hour", 0, 23),
        v.intIn(base + ".items", 0, 100));
  }

  private static Map<String, String> concat(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new LinkedHashMap<>(a);
    all.putAll(b);
    return all;
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)\\}");

  /** Every {name} of a template must be a known placeholder. */
  static void checkPlaceholders(String key, String template) {
    java.util.regex.Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!StrategyConfig.PLACEHOLDERS.contains(m.group(1))) {
        throw new InvalidConfigException(
            "Config key '"
                + key
                + "' uses placeholder {"
                + m.group(1)
                + "}: known placeholders are "
                + StrategyConfig.PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList());
      }
    }
  }

  private static Optional<java.time.LocalDate> optionalDate(Values v, Config c, String path) {
    if (!c.hasPathOrNull(path) || c.getIsNull(path)) {
      return Optional.empty();
    }
    String text = v.string(path);
    try {
      return Optional.of(java.time.LocalDate.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidConfigException(
          "Config key '" + path + "' is '" + text + "': use a date YYYY-MM-DD", e);
    }
  }

  private static EvaluateConfig evaluateConfig(Values v) {
    return new EvaluateConfig(
        v.intIn(ROOT + ".evaluate.min-group-size", 1, Integer.MAX_VALUE),
        v.optionalString(ROOT + ".evaluate.segment-sql"),
        v.optionalString(ROOT + ".export.jdbc-url"),
        v.string(ROOT + ".export.table"),
        v.optionalString(ROOT + ".export.user"),
        v.string(ROOT + ".export.password-env"));
  }

  private static RecommendConfig.Als als(Values v, String base) {
    return new RecommendConfig.Als(
        v.intIn(base + ".rank", 1, 1000),
        v.doubleIn(base + ".reg-param", 0, true, 1e6),
        v.doubleIn(base + ".alpha", 0, true, 1e6),
        v.intIn(base + ".max-iter", 1, 1000),
        v.longIn(base + ".seed", Long.MIN_VALUE, Long.MAX_VALUE));
  }

  private static InputConfig inputConfig(Values v, String name) {
    String base = ROOT + ".inputs." + name;
    String delimiter = v.string(base + ".csv.delimiter");
    if (delimiter.isEmpty()) {
      throw new InvalidConfigException(
          "Config key '" + base + ".csv.delimiter' is empty: give a delimiter such as \",\"");
    }
    CsvOptions csv =
        new CsvOptions(
            delimiter,
            v.bool(base + ".csv.header"),
            v.string(base + ".csv.quote"),
            v.string(base + ".csv.escape"),
            v.string(base + ".csv.encoding"),
            v.string(base + ".csv.null-value"),
            v.stringMap(base + ".csv.options"));
    Optional<FileFormat> format =
        v.optionalString(base + ".format").map(f -> FileFormat.parse(f, base + ".format"));
    return new InputConfig(
        name,
        v.optionalString(base + ".path"),
        format,
        v.stringMap(base + ".columns"),
        v.stringMap(base + ".constants"),
        csv);
  }

  private static Map<String, String> sparkSettings(Config c) {
    Map<String, String> settings = new TreeMap<>();
    if (c.hasPath("spark")) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig("spark").entrySet()) {
        settings.put("spark." + e.getKey(), String.valueOf(e.getValue().unwrapped()));
      }
    }
    return settings;
  }

  /** Typed reads that turn Typesafe's errors into messages naming the key. */
  private record Values(Config config) {

    String string(String path) {
      try {
        return config.getString(path);
      } catch (ConfigException.Missing e) {
        throw new InvalidConfigException("Config key '" + path + "' must be set", e);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be a string", e);
      }
    }

    Optional<String> optionalString(String path) {
      if (config.getIsNull(path)) {
        return Optional.empty();
      }
      String value = string(path);
      return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    boolean bool(String path) {
      try {
        return config.getBoolean(path);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be true or false", e);
      }
    }

    long longIn(String path, long min, long max) {
      long value;
      try {
        value = config.getLong(path);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be a whole number", e);
      }
      if (value < min || value > max) {
        throw new InvalidConfigException(
            "Config key '" + path + "' is " + value + ": must be between " + min + " and " + max);
      }
      return value;
    }

    int intIn(String path, int min, int max) {
      return (int) longIn(path, min, max);
    }

    double doubleIn(String path, double min, boolean minInclusive, double max) {
      double value;
      try {
        value = config.getDouble(path);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be a number", e);
      }
      boolean aboveMin = minInclusive ? value >= min : value > min;
      if (!aboveMin || value > max || Double.isNaN(value)) {
        throw new InvalidConfigException(
            "Config key '"
                + path
                + "' is "
                + value
                + ": must be "
                + (minInclusive ? "at least " : "greater than ")
                + min
                + " and at most "
                + max);
      }
      return value;
    }

    <E extends Enum<E>> E enumValue(String path, Class<E> type) {
      String value = string(path);
      try {
        return Enum.valueOf(
            type, value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
          allowed.add(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new InvalidConfigException(
            "Config key '" + path + "' is '" + value + "': use " + String.join(" or ", allowed), e);
      }
    }

    double[] doubles(String path, double min, double max) {
      List<Double> values;
      try {
        values = config.getDoubleList(path);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be a list of numbers", e);
      }
      if (values.isEmpty() || values.stream().anyMatch(d -> d < min || d > max)) {
        throw new InvalidConfigException(
            "Config key '"
                + path
                + "' is "
                + values
                + ": give one or more numbers from "
                + min
                + " to "
                + max);
      }
      return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    List<List<Integer>> intLists(String path) {
      List<List<Integer>> lists = new ArrayList<>();
      try {
        for (ConfigValue entry : config.getList(path)) {
          List<Integer> ints = new ArrayList<>();
          for (Object n : (List<?>) entry.unwrapped()) {
            ints.add(((Number) n).intValue());
          }
          lists.add(ints);
        }
      } catch (ConfigException | ClassCastException e) {
        throw new InvalidConfigException(
            "Config key '" + path + "' must be a list of lists of numbers, e.g. [[32, 16], [16]]",
            e);
      }
      return lists;
    }

    List<String> stringList(String path) {
      try {
        return config.getStringList(path);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be a list of strings", e);
      }
    }

    Map<String, String> stringMap(String path) {
      Map<String, String> map = new LinkedHashMap<>();
      Config sub;
      try {
        sub = config.getConfig(path);
      } catch (ConfigException e) {
        throw new InvalidConfigException("Config key '" + path + "' must be an object", e);
      }
      List<String> keys = new ArrayList<>(sub.root().keySet());
      for (String key : keys) {
        ConfigValue value = sub.root().get(key);
        if (value.valueType() == ConfigValueType.OBJECT
            || value.valueType() == ConfigValueType.LIST) {
          throw new InvalidConfigException(
              "Config key '" + path + "." + key + "' must be a plain value");
        }
        map.put(
            key,
            value.valueType() == ConfigValueType.NULL ? null : String.valueOf(value.unwrapped()));
      }
      map.values().removeIf(java.util.Objects::isNull);
      return map;
    }
  }
}
