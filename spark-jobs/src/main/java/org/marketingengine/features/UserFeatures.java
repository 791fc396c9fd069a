package org.marketingengine.features;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.FeaturesConfig;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.quality.StageCounts;

/**
 * Leakage-free user features, as functions of DataFrames.
 *
 * <p>Every output row is an <em>anchor</em>: a user, a purpose and a time window. Training anchors
 * see {@code [T - label - feature days, T - label days)} and carry labels from {@code [T - label
 * days, T)}; scoring anchors see {@code [T - feature days, T)}; response anchors (one per campaign
 * contact) see {@code [sent_time - feature days, sent_time)} and carry {@code responded}. Each
 * family joins its source to the anchors and keeps only rows inside the anchor's window, so nothing
 * at or after a window's end can reach a feature. Shuffles: one join and one aggregation per
 * family; market context uses a small as-of table per distinct window end.
 */
public final class UserFeatures {
  private UserFeatures() {}

  public static final String TRAINING = "training";
  public static final String SCORING = "scoring";
  public static final String RESPONSE = "response";

  private static final String LABEL_START = "_label_start";
  private static final String CATEGORY = "_category";
  private static final String TOP_CATEGORIES = "_top_categories";
  private static final long DAY_SECONDS = 86_400L;

  /** The sources of the features; only events and users' ids are needed. */
  public record Sources(
      Dataset<Row> events,
      Optional<Dataset<Row>> users,
      Optional<Dataset<Row>> items,
      Optional<Dataset<Row>> market,
      Optional<Dataset<Row>> social,
      Optional<Dataset<Row>> responses) {}

  /**
   * All features for run date {@code runDate}.
   *
   * @param categories the categories of the affinity vector, in vector order
   */
  public static Dataset<Row> apply(
      Sources sources, LocalDate runDate, FeaturesConfig config, List<String> categories) {
    Dataset<Row> anchors = anchors(sources, runDate, config);
    Dataset<Row> events = withCategory(sources.events(), sources.items());
    Dataset<Row> affinity = categoryAffinity(events, anchors, config, categories);
    Dataset<Row> result =
        anchors
            .join(behaviour(events, anchors, config), Features.ANCHOR_ID, "left")
            .join(affinity, Features.ANCHOR_ID, "left");
    result = fillBehaviour(result, config, categories.size());
    result =
        result.join(
            social(sources.social(), anchors, affinity, config), Features.ANCHOR_ID, "left");
    result =
        result.join(
            marketContext(sources.market(), anchors, affinity, sources.users()),
            Features.ANCHOR_ID,
            "left");
    result = attributes(result, sources.users(), config);
    result = result.join(labels(sources.events(), anchors), Features.ANCHOR_ID, "left");
    result =
        result
            .withColumn(
                Features.PURCHASED,
                when(
                    col(Features.PURPOSE).equalTo(TRAINING),
                    coalesce(col(Features.PURCHASED), lit(0))))
            .withColumn(
                Features.SPEND,
                when(
                    col(Features.PURPOSE).equalTo(TRAINING),
                    coalesce(col(Features.SPEND), lit(0.0))));
    return result.drop(LABEL_START, TOP_CATEGORIES);
  }

