package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Features;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.model.Metrics;
import org.marketingengine.model.ModelStore;
import org.marketingengine.model.TrainJob;
import org.marketingengine.profile.ProfileJob;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.recommend.RecommendJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategy stage: per user and active campaign one row of {@code strategy/user_strategy}
 * (objective, offer, channel, items, message, expected value and cost, priority, send time, reason,
 * treatment or control), and {@code strategy/segment_summary}.
 */
public final class StrategyJob {
  private static final Logger LOG = LoggerFactory.getLogger(StrategyJob.class);
  public static final String STAGE = "strategy";
  public static final String USER_STRATEGY = "strategy/user_strategy";
  public static final String SEGMENT_SUMMARY = "strategy/segment_summary";
  public static final String OFFER_PRIORS = "feedback/offer_priors";
  public static final String NONE = "none";
  static final double DEFAULT_ORDER_VALUE = 50.0;

  private StrategyJob() {}

  /** Per campaign: users, contacted, control, expected cost. */
  public record Result(Map<String, Row> campaigns) {}

  public static Result run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    LocalDate runDate = config.runDate();
    spark.sparkContext().setJobGroup(STAGE, "strategy " + runDate, false);
    StrategyConfig settings = config.strategy();
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    Dataset<Row> profiles =
        store
            .readIfPresent(ProfileJob.USER_PROFILES, runDate)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Cannot plan the strategy: no profiles/user_profiles for run_date="
                            + runDate
                            + ". Run the profile stage for that date first"));
    List<StrategyConfig.Campaign> campaigns =
        settings.campaigns().values().stream().filter(c -> c.activeFor(runDate)).toList();
    if (campaigns.isEmpty()) {
      LOG.warn(
          "strategy: no campaign of marketing.strategy.campaigns is active on {}",
          runDate.plusDays(1));
    }
    Dataset<Row> users = userBase(spark, store, config, profiles).cache();
    try {
      Dataset<Row> all = null;
      for (StrategyConfig.Campaign campaign : campaigns) {
        Dataset<Row> plan = plan(spark, store, config, users, campaign);
        all = all == null ? plan : all.unionByName(plan);
      }
      if (all == null) {
        all = plan(spark, store, config, users.limit(0), emptyCampaign(runDate));
      }
      store.write(USER_STRATEGY, runDate, all);
      Dataset<Row> written = store.read(USER_STRATEGY, runDate).drop(Columns.RUN_DATE);
      store.write(SEGMENT_SUMMARY, runDate, segmentSummary(written));
      Map<String, Row> byCampaign = new LinkedHashMap<>();
      for (Row r :
          written
              .groupBy("campaign_id")
              .agg(
                  count(lit(1)).as("users"),
                  sum(when(col("contacted"), 1).otherwise(0)).as("contacted"),
                  sum(when(col("group").equalTo("control"), 1).otherwise(0)).as("control"),
                  sum(when(col("contacted"), col("expected_cost"))).as("expected_cost"),
                  sum(when(col("contacted"), col("expected_profit"))).as("expected_profit"))
              .collectAsList()) {
        byCampaign.put(r.getString(0), r);
        LOG.info(
            "strategy {}: {} users, {} contacted, {} control, expected cost {}, expected"
                + " incremental profit {}",
            r.getString(0),
            r.getLong(1),
            r.getLong(2),
            r.getLong(3),
            r.isNullAt(4) ? 0 : String.format("%.2f", r.getDouble(4)),
            r.isNullAt(5) ? 0 : String.format("%.2f", r.getDouble(5)));
      }
      LOG.info(
          "strategy done in {}: {} campaigns for {}",
          StageCounts.elapsed(started),
          byCampaign.size(),
          runDate);
      return new Result(byCampaign);
    } finally {
      users.unpersist();
    }
  }

  private static StrategyConfig.Campaign emptyCampaign(LocalDate runDate) {
    return new StrategyConfig.Campaign(
        "none", "revenue", List.of("discount"), 0, Optional.empty(), Optional.empty(), 1);
  }

  /**
   * One row per user with what every campaign needs: profile columns, consent per channel, the
   * chosen channel, order value, language, items and their names, the usual send time, and the
   * number of contacts in the frequency-cap window.
   */
  static Dataset<Row> userBase(
      SparkSession spark, TableStore store, JobConfig config, Dataset<Row> profiles) {
    StrategyConfig settings = config.strategy();
    LocalDate runDate = config.runDate();
    Dataset<Row> users = profiles;
    Optional<Dataset<Row>> silverUsers =
        store.readIfPresent(CleanJob.silverTable(InputSchemas.USERS), runDate);
    List<String> consentColumns = new ArrayList<>();
    for (StrategyConfig.Channel c : settings.channels().values()) {
      c.consentColumn().ifPresent(consentColumns::add);
    }
    if (silverUsers.isPresent()) {
      List<String> have = Arrays.asList(silverUsers.get().columns());
      List<Column> select = new ArrayList<>(List.of(col(Features.USER_ID)));
      for (String c : consentColumns) {
        if (have.contains(c)) {
          select.add(col(c));
        }
      }
      users =
          users.join(
              silverUsers.get().select(select.toArray(Column[]::new)), Features.USER_ID, "left");
    }
    for (String channel : settings.channels().keySet()) {
      users =
          users.withColumn("consent_" + channel, StrategyRules.consent(users, settings, channel));
    }
    Row meanOrder =
        users
            .where(col(Features.FREQUENCY).gt(0))
            .agg(avg(col(Features.MONETARY).divide(col(Features.FREQUENCY))))
            .first();
    double defaultOrder = meanOrder.isNullAt(0) ? DEFAULT_ORDER_VALUE : meanOrder.getDouble(0);
    users =
        users
            .withColumn("channel", StrategyRules.channel(settings))
            .withColumn(
                "order_value",
                when(
                        col(Features.FREQUENCY).gt(0),
                        col(Features.MONETARY).divide(col(Features.FREQUENCY)))
                    .otherwise(lit(defaultOrder)))
            .withColumn("language", StrategyRules.language(settings))
            .withColumn("objective", StrategyRules.objective(settings))
            .withColumn("objective_rule", StrategyRules.objectiveRule(settings));
    users = users.join(items(store, runDate, settings.items()), Features.USER_ID, "left");
    users = users.join(usualTimes(store, config), Features.USER_ID, "left");
    users = users.join(recentContacts(store, config), Features.USER_ID, "left");
    return users.withColumn("recent_contacts", coalesce(col("recent_contacts"), lit(0L)));
  }

  /** The user's top recommended item ids and names, in rank order. */
  private static Dataset<Row> items(TableStore store, LocalDate runDate, int n) {
    Optional<Dataset<Row>> recs = store.readIfPresent(RecommendJob.RECOMMENDATIONS, runDate);
    Dataset<Row> empty =
        store
            .spark()
            .createDataFrame(
                List.of(),
                new org.apache.spark.sql.types.StructType()
                    .add(Features.USER_ID, "string")
                    .add("items", "array<string>")
                    .add("item_names", "array<string>"));
    if (recs.isEmpty() || n == 0) {
      return empty;
    }
    Dataset<Row> names =
        store
            .readIfPresent(CleanJob.silverTable(InputSchemas.ITEMS), runDate)
            .map(
                i ->
                    i.select(
                        col(Columns.Items.ITEM_ID),
                        Arrays.asList(i.columns()).contains(Columns.Items.NAME)
                            ? col(Columns.Items.NAME).as("_name")
                            : lit(null).cast("string").as("_name")))
            .orElseGet(
                () ->
                    empty.select(
                        col(Features.USER_ID).as("item_id"), lit(null).cast("string").as("_name")));
    return recs.get()
        .where(col("rank").leq(n))
        .join(names, "item_id", "left")
        .groupBy(Features.USER_ID)
        .agg(
            expr("transform(array_sort(collect_list(struct(rank, item_id, coalesce(_name,"
                    + " item_id) as name))), s -> s.item_id)")
                .as("items"),
            expr("transform(array_sort(collect_list(struct(rank, item_id, coalesce(_name,"
                    + " item_id) as name))), s -> s.name)")
                .as("item_names"));
  }

  /** The hour of day and day of week with most of the user's events in the feature window. */
  private static Dataset<Row> usualTimes(TableStore store, JobConfig config) {
    Optional<Dataset<Row>> events =
        store.readIfPresent(CleanJob.silverTable(InputSchemas.EVENTS), config.runDate());
    if (events.isEmpty()) {
      return store
          .spark()
          .createDataFrame(
              List.of(),
              new org.apache.spark.sql.types.StructType()
                  .add(Features.USER_ID, "string")
                  .add("usual_hour", "int")
                  .add("usual_dow", "int"));
    }
    Dataset<Row> recent =
        org.marketingengine.recommend.Interactions.window(
                events.get(), config.runDate(), config.features().featureDays())
            .select(
                col(Features.USER_ID),
                hour(col(Columns.Events.EVENT_TIME)).as("_hour"),
                dayofweek(col(Columns.Events.EVENT_TIME)).as("_dow"));
    Dataset<Row> hours =
        recent
            .groupBy(Features.USER_ID, "_hour")
            .count()
            .groupBy(Features.USER_ID)
            .agg(
                max_by(col("_hour"), struct(col("count"), col("_hour").multiply(-1)))
                    .as("usual_hour"));
    Dataset<Row> days =
        recent
            .groupBy(Features.USER_ID, "_dow")
            .count()
            .groupBy(Features.USER_ID)
            .agg(
                max_by(col("_dow"), struct(col("count"), col("_dow").multiply(-1)))
                    .as("usual_dow"));
    return hours.join(days, Features.USER_ID);
  }

  /** Contacts of each user in the frequency-cap window, from earlier runs' strategy tables. */
  private static Dataset<Row> recentContacts(TableStore store, JobConfig config) {
    LocalDate runDate = config.runDate();
    int days = config.strategy().capDays();
    List<LocalDate> earlier =
        store.dates(USER_STRATEGY).stream()
            .filter(d -> d.isBefore(runDate) && !d.isBefore(runDate.minusDays(days)))
            .toList();
    if (earlier.isEmpty()) {
      return store
          .spark()
          .createDataFrame(
              List.of(),
              new org.apache.spark.sql.types.StructType()
                  .add(Features.USER_ID, "string")
                  .add("recent_contacts", "long"));
    }
    Dataset<Row> contacts = null;
    for (LocalDate d : earlier) {
      Dataset<Row> one =
          store.read(USER_STRATEGY, d).where(col("contacted")).select(Features.USER_ID);
      contacts = contacts == null ? one : contacts.unionByName(one);
    }
    return contacts.groupBy(Features.USER_ID).agg(count(lit(1)).as("recent_contacts"));
  }

  /** The plan of one campaign for every user. */
  static Dataset<Row> plan(
      SparkSession spark,
      TableStore store,
      JobConfig config,
      Dataset<Row> users,
      StrategyConfig.Campaign campaign) {
    StrategyConfig settings = config.strategy();
    LocalDate runDate = config.runDate();
    ResponseRates rates = responseRates(spark, store, config, users, campaign);
    Dataset<Row> rows = rates.rows();
    rows =
        rows.withColumn(
            "_contact_cost",
            StrategyRules.perChannel(settings, col("channel"), StrategyConfig.Channel::cost, 0.0));
    Column margin = coalesce(col(ProfileJob.MARGIN_RATE), lit(config.profile().defaultMargin()));
    // Best offer by expected incremental profit; the exploring users get a random one.
    Column bestOffer = lit(NONE);
    Column bestProfit = lit(0.0);
    Map<String, Column> profits = new LinkedHashMap<>();
    for (String offer : campaign.offers()) {
      Column profit =
          StrategyRules.incrementalProfit(
              col("_p_" + offer),
              col("_p_none"),
              col("order_value"),
              margin,
              settings.offers().get(offer),
              col("_contact_cost"));
      profits.put(offer, profit);
      bestOffer = when(profit.gt(bestProfit), lit(offer)).otherwise(bestOffer);
      bestProfit = greatest(profit, bestProfit);
    }
    rows =
        rows.withColumn("_best_offer", bestOffer)
            .withColumn(
                "_exploring",
                StrategyRules.isExploration(campaign.id(), settings.explorationShare()))
            .withColumn(
                "planned_offer",
                when(
                        col("_exploring"),
                        StrategyRules.explorationOffer(campaign.id(), campaign.offers()))
                    .otherwise(col("_best_offer")));
    Column plannedProfit = lit(0.0);
    Column pPlanned = col("_p_none");
    Column costPerConversion = lit(0.0);
    for (String offer : campaign.offers()) {
      Column is = col("planned_offer").equalTo(offer);
      plannedProfit = when(is, profits.get(offer)).otherwise(plannedProfit);
      pPlanned = when(is, col("_p_" + offer)).otherwise(pPlanned);
      costPerConversion =
          when(is, StrategyRules.offerCost(settings.offers().get(offer), col("order_value")))
              .otherwise(costPerConversion);
    }
    rows =
        rows.withColumn("expected_profit", plannedProfit)
            .withColumn("_p_planned", pPlanned)
            .withColumn(
                "expected_cost",
                col("_contact_cost").plus(col("_p_planned").multiply(costPerConversion)))
            .withColumn(
                "expected_value",
                col("_p_planned")
                    .minus(col("_p_none"))
                    .multiply(col("order_value"))
                    .multiply(margin));
    Column priority =
        switch (campaign.goal()) {
          case "conversions" -> col("_p_planned").minus(col("_p_none"));
          case "reach" -> col("expected_cost").multiply(-1);
          case "retention" ->
              lit(1.0)
                  .minus(coalesce(col("purchase_propensity"), lit(0.5)))
                  .multiply(col("order_value"))
                  .multiply(margin);
          default -> col("expected_profit");
        };
    Column capped = col("recent_contacts").geq(settings.maxContacts());
    Column eligible = col("channel").isNotNull().and(capped.unary_$bang());
    Column wanted = eligible.and(col("planned_offer").notEqual(NONE));
    rows = rows.withColumn("_priority_score", priority).withColumn("_wanted", wanted);
    // Channel caps, then the budget, in order of the goal's priority.
    Dataset<Row> ranked =
        rows.withColumn(
            "_channel_rank",
            when(
                col("_wanted"),
                row_number()
                    .over(
                        Window.partitionBy(col("channel"), col("_wanted"))
                            .orderBy(col("_priority_score").desc(), col(Features.USER_ID)))));
    Column channelCap =
        StrategyRules.perChannel(
            settings, col("channel"), StrategyConfig.Channel::cap, Long.MAX_VALUE);
    ranked =
        ranked.withColumn("_within_cap", col("_wanted").and(col("_channel_rank").leq(channelCap)));
    ranked =
        ranked.withColumn(
            "_spent",
            when(
                col("_within_cap"),
                sum(col("expected_cost"))
                    .over(
                        Window.partitionBy(col("_within_cap"))
                            .orderBy(col("_priority_score").desc(), col(Features.USER_ID))
                            .rowsBetween(Window.unboundedPreceding(), Window.currentRow()))));
    Column selected = col("_within_cap").and(col("_spent").leq(campaign.budget()));
    Column control = StrategyRules.isControl(campaign.id(), settings.controlShare());
    ranked =
        ranked
            .withColumn("_selected", selected)
            .withColumn(
                "group",
                when(col("_selected").and(control), lit("control"))
                    .when(col("_selected"), lit("treatment"))
                    .otherwise(lit(NONE)))
            .withColumn("contacted", col("group").equalTo("treatment"))
            .withColumn("offer", when(col("contacted"), col("planned_offer")).otherwise(lit(NONE)))
            .withColumn(
                "channel",
                when(col("contacted"), col("channel")).otherwise(lit(null).cast("string")));
    ranked =
        ranked.withColumn(
            "priority",
            when(
                col("contacted"),
                row_number()
                    .over(
                        Window.partitionBy(col("contacted"))
                            .orderBy(col("_priority_score").desc(), col(Features.USER_ID)))));
    LocalDate start = campaign.startFor(runDate);
    Column sendDow =
        coalesce(col("usual_dow"), lit(java.time.DayOfWeek.from(start).getValue() % 7 + 1));
    Column sendHour = coalesce(col("usual_hour"), lit(settings.defaultSendHour()));
    Column startDow = lit(start.getDayOfWeek().getValue() % 7 + 1);
    Column sendDate =
        date_add(
            lit(java.sql.Date.valueOf(start)), pmod(sendDow.minus(startDow), lit(7)).cast("int"));
    Column sendAt =
        expr(
            "make_timestamp(year(_send_date), month(_send_date), day(_send_date), _send_hour, 0, 0, 'UTC')");
    ranked =
        ranked
            .withColumn("_send_date", sendDate)
            .withColumn("_send_hour", sendHour)
            .withColumn("send_at", when(col("contacted"), sendAt))
            .withColumn("message", when(col("contacted"), StrategyRules.message(settings)));
    Column reason =
        concat_ws(
            "; ",
            concat(lit("objective "), col("objective"), lit(": "), col("objective_rule")),
            when(
                    col("channel").isNull().and(col("consent_any").unary_$bang()),
                    lit("no consent for any channel"))
                .when(
                    capped,
                    lit(
                        "frequency cap: "
                            + settings.maxContacts()
                            + " contacts in "
                            + settings.capDays()
                            + " days"))
                .when(
                    col("group").equalTo("control"),
                    concat(lit("control group, planned offer "), col("planned_offer")))
                .when(
                    col("planned_offer").equalTo(NONE),
                    lit("no offer with positive expected profit"))
                .when(
                    col("_wanted").and(col("_within_cap").unary_$bang()),
                    lit("channel cap reached"))
                .when(col("_wanted").and(col("_selected").unary_$bang()), lit("over budget"))
                .when(
                    col("_exploring"),
                    concat(lit("exploration offer "), col("offer"), lit(" via "), col("channel")))
                .otherwise(
                    concat(
                        lit("best expected incremental profit: "),
                        col("offer"),
                        lit(" via "),
                        col("channel"),
                        lit(" (" + rates.source() + ")"))),
            when(
                col("top_drivers").isNotNull(),
                concat(lit("drivers: "), array_join(col("top_drivers"), ", "))));
    return ranked
        .withColumn("reason", reason)
        .withColumn("campaign_id", lit(campaign.id()))
        .withColumn("goal", lit(campaign.goal()))
        .withColumn(
            "strategy_id",
            substring(
                sha2(
                    concat_ws(
                        "|", lit(campaign.id()), col(Features.USER_ID), lit(runDate.toString())),
                    256),
                1,
                16))
        .select(
            col("strategy_id"),
            col("campaign_id"),
            col("goal"),
            col(Features.USER_ID),
            col("rfm_segment").as("segment"),
            col("objective"),
            col("offer"),
            col("planned_offer"),
            col("channel"),
            col("contacted"),
            col("group"),
            col("items"),
            col("language"),
            col("message"),
            col("_p_none").as("p_response_no_offer"),
            col("_p_planned").as("p_response_offer"),
            col("expected_value"),
            col("expected_cost"),
            col("expected_profit"),
            col("priority"),
            col("send_at"),
            col("reason"));
  }

  /** Response probabilities per user: without offer and with each offer, and their source. */
  record ResponseRates(Dataset<Row> rows, String source) {}

  /**
   * P(response) without and with each offer: from {@code feedback/offer_priors} (latest on or
   * before the run date) where they exist, else from the response champion scored with each offer,
   * else the configured defaults.
   */
  static ResponseRates responseRates(
      SparkSession spark,
      TableStore store,
      JobConfig config,
      Dataset<Row> users,
      StrategyConfig.Campaign campaign) {
    StrategyConfig settings = config.strategy();
    LocalDate runDate = config.runDate();
    Dataset<Row> rows = users.withColumn("consent_any", anyConsent(settings));
    Optional<LocalDate> priorsDate =
        store.dates(OFFER_PRIORS).stream().filter(d -> !d.isAfter(runDate)).reduce((a, b) -> b);
    if (priorsDate.isPresent()) {
      Dataset<Row> priors =
          store
              .read(OFFER_PRIORS, priorsDate.get())
              .where(
                  col("treatment_contacts")
                      .geq(settings.minPriorContacts())
                      .or(col("offer").equalTo(NONE)));
      Dataset<Row> bySegment = priors.where(col("segment").notEqual("all"));
      Dataset<Row> overall = priors.where(col("segment").equalTo("all"));
      Column pNone = coalesce(col("_seg_none"), col("_all_none"), lit(settings.priors().none()));
      Dataset<Row> overallRow = pivot(overall, "_all_").drop("_all_segment");
      if (overallRow.isEmpty()) {
        overallRow = emptyPivot(spark, overall);
      }
      rows =
          rows.join(
                  pivot(bySegment, "_seg_"),
                  col("rfm_segment").equalTo(col("_seg_segment")),
                  "left")
              .crossJoin(overallRow);
      rows = rows.withColumn("_p_none", pNone);
      for (String offer : campaign.offers()) {
        rows =
            rows.withColumn(
                "_p_" + offer,
                coalesce(
                    col("_seg_" + offer),
                    col("_all_" + offer),
                    col("_p_none").plus(settings.priors().uplift().get(offer))));
      }
      LOG.info(
          "strategy {}: response rates from feedback/offer_priors of {}",
          campaign.id(),
          priorsDate.get());
      return new ResponseRates(rows, "offer priors of " + priorsDate.get());
    }
    Optional<LocalDate> modelDate = ModelStore.latestRun(spark, config.outputRoot(), runDate);
    if (modelDate.isPresent()) {
      ModelStore models = new ModelStore(spark, config.outputRoot(), modelDate.get());
      String response = models.champions().get(TrainJob.RESPONSE);
      if (response != null && store.hasPartition(FeaturesJob.USER_FEATURES, runDate)) {
        PipelineModel model = models.load(response);
        Dataset<Row> scoring =
            store
                .read(FeaturesJob.USER_FEATURES, runDate)
                .drop(Columns.RUN_DATE)
                .where(col(Features.PURPOSE).equalTo(UserFeatures.SCORING))
                .drop(Features.CONTACT_CHANNEL, Features.OFFER)
                .join(
                    users.select(
                        col(Features.USER_ID), col("channel").as(Features.CONTACT_CHANNEL)),
                    Features.USER_ID);
        List<String> offers = new ArrayList<>(campaign.offers());
        offers.add(0, NONE);
        for (String offer : offers) {
          Dataset<Row> scored =
              Metrics.withScore(model.transform(scoring.withColumn(Features.OFFER, lit(offer))))
                  .select(col(Features.USER_ID), col(Metrics.SCORE).as("_p_" + offer));
          rows = rows.join(scored, Features.USER_ID, "left");
        }
        for (String offer : offers) {
          rows =
              rows.withColumn(
                  "_p_" + offer, coalesce(col("_p_" + offer), lit(settings.priors().none())));
        }
        LOG.info(
            "strategy {}: response rates from the response model {} of {}",
            campaign.id(),
            response,
            modelDate.get());
        return new ResponseRates(rows, "response model " + response);
      }
    }
    rows = rows.withColumn("_p_none", lit(settings.priors().none()));
    for (String offer : campaign.offers()) {
      rows =
          rows.withColumn(
              "_p_" + offer, lit(settings.priors().none() + settings.priors().uplift().get(offer)));
    }
    LOG.info(
        "strategy {}: no offer priors and no response model; default response rates",
        campaign.id());
    return new ResponseRates(rows, "default priors");
  }

  private static Column anyConsent(StrategyConfig settings) {
    Column any = lit(false);
    for (String channel : settings.channels().keySet()) {
      any = any.or(col("consent_" + channel));
    }
    return any;
  }

  /** Priors as one row per segment with a column per offer: {@code <prefix><offer>}. */
  private static Dataset<Row> pivot(Dataset<Row> priors, String prefix) {
    List<Column> aggregates = new ArrayList<>();
    List<String> offers = new ArrayList<>(StrategyConfig.OFFERS);
    offers.add(NONE);
    for (String offer : offers) {
      aggregates.add(
          org.apache
              .spark
              .sql
              .functions
              .max(when(col("offer").equalTo(offer), col("response_rate")))
              .as(prefix + offer));
    }
    return priors
        .groupBy(col("segment").as(prefix + "segment"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /** One row of nulls with the columns of {@link #pivot} of the overall priors. */
  private static Dataset<Row> emptyPivot(SparkSession spark, Dataset<Row> overall) {
    Dataset<Row> p = pivot(overall.limit(0), "_all_").drop("_all_segment");
    List<Column> nulls = new ArrayList<>();
    for (String c : p.columns()) {
      nulls.add(lit(null).cast("double").as(c));
    }
    return spark.range(1).select(nulls.toArray(Column[]::new));
  }

  /** Prints the run date's segment summary as a table (a few rows per campaign). */
  public static void printSummary(SparkSession spark, JobConfig config, java.io.PrintWriter out) {
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    if (!store.hasPartition(SEGMENT_SUMMARY, config.runDate())) {
      return;
    }
    List<Row> rows =
        store
            .read(SEGMENT_SUMMARY, config.runDate())
            .orderBy(col("campaign_id"), col("segment"), col("objective"))
            .collectAsList();
    out.printf(
        "%-12s %-16s %-9s %7s %9s %7s %8s %8s %8s %8s %11s %10s%n",
        "campaign",
        "segment",
        "objective",
        "users",
        "contacted",
        "control",
        "discount",
        "coupon",
        "free_sh",
        "bundle",
        "exp_value",
        "budget");
    for (Row r : rows) {
      out.printf(
          java.util.Locale.ROOT,
          "%-12s %-16s %-9s %7d %9d %7d %8d %8d %8d %8d %11.2f %10.2f%n",
          r.<String>getAs("campaign_id"),
          r.<String>getAs("segment"),
          r.<String>getAs("objective"),
          r.<Long>getAs("users"),
          r.<Long>getAs("contacted"),
          r.<Long>getAs("control"),
          r.<Long>getAs("offer_discount"),
          r.<Long>getAs("offer_coupon"),
          r.<Long>getAs("offer_free_shipping"),
          r.<Long>getAs("offer_bundle"),
          r.<Double>getAs("expected_value"),
          r.<Double>getAs("budget_used"));
    }
    out.flush();
  }

  /** Per campaign, segment and objective: users, contacts, control, offers, value, cost. */
  static Dataset<Row> segmentSummary(Dataset<Row> strategy) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(sum(when(col("contacted"), 1).otherwise(0)).as("contacted"));
    aggregates.add(sum(when(col("group").equalTo("control"), 1).otherwise(0)).as("control"));
    for (String offer : StrategyConfig.OFFERS) {
      aggregates.add(sum(when(col("offer").equalTo(offer), 1).otherwise(0)).as("offer_" + offer));
    }
    aggregates.add(
        sum(when(col("contacted"), col("expected_value")).otherwise(0.0)).as("expected_value"));
    aggregates.add(
        sum(when(col("contacted"), col("expected_cost")).otherwise(0.0)).as("budget_used"));
    aggregates.add(
        sum(when(col("contacted"), col("expected_profit")).otherwise(0.0)).as("expected_profit"));
    return strategy
        .groupBy(col("campaign_id"), col("segment"), col("objective"))
        .agg(count(lit(1)).as("users"), aggregates.toArray(Column[]::new));
  }
}