  /** Training and scoring anchors for every known user, and response anchors per contact. */
  static Dataset<Row> anchors(Sources sources, LocalDate runDate, FeaturesConfig config) {
    Timestamp end = midnight(runDate);
    Timestamp trainingEnd = midnight(runDate.minusDays(config.labelDays()));
    Dataset<Row> userIds = knownUsers(sources);
    Column signup = col(Users.SIGNUP_DATE);
    Dataset<Row> training =
        userIds
            .where(signup.isNull().or(signup.lt(to_date(lit(trainingEnd)))))
            .select(
                col(Users.USER_ID),
                lit(TRAINING).as(Features.PURPOSE),
                lit(null).cast(DataTypes.StringType).as(Features.CAMPAIGN_ID),
                lit(midnight(runDate.minusDays(config.labelDays() + (long) config.featureDays())))
                    .as(Features.WINDOW_START),
                lit(trainingEnd).as(Features.WINDOW_END),
                lit(end).as(Features.LABEL_END));
    Dataset<Row> scoring =
        userIds.select(
            col(Users.USER_ID),
            lit(SCORING).as(Features.PURPOSE),
            lit(null).cast(DataTypes.StringType).as(Features.CAMPAIGN_ID),
            lit(midnight(runDate.minusDays(config.featureDays()))).as(Features.WINDOW_START),
            lit(end).as(Features.WINDOW_END),
            lit(null).cast(DataTypes.TimestampType).as(Features.LABEL_END));
    Dataset<Row> anchors = addContactColumns(training).unionByName(addContactColumns(scoring));
    if (sources.responses().isPresent()) {
      Column sent = col(Responses.SENT_TIME);
      Dataset<Row> contacts =
          sources
              .responses()
              .get()
              .where(sent.lt(lit(end)))
              .select(
                  col(Responses.USER_ID),
                  lit(RESPONSE).as(Features.PURPOSE),
                  col(Responses.CAMPAIGN_ID),
                  expr("sent_time - make_interval(0, 0, 0, " + config.featureDays() + ")")
                      .as(Features.WINDOW_START),
                  sent.as(Features.WINDOW_END),
                  lit(null).cast(DataTypes.TimestampType).as(Features.LABEL_END),
                  optional(sources.responses().get(), Responses.OFFER).as(Features.OFFER),
                  optional(sources.responses().get(), Responses.CHANNEL)
                      .as(Features.CONTACT_CHANNEL),
                  col(Responses.GROUP).as(Features.CONTACT_GROUP),
                  when(col(Responses.CONVERTED), 1).otherwise(0).as(Features.RESPONDED));
      anchors = anchors.unionByName(contacts);
    }
    return anchors.withColumn(
        Features.ANCHOR_ID,
        concat_ws(
            "|",
            col(Features.PURPOSE),
            coalesce(col(Features.CAMPAIGN_ID), lit("")),
            col(Features.USER_ID)));
  }

  private static Dataset<Row> addContactColumns(Dataset<Row> anchors) {
    return anchors
        .withColumn(Features.OFFER, lit(null).cast(DataTypes.StringType))
        .withColumn(Features.CONTACT_CHANNEL, lit(null).cast(DataTypes.StringType))
        .withColumn(Features.CONTACT_GROUP, lit(null).cast(DataTypes.StringType))
        .withColumn(Features.RESPONDED, lit(null).cast(DataTypes.IntegerType));
  }

  /** Users of the users table and users seen in events, with their signup date if known. */
  private static Dataset<Row> knownUsers(Sources sources) {
    Dataset<Row> fromEvents = sources.events().select(col(Events.USER_ID)).distinct();
    if (sources.users().isEmpty()) {
      return fromEvents.withColumn(Users.SIGNUP_DATE, lit(null).cast(DataTypes.DateType));
    }
    Dataset<Row> users =
        sources
            .users()
            .get()
            .select(
                col(Users.USER_ID),
                optional(sources.users().get(), Users.SIGNUP_DATE)
                    .cast(DataTypes.DateType)
                    .as(Users.SIGNUP_DATE));
    return users.unionByName(
        fromEvents
            .join(users, Users.USER_ID, "left_anti")
            .withColumn(Users.SIGNUP_DATE, lit(null).cast(DataTypes.DateType)));
  }

  /** Events with the category of their item (null when the catalog is missing or lacks it). */
  static Dataset<Row> withCategory(Dataset<Row> events, Optional<Dataset<Row>> items) {
    if (items.isEmpty()) {
      return events.withColumn(CATEGORY, lit(null).cast(DataTypes.StringType));
    }
    Dataset<Row> categories =
        items
            .get()
            .select(col(Items.ITEM_ID).as("_item"), col(Items.CATEGORY).as(CATEGORY))
            .dropDuplicates("_item");
    return events
        .join(broadcast(categories), col(Events.ITEM_ID).equalTo(col("_item")), "left")
        .drop("_item");
  }

  /** The rows of {@code source} inside each anchor's window, joined on the user. */
  private static Dataset<Row> inWindow(
      Dataset<Row> source, String timeColumn, Dataset<Row> anchors) {
    Dataset<Row> windows =
        anchors.select(
            col(Features.ANCHOR_ID),
            col(Features.USER_ID).as("_anchor_user"),
            col(Features.WINDOW_START),
            col(Features.WINDOW_END));
    Column time = col(timeColumn);
    return source
        .join(windows, col(Events.USER_ID).equalTo(col("_anchor_user")))
        .where(time.geq(col(Features.WINDOW_START)).and(time.lt(col(Features.WINDOW_END))));
  }

  /** RFM, counts and rates per event type, order value, activity, channel mix, trend, rating. */
  static Dataset<Row> behaviour(Dataset<Row> events, Dataset<Row> anchors, FeaturesConfig config) {
    Dataset<Row> inWindow = inWindow(events, Events.EVENT_TIME, anchors);
    Column type = col(Events.EVENT_TYPE);
    Column purchase = type.equalTo("purchase");
    Column amount =
        coalesce(col(Events.PRICE), lit(0.0)).multiply(coalesce(col(Events.QUANTITY), lit(1L)));
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as(Features.EVENTS));
    for (String eventType : InputSchemas.EVENT_TYPES) {
      aggregates.add(
          StageCounts.countWhere(type.equalTo(eventType)).as(Features.COUNT_PREFIX + eventType));
    }
    aggregates.add(max(col(Events.EVENT_TIME)).as("_last_event"));
    aggregates.add(sum(when(purchase, amount).otherwise(0.0)).as(Features.MONETARY));
    aggregates.add(countDistinct(to_date(col(Events.EVENT_TIME))).as(Features.DAYS_ACTIVE));
    aggregates.add(countDistinct(col(Events.ITEM_ID)).as(Features.DISTINCT_ITEMS));
    aggregates.add(countDistinct(col(CATEGORY)).as(Features.DISTINCT_CATEGORIES));
    aggregates.add(
        StageCounts.countWhere(
                unix_timestamp(col(Features.WINDOW_END))
                    .minus(unix_timestamp(col(Events.EVENT_TIME)))
                    .lt(config.recentDays() * DAY_SECONDS))
            .as("_recent_events"));
    aggregates.add(avg(when(type.equalTo("review"), col(Events.RATING))).as(Features.AVG_RATING));
    Column channel = col(Events.CHANNEL);
    for (String c : config.channels()) {
      aggregates.add(StageCounts.countWhere(channel.equalTo(c)).as("_channel_" + c));
    }
    return inWindow
        .groupBy(col(Features.ANCHOR_ID))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /** Zeros for anchors without events, and the ratios derived from the counts. */
  private static Dataset<Row> fillBehaviour(
      Dataset<Row> rows, FeaturesConfig config, int categories) {
    Dataset<Row> result = rows;
    List<String> counts =
        new ArrayList<>(
            List.of(
                Features.EVENTS,
                Features.MONETARY,
                Features.DAYS_ACTIVE,
                Features.DISTINCT_ITEMS,
                Features.DISTINCT_CATEGORIES,
                "_recent_events"));
    for (String eventType : InputSchemas.EVENT_TYPES) {
      counts.add(Features.COUNT_PREFIX + eventType);
    }
    for (String c : config.channels()) {
      counts.add("_channel_" + c);
    }
    for (String c : counts) {
      result = result.withColumn(c, coalesce(col(c), lit(0)));
    }
    Column events = col(Features.EVENTS);
    Column purchases = col(Features.COUNT_PREFIX + "purchase");
    result =
        result
            .withColumn(
                Features.RECENCY_DAYS,
                coalesce(
                    unix_timestamp(col(Features.WINDOW_END))
                        .minus(unix_timestamp(col("_last_event")))
                        .divide((double) DAY_SECONDS),
                    lit((double) config.featureDays())))
            .withColumn(Features.FREQUENCY, purchases)
            .withColumn(Features.AVG_ORDER_VALUE, ratio(col(Features.MONETARY), purchases))
            .withColumn(
                Features.VIEW_TO_PURCHASE, ratio(purchases, col(Features.COUNT_PREFIX + "view")))
            .withColumn(
                Features.ACTIVITY_TREND,
                ratio(
                    col("_recent_events").divide((double) config.recentDays()),
                    events.divide((double) config.featureDays())));
    for (String eventType : InputSchemas.EVENT_TYPES) {
      result =
          result.withColumn(
              Features.RATE_PREFIX + eventType,
              ratio(col(Features.COUNT_PREFIX + eventType), events));
    }
    Column listed = lit(0L);
    for (String c : config.channels()) {
      result =
          result.withColumn(Features.CHANNEL_SHARE_PREFIX + c, ratio(col("_channel_" + c), events));
      listed = listed.plus(col("_channel_" + c));
    }
    result =
        result.withColumn(
            Features.CHANNEL_SHARE_PREFIX + "other", ratio(events.minus(listed), events));
    double[] zeros = new double[categories];
    result =
        result.withColumn(
            Features.CATEGORY_AFFINITY,
            coalesce(col(Features.CATEGORY_AFFINITY), array_to_vector(doubles(zeros))));
    List<String> internal = new ArrayList<>(List.of("_last_event", "_recent_events"));
    for (String c : config.channels()) {
      internal.add("_channel_" + c);
    }
    return result.drop(internal.toArray(String[]::new));
  }

  /**
   * Per anchor the share of weighted activity in each category (a vector in {@code categories}
   * order, summing to 1), the top category, and the top categories with their shares.
   */
  static Dataset<Row> categoryAffinity(
      Dataset<Row> events, Dataset<Row> anchors, FeaturesConfig config, List<String> categories) {
    Column weight = lit(0.0);
    for (Map.Entry<String, Double> w : config.eventWeights().entrySet()) {
      weight =
          when(col(Events.EVENT_TYPE).equalTo(w.getKey()), lit(w.getValue())).otherwise(weight);
    }
    Dataset<Row> perCategory =
        inWindow(events.where(col(CATEGORY).isNotNull()), Events.EVENT_TIME, anchors)
            .groupBy(col(Features.ANCHOR_ID), col(CATEGORY))
            .agg(sum(weight).as("_weight"));
    Column share =
        col("_weight")
            .divide(sum(col("_weight")).over(Window.partitionBy(col(Features.ANCHOR_ID))));
    Dataset<Row> shares = perCategory.withColumn("_share", share).where(col("_weight").gt(0));
    List<Column> aggregates = new ArrayList<>();
    List<Column> vector = new ArrayList<>();
    for (int i = 0; i < categories.size(); i++) {
      aggregates.add(
          coalesce(sum(when(col(CATEGORY).equalTo(categories.get(i)), col("_share"))), lit(0.0))
              .as("_aff_" + i));
      vector.add(col("_aff_" + i));
    }
    aggregates.add(
        max_by(col(CATEGORY), struct(col("_share"), col(CATEGORY))).as(Features.TOP_CATEGORY));
    aggregates.add(
        slice(
                sort_array(collect_list(struct(col("_share"), col(CATEGORY))), false),
                1,
                config.topCategories())
            .as(TOP_CATEGORIES));
    Dataset<Row> aggregated =
        shares
            .groupBy(col(Features.ANCHOR_ID))
            .agg(
                aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    Column affinity =
        categories.isEmpty()
            ? array_to_vector(doubles(new double[0]))
            : array_to_vector(array(vector.toArray(Column[]::new)));
    return aggregated.select(
        col(Features.ANCHOR_ID),
        affinity.as(Features.CATEGORY_AFFINITY),
        col(Features.TOP_CATEGORY),
        col(TOP_CATEGORIES));
  }

  /** Interactions per type and platform, mean sentiment, share about the top category. */
  static Dataset<Row> social(
      Optional<Dataset<Row>> social,
      Dataset<Row> anchors,
      Dataset<Row> affinity,
      FeaturesConfig config) {
    List<String> names = new ArrayList<>();
    names.add(Features.SOCIAL_INTERACTIONS);
    for (String t : InputSchemas.INTERACTION_TYPES) {
      names.add(Features.SOCIAL_PREFIX + t);
    }
    for (String p : config.platforms()) {
      names.add(Features.SOCIAL_PREFIX + p);
    }
    if (social.isEmpty()) {
      Dataset<Row> empty = anchors.select(col(Features.ANCHOR_ID));
      for (String n : names) {
        empty = empty.withColumn(n, lit(0L));
      }
      return empty
          .withColumn(Features.SENTIMENT, lit(null).cast(DataTypes.DoubleType))
          .withColumn(Features.SOCIAL_TOP_CATEGORY_SHARE, lit(0.0));
    }
    Dataset<Row> rows =
        inWindow(social.get(), Social.EVENT_TIME, anchors)
            .join(
                affinity.select(Features.ANCHOR_ID, Features.TOP_CATEGORY),
                Features.ANCHOR_ID,
                "left");
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as(Features.SOCIAL_INTERACTIONS));
    for (String t : InputSchemas.INTERACTION_TYPES) {
      aggregates.add(
          StageCounts.countWhere(col(Social.INTERACTION_TYPE).equalTo(t))
              .as(Features.SOCIAL_PREFIX + t));
    }
    for (String p : config.platforms()) {
      aggregates.add(
          StageCounts.countWhere(col(Social.PLATFORM).equalTo(p)).as(Features.SOCIAL_PREFIX + p));
    }
    aggregates.add(
        avg(optional(social.get(), Social.SENTIMENT).cast(DataTypes.DoubleType))
            .as(Features.SENTIMENT));
    aggregates.add(
        StageCounts.countWhere(
                optional(social.get(), Social.CATEGORY).equalTo(col(Features.TOP_CATEGORY)))
            .as("_about_top"));
    Dataset<Row> aggregated =
        rows.groupBy(col(Features.ANCHOR_ID))
            .agg(
                aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
    Dataset<Row> result =
        anchors.select(col(Features.ANCHOR_ID)).join(aggregated, Features.ANCHOR_ID, "left");
    for (String n : names) {
      result = result.withColumn(n, coalesce(col(n), lit(0L)));
    }
    return result
        .withColumn(
            Features.SOCIAL_TOP_CATEGORY_SHARE,
            ratio(coalesce(col("_about_top"), lit(0L)), col(Features.SOCIAL_INTERACTIONS)))
        .drop("_about_top");
  }

  /**
   * Trend index, competitor price index and promotion intensity of the user's top categories,
   * weighted by affinity, as of the window's end: for each category the latest market row dated
   * before the day the window ends (by the user's region where the market data has one, else
   * national).
   */
  static Dataset<Row> marketContext(
      Optional<Dataset<Row>> market,
      Dataset<Row> anchors,
      Dataset<Row> affinity,
      Optional<Dataset<Row>> users) {
    if (market.isEmpty()) {
      return anchors
          .select(col(Features.ANCHOR_ID))
          .withColumn(Features.MARKET_TREND, lit(null).cast(DataTypes.DoubleType))
          .withColumn(Features.MARKET_COMPETITOR_PRICE, lit(null).cast(DataTypes.DoubleType))
          .withColumn(Features.MARKET_PROMO, lit(null).cast(DataTypes.DoubleType));
    }
    Dataset<Row> m = market.get();
    Column marketRegion = optional(m, Market.REGION).cast(DataTypes.StringType);
    Dataset<Row> ends =
        anchors.select(to_date(col(Features.WINDOW_END)).as("_asof_day")).distinct();
    Dataset<Row> asOf =
        ends.join(
                broadcast(
                    m.select(
                        col(Market.DATE),
                        col(Market.CATEGORY).as("_m_category"),
                        marketRegion.as("_m_region"),
                        optional(m, Market.TREND_INDEX).cast(DataTypes.DoubleType).as("_trend"),
                        optional(m, Market.COMPETITOR_PRICE_INDEX)
                            .cast(DataTypes.DoubleType)
                            .as("_cpi"),
                        optional(m, Market.PROMO_INTENSITY)
                            .cast(DataTypes.DoubleType)
                            .as("_promo"))),
                col(Market.DATE).lt(col("_asof_day")))
            .withColumn(
                "_rn",
                row_number()
                    .over(
                        Window.partitionBy(col("_asof_day"), col("_m_category"), col("_m_region"))
                            .orderBy(col(Market.DATE).desc())))
            .where(col("_rn").equalTo(1))
            .drop("_rn", Market.DATE);
    Dataset<Row> regions =
        users.isPresent() && Arrays.asList(users.get().columns()).contains(Users.REGION)
            ? users
                .get()
                .select(col(Users.USER_ID).as("_r_user"), col(Users.REGION).as("_user_region"))
            : null;
    Dataset<Row> top =
        anchors
            .select(
                col(Features.ANCHOR_ID),
                col(Features.USER_ID),
                to_date(col(Features.WINDOW_END)).as("_end_day"))
            .join(
                affinity.select(col(Features.ANCHOR_ID), explode(col(TOP_CATEGORIES)).as("_top")),
                Features.ANCHOR_ID)
            .select(
                col(Features.ANCHOR_ID),
                col(Features.USER_ID),
                col("_end_day"),
                col("_top._share").as("_share"),
                col("_top." + CATEGORY).as("_top_category"));
    if (regions != null) {
      top =
          top.join(regions, col(Features.USER_ID).equalTo(col("_r_user")), "left").drop("_r_user");
    } else {
      top = top.withColumn("_user_region", lit(null).cast(DataTypes.StringType));
    }
    Dataset<Row> matched =
        top.join(
                broadcast(asOf),
                col("_end_day")
                    .equalTo(col("_asof_day"))
                    .and(col("_top_category").equalTo(col("_m_category")))
                    .and(
                        col("_m_region")
                            .isNull()
                            .or(col("_m_region").equalTo(col("_user_region")))))
            .withColumn(
                "_rn",
                row_number()
                    .over(
                        Window.partitionBy(col(Features.ANCHOR_ID), col("_top_category"))
                            .orderBy(col("_m_region").isNull())))
            .where(col("_rn").equalTo(1));
    Column weight = col("_share");
    return matched
        .groupBy(col(Features.ANCHOR_ID))
        .agg(
            weighted(col("_trend"), weight).as(Features.MARKET_TREND),
            weighted(col("_cpi"), weight).as(Features.MARKET_COMPETITOR_PRICE),
            weighted(col("_promo"), weight).as(Features.MARKET_PROMO));
  }

  /** User attributes as of the window: SPEC attributes, tenure, indicators and extra columns. */
  static Dataset<Row> attributes(
      Dataset<Row> rows, Optional<Dataset<Row>> users, FeaturesConfig config) {
    List<String> numeric = new ArrayList<>(List.of(Users.AGE, Users.INCOME));
    List<String> categorical = new ArrayList<>(List.of(Users.GENDER, Users.REGION));
    List<String> flags = List.of(Users.EMAIL_OPT_IN, Users.SMS_OPT_IN, Users.PUSH_OPT_IN);
    List<String> indicators = List.of(Users.AGE + "_is_missing", Users.INCOME + "_is_missing");
    if (users.isEmpty()) {
      Dataset<Row> result = rows;
      for (String c : numeric) {
        result = result.withColumn(c, lit(null).cast(DataTypes.DoubleType));
      }
      for (String c : categorical) {
        result = result.withColumn(c, lit(null).cast(DataTypes.StringType));
      }
      for (String c : flags) {
        result = result.withColumn(c, lit(null).cast(DataTypes.BooleanType));
      }
      for (String c : indicators) {
        result = result.withColumn(c, lit(0));
      }
      for (String c : config.extraNumeric()) {
        result = result.withColumn(c, lit(null).cast(DataTypes.DoubleType));
      }
      for (String c : config.extraCategorical()) {
        result = result.withColumn(c, lit(null).cast(DataTypes.StringType));
      }
      return result.withColumn(Features.TENURE_DAYS, lit(null).cast(DataTypes.IntegerType));
    }
    Dataset<Row> u = users.get();
    List<Column> selected = new ArrayList<>();
    selected.add(col(Users.USER_ID).as("_a_user"));
    for (String c : numeric) {
      selected.add(optional(u, c).cast(DataTypes.DoubleType).as(c));
    }
    for (String c : categorical) {
      selected.add(optional(u, c).cast(DataTypes.StringType).as(c));
    }
    for (String c : flags) {
      selected.add(optional(u, c).cast(DataTypes.BooleanType).as(c));
    }
    for (String c : indicators) {
      selected.add(coalesce(optional(u, c).cast(DataTypes.IntegerType), lit(0)).as(c));
    }
    for (String c : config.extraNumeric()) {
      selected.add(col(c).try_cast(DataTypes.DoubleType).as(c));
    }
    for (String c : config.extraCategorical()) {
      selected.add(col(c).cast(DataTypes.StringType).as(c));
    }
    selected.add(optional(u, Users.SIGNUP_DATE).cast(DataTypes.DateType).as("_signup"));
    Dataset<Row> attributes = u.select(selected.toArray(Column[]::new));
    Dataset<Row> joined =
        rows.join(attributes, col(Features.USER_ID).equalTo(col("_a_user")), "left");
    for (String c : indicators) {
      joined = joined.withColumn(c, coalesce(col(c), lit(0)));
    }
    return joined
        .withColumn(
            Features.TENURE_DAYS, datediff(to_date(col(Features.WINDOW_END)), col("_signup")))
        .drop("_a_user", "_signup");
  }

  /** For training anchors: any purchase, and spend, in the label window. */
  static Dataset<Row> labels(Dataset<Row> events, Dataset<Row> anchors) {
    Dataset<Row> training =
        anchors
            .where(col(Features.PURPOSE).equalTo(TRAINING))
            .select(
                col(Features.ANCHOR_ID),
                col(Features.USER_ID).as("_anchor_user"),
                col(Features.WINDOW_END).as(LABEL_START),
                col(Features.LABEL_END));
    Column time = col(Events.EVENT_TIME);
    Column purchase = col(Events.EVENT_TYPE).equalTo("purchase");
    Column amount =
        coalesce(col(Events.PRICE), lit(0.0)).multiply(coalesce(col(Events.QUANTITY), lit(1L)));
    return events
        .join(training, col(Events.USER_ID).equalTo(col("_anchor_user")))
        .where(time.geq(col(LABEL_START)).and(time.lt(col(Features.LABEL_END))))
        .groupBy(col(Features.ANCHOR_ID))
        .agg(
            max(when(purchase, 1).otherwise(0)).as(Features.PURCHASED),
            sum(when(purchase, amount).otherwise(0.0)).as(Features.SPEND));
  }

  private static Column weighted(Column value, Column weight) {
    Column present = value.isNotNull();
    return sum(when(present, value.multiply(weight))).divide(sum(when(present, weight)));
  }

  private static Column ratio(Column numerator, Column denominator) {
    return when(denominator.gt(0), numerator.cast(DataTypes.DoubleType).divide(denominator))
        .otherwise(lit(0.0));
  }

  private static Column optional(Dataset<Row> rows, String column) {
    return Arrays.asList(rows.columns()).contains(column)
        ? col(column)
        : lit(null).cast(DataTypes.StringType);
  }

  private static Column doubles(double[] values) {
    return array(Arrays.stream(values).mapToObj(v -> lit(v)).toArray(Column[]::new))
        .cast(DataTypes.createArrayType(DataTypes.DoubleType));
  }

  private static Timestamp midnight(LocalDate day) {
    return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
