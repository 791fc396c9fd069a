package org.marketingengine.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.tanh;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;

/**
 * A synthetic marketing data set with planted, documented structure (README, "Generated data").
 *
 * <p>Every table is built from {@code spark.range} and column expressions, exploded per user where
 * a user has many rows: no driver-side loop over rows and no join. Randomness comes from {@link
 * SeededRandom}, so a seed gives the same rows on any cluster. Columns starting with {@code _} are
 * hidden latent variables; {@link #KEY} identifies a row for bad-row injection.
 *
 * <p>Planted structure:
 *
 * <ul>
 *   <li>each user has one of {@value #USER_TYPES} latent types; a type draws 70% of its events from
 *       its two favourite categories;
 *   <li>activity (events per day) is log-normal; 25% of users churn on a random day and have no
 *       events after it; 15% sign up inside the window;
 *   <li>the chance that an event is a purchase is {@code sigmoid(baseLogit + 2 trend - 0.5
 *       priceSensitivity z_price)}, where baseLogit rises with activity, income and ages 25-45,
 *       falls after 60, priceSensitivity falls with income, and trend is the category's market
 *       trend on that day;
 *   <li>weekends carry 1/0.7 times the events of weekdays;
 *   <li>social activity grows with activity and purchase propensity, and sentiment with propensity;
 *   <li>two campaigns, each sent to 30% of consenting users, 20% of them held out as control;
 *       conversion is {@link #BASE_CONVERSION} of the income segment plus {@link #TRUE_UPLIFT} of
 *       the offer and segment for treated users.
 * </ul>
 */
public final class SyntheticData {

  /** Row identity used to decide which rows become bad rows. */
  public static final String KEY = "_key";

  static final List<String> CATEGORIES =
      List.of(
          "electronics",
          "books",
          "fashion",
          "home",
          "beauty",
          "sports",
          "toys",
          "grocery",
          "garden",
          "automotive",
          "health",
          "music");
  private static final double[] LOG_MEDIAN_PRICE = {
    5.0, 2.8, 3.8, 4.0, 3.2, 3.9, 3.3, 2.3, 3.7, 4.2, 3.0, 3.0
  };

  /** Market trend drift over the whole window, per category: planted trending categories. */
  static final double[] TREND_DRIFT = {
    0.30, -0.10, 0.05, 0.00, 0.20, -0.20, 0.10, 0.00, -0.05, 0.15, 0.25, -0.15
  };

  static final int USER_TYPES = 5;

  /** Offers of the generated campaigns, in the order of {@link #TRUE_UPLIFT}'s rows. */
  public static final List<String> OFFERS =
      List.of("discount", "coupon", "free_shipping", "bundle");

  /** Income segments of the planted uplift, in the order of {@link #TRUE_UPLIFT}'s columns. */
  public static final List<String> SEGMENTS = List.of("price_sensitive", "mainstream", "affluent");

  /** Control-group conversion rate per segment (plus up to +-0.02 with activity). */
  public static final double[] BASE_CONVERSION = {0.04, 0.05, 0.06};

  /** True absolute uplift in conversion, offer x segment. */
  public static final double[][] TRUE_UPLIFT = {
    {0.08, 0.04, 0.01},
    {0.05, 0.04, 0.02},
    {0.03, 0.03, 0.03},
    {0.01, 0.03, 0.05}
  };

  /** Share of a campaign's targeted users held out as control. */
  public static final double CONTROL_SHARE = 0.2;

  private static final double EVENTS_PER_ACTIVE_DAY = 0.3;

  private final SparkSession spark;
  private final GeneratorParams params;
  private final SeededRandom random;
  private final int categories;
  private final int partitions;

  public SyntheticData(SparkSession spark, GeneratorParams params) {
    this.spark = spark;
    this.params = params;
    this.random = new SeededRandom(params.seed());
    this.categories = params.categories();
    this.partitions = (int) Math.min(400, params.users() / 50_000 + 1);
  }

  /**
   * Users with their SPEC columns, extra attributes (job, education, household_size) and latents.
   */
  public Dataset<Row> users() {
    Column idx = col("_idx");
    Column incomeZ = random.normal("income", idx);
    Column activityZ = random.normal("activity", idx);
    Column isNew = random.bernoulli("new", 0.15, idx);
    Column signupDay =
        when(isNew, floor(random.uniform("signup", idx).multiply(params.days())))
            .otherwise(lit(-1).minus(floor(random.uniform("signup", idx).multiply(900))));
    Column churnDay =
        when(
                random.bernoulli("churn", 0.25, idx),
                floor(
                    random
                        .uniform("churnday", idx)
                        .multiply(params.days() * 0.8)
                        .plus(params.days() * 0.2)))
            .otherwise(lit(params.days()));
    Dataset<Row> base =
        spark
            .range(0, params.users(), 1, partitions)
            .withColumnRenamed("id", "_idx")
            .select(
                idx,
                format_string("u%07d", idx).as(Users.USER_ID),
                clamp(round(lit(40).plus(random.normal("age", idx).multiply(13))), 18, 80)
                    .cast("int")
                    .as(Users.AGE),
                incomeZ.as("_income_z"),
                activityZ.as("_activity_z"),
                exp(activityZ.multiply(0.8)).as("_activity"),
                signupDay.cast("int").as("_signup_day"),
                churnDay.cast("int").as("_churn_day"),
                floor(random.uniform("type", idx).multiply(USER_TYPES)).cast("int").as("_type"));
    Column age = col(Users.AGE);
    Column z = col("_income_z");
    Column baseLogit =
        lit(-2.8)
            .plus(col("_activity_z").multiply(0.36))
            .plus(z.multiply(0.35))
            .plus(when(age.between(25, 45), 0.3).otherwise(0.0))
            .minus(when(age.gt(60), 0.2).otherwise(0.0));
    return base.select(
        col("*"),
        round(exp(lit(10.4).plus(z.multiply(0.35)).plus(age.minus(40).multiply(0.008))), -2)
            .as(Users.INCOME),
        choice(random.uniform("gender", idx), new String[] {"female", "male", "other"}, 0.48, 0.96)
            .as(Users.GENDER),
        choice(
                random.uniform("region", idx),
                new String[] {"north", "south", "east", "west", "central"},
                0.25,
                0.5,
                0.7,
                0.85)
            .as(Users.REGION),
        date_add(lit(java.sql.Date.valueOf(params.startDate())), col("_signup_day"))
            .as(Users.SIGNUP_DATE),
        random.bernoulli("email", 0.7, idx).as(Users.EMAIL_OPT_IN),
        random.bernoulli("sms", 0.35, idx).as(Users.SMS_OPT_IN),
        random.bernoulli("push", 0.5, idx).as(Users.PUSH_OPT_IN),
        when(age.lt(23).and(random.bernoulli("student", 0.6, idx)), lit("student"))
            .when(age.gt(65).and(random.bernoulli("retired", 0.7, idx)), lit("retired"))
            .otherwise(
                choice(
                    random.uniform("job", idx),
                    new String[] {"engineer", "teacher", "sales", "nurse", "manager", "other"},
                    0.2,
                    0.35,
                    0.55,
                    0.7,
                    0.85))
            .as("job"),
        choice(
                random.uniform("education", idx).plus(z.multiply(0.1)),
                new String[] {"high_school", "bachelor", "master", "phd"},
                0.35,
                0.75,
                0.95)
            .as("education"),
        floor(random.uniform("household", idx).multiply(5))
            .plus(1)
            .cast("int")
            .as("household_size"),
        baseLogit.as("_base_logit"),
        clamp(lit(1.0).minus(z.multiply(0.5)), 0.2, 2.0).as("_price_sensitivity"),
        when(z.lt(-0.5), 0).when(z.gt(0.7), 2).otherwise(1).as("_segment"),
        col(Users.USER_ID).as(KEY));
  }

  /** The SPEC columns of users, in order, then the extra attributes. */
  public static List<String> userColumns() {
    return List.of(
        Users.USER_ID,
        Users.AGE,
        Users.INCOME,
        Users.GENDER,
        Users.REGION,
        Users.SIGNUP_DATE,
        Users.EMAIL_OPT_IN,
        Users.SMS_OPT_IN,
        Users.PUSH_OPT_IN,
        "job",
        "education",
        "household_size");
  }

  /**
   * The catalog: item {@code i} is in category {@code i mod categories}; popularity falls with i.
   */
  public Dataset<Row> items() {
    Column idx = col("_idx");
    Column category = pmod(idx, lit((long) categories));
    return spark
        .range(0, params.items(), 1, (int) Math.min(50, params.items() / 100_000 + 1))
        .withColumnRenamed("id", "_idx")
        .select(
            format_string("i%06d", idx).as(Items.ITEM_ID),
            concat(initcap(categoryName(category)), lit(" item "), idx.cast("string"))
                .as(Items.NAME),
            categoryName(category).as(Items.CATEGORY),
            concat(
                    categoryName(category),
                    lit("_brand_"),
                    pmod(floor(idx.divide(categories)), lit(8L)).cast("string"))
                .as(Items.BRAND),
            itemPrice(idx, category).as(Items.PRICE),
            round(lit(0.1).plus(random.uniform("margin", idx).multiply(0.35)), 3)
                .as(Items.MARGIN_RATE),
            random.bernoulli("stock", 0.95, idx).as(Items.IN_STOCK),
            format_string("i%06d", idx).as(KEY));
  }

  /** One row per date and category: market trend, competitor prices, promotions. */
  public Dataset<Row> market() {
    Column id = col("id");
    Column day = floor(id.divide(categories));
    Column category = pmod(id, lit((long) categories));
    Column date = date_add(lit(java.sql.Date.valueOf(params.startDate())), day.cast("int"));
    return spark
        .range(0, (long) params.days() * categories, 1, 1)
        .select(
            date.as(Market.DATE),
            categoryName(category).as(Market.CATEGORY),
            round(trendIndex(category, day), 2).as(Market.TREND_INDEX),
            round(lit(100.0).multiply(lit(1.0).plus(random.normal("cpi", id).multiply(0.04))), 2)
                .as(Market.COMPETITOR_PRICE_INDEX),
            round(
                    lit(0.2)
                        .plus(random.uniform("promo", id).multiply(0.3))
                        .plus(when(isWeekend(date), 0.2).otherwise(0.0)),
                    3)
                .as(Market.PROMO_INTENSITY),
            format_string("m%d", id).as(KEY));
  }

  /** Behavioural events, exploded from each user's activity over the user's active days. */
  public Dataset<Row> events() {
    Dataset<Row> perUser = exploded(users(), "events", EVENTS_PER_ACTIVE_DAY, col("_activity"));
    Column idx = col("_idx");
    Column seq = col("_seq");
    Column day = activeDay(perUser, "day", idx, seq);
    Column date = date_add(lit(java.sql.Date.valueOf(params.startDate())), day.cast("int"));
    Column keep = isWeekend(date).or(random.bernoulli("season", 0.7, idx, seq));
    Column category = chosenCategory("cat", idx, seq);
    Column itemIdx = itemInCategory(category, "item", idx, seq);
    Column priceZ = random.normal("price", itemIdx);
    Column trend = trendIndex(category, day).divide(100.0).minus(1.0);
    Column logit =
        col("_base_logit")
            .plus(trend.multiply(2.0))
            .minus(col("_price_sensitivity").multiply(priceZ).multiply(0.5));
    Column purchaseChance = lit(1.0).divide(lit(1.0).plus(exp(logit.multiply(-1.0))));
    Column eventType =
        when(random.uniform("etype", idx, seq).lt(purchaseChance), lit("purchase"))
            .otherwise(
                choice(
                    random.uniform("etype2", idx, seq),
                    new String[] {"view", "click", "cart", "favorite", "review"},
                    0.6,
                    0.8,
                    0.92,
                    0.97));
    Dataset<Row> typed =
        perUser
            .where(keep)
            .select(
                col("*"),
                day.as("_day"),
                category.as("_category"),
                itemIdx.as("_item_idx"),
                eventType.as(Events.EVENT_TYPE));
    Column type = col(Events.EVENT_TYPE);
    Column secondOfDay =
        pmod(
            floor(lit(19.0).plus(random.normal("hour", idx, seq).multiply(4.0)).multiply(3600.0)),
            lit(86_400L));
    return typed.select(
        format_string("e%d-%d", idx, seq).as(Events.EVENT_ID),
        col(Users.USER_ID).as(Events.USER_ID),
        format_string("i%06d", col("_item_idx")).as(Events.ITEM_ID),
        type,
        timestamp_seconds(
                lit(startEpochSecond()).plus(col("_day").multiply(86_400L)).plus(secondOfDay))
            .as(Events.EVENT_TIME),
        when(
                type.equalTo("purchase"),
                lit(1L).plus(floor(log(random.uniform("qty", idx, seq)).multiply(-0.4))))
            .otherwise(lit(1L))
            .as(Events.QUANTITY),
        itemPrice(col("_item_idx"), col("_category")).as(Events.PRICE),
        when(
                type.equalTo("review"),
                clamp(
                    round(
                        lit(3.6)
                            .plus(col("_base_logit").plus(2.8).multiply(0.5))
                            .plus(random.normal("rating", idx, seq))),
                    1,
                    5))
            .as(Events.RATING),
        choice(
                random.uniform("channel", idx, seq),
                new String[] {"web", "app", "store", "social"},
                0.45,
                0.85,
                0.95)
            .as(Events.CHANNEL),
        concat(col(Users.USER_ID), lit("-"), col("_day").cast("string")).as(Events.SESSION_ID),
        format_string("e%d-%d", idx, seq).as(KEY));
  }

  /** Social interactions: more for active users with high purchase propensity. */
  public Dataset<Row> social() {
    Column propensity =
        lit(1.0).divide(lit(1.0).plus(exp(col("_base_logit").plus(2.0).multiply(-1.0))));
    Dataset<Row> perUser =
        exploded(users(), "social", 0.04, col("_activity").multiply(lit(0.5).plus(propensity)));
    Column idx = col("_idx");
    Column seq = col("_seq");
    Column day = activeDay(perUser, "sday", idx, seq);
    Column aboutFavourite = random.bernoulli("sfav", 0.6, idx, seq);
    Column category = favouriteCategory("scat", idx, seq);
    Column platform =
        choice(
            random.uniform("platform", idx, seq),
            new String[] {"wechat", "weibo", "instagram", "tiktok", "facebook", "x"},
            0.25,
            0.4,
            0.6,
            0.8,
            0.95);
    Column variant = random.uniform("pcase", idx, seq);
    return perUser.select(
        col(Users.USER_ID).as(Social.USER_ID),
        when(variant.lt(0.05), initcap(platform))
            .when(variant.lt(0.08), concat(lit(" "), platform, lit(" ")))
            .otherwise(platform)
            .as(Social.PLATFORM),
        choice(
                random.uniform("itype", idx, seq),
                new String[] {"like", "share", "comment", "follow", "mention"},
                0.45,
                0.6,
                0.8,
                0.9)
            .as(Social.INTERACTION_TYPE),
        timestamp_seconds(
                lit(startEpochSecond())
                    .plus(day.multiply(86_400L))
                    .plus(floor(random.uniform("ssec", idx, seq).multiply(86_400))))
            .as(Social.EVENT_TIME),
        round(
                clamp(
                    lit(0.1)
                        .plus(tanh(col("_base_logit").plus(2.5)).multiply(0.4))
                        .plus(random.normal("sentiment", idx, seq).multiply(0.3)),
                    -1,
                    1),
                3)
            .as(Social.SENTIMENT),
        when(
                aboutFavourite.and(random.bernoulli("sitem", 0.5, idx, seq)),
                format_string("i%06d", itemInCategory(category, "sitemidx", idx, seq)))
            .as(Social.ITEM_ID),
        when(aboutFavourite, categoryName(category)).as(Social.CATEGORY),
        format_string("s%d-%d", idx, seq).as(KEY));
  }

  /** Responses to two campaigns, with a control group and the planted uplift per offer. */
  public Dataset<Row> responses() {
    Dataset<Row> users = users();
    Column idx = col("_idx");
    Column campaign = col("_campaign");
    Column sentDay =
        when(campaign.equalTo(0), lit((int) (params.days() * 0.35)))
            .otherwise(lit((int) (params.days() * 0.7)));
    Column consented =
        array_compact(
            array(
                when(col(Users.EMAIL_OPT_IN), lit("email")),
                when(col(Users.SMS_OPT_IN), lit("sms")),
                when(col(Users.PUSH_OPT_IN), lit("push"))));
    Dataset<Row> targeted =
        users
            .select(col("*"), explode(array(lit(0), lit(1))).as("_campaign"))
            .select(col("*"), sentDay.as("_sent_day"), consented.as("_consented"))
            .where(
                col("_signup_day")
                    .lt(col("_sent_day"))
                    .and(size(col("_consented")).gt(0))
                    .and(random.bernoulli("target", 0.3, idx, campaign)));
    Column control = random.bernoulli("control", CONTROL_SHARE, idx, campaign);
    Column offerIdx = floor(random.uniform("offer", idx, campaign).multiply(OFFERS.size()));
    Column segment = col("_segment");
    Column uplift =
        when(control, lit(0.0))
            .otherwise(
                element_at(upliftArray(), offerIdx.multiply(3).plus(segment).plus(1).cast("int")));
    Column base =
        element_at(doubles(BASE_CONVERSION), segment.plus(1))
            .plus(tanh(col("_activity_z")).multiply(0.02));
    Column converted = random.uniform("convert", idx, campaign).lt(base.plus(uplift));
    Column opened = control.unary_$bang().and(random.bernoulli("open", 0.3, idx, campaign));
    Column sentDate = date_add(lit(java.sql.Date.valueOf(params.startDate())), col("_sent_day"));
    return targeted.select(
        format_string("cmp-%s", sentDate.cast("string")).as(Responses.CAMPAIGN_ID),
        col(Users.USER_ID).as(Responses.USER_ID),
        when(control, lit("none"))
            .otherwise(element_at(strings(OFFERS), offerIdx.plus(1).cast("int")))
            .as(Responses.OFFER),
        element_at(
                col("_consented"),
                floor(random.uniform("rchannel", idx, campaign).multiply(size(col("_consented"))))
                    .plus(1)
                    .cast("int"))
            .as(Responses.CHANNEL),
        when(control, lit("control")).otherwise(lit("treatment")).as(Responses.GROUP),
        timestamp_seconds(
                lit(startEpochSecond()).plus(col("_sent_day").multiply(86_400L)).plus(10 * 3600))
            .as(Responses.SENT_TIME),
        opened.as(Responses.OPENED),
        opened.and(random.bernoulli("click", 0.35, idx, campaign)).as(Responses.CLICKED),
        converted.as(Responses.CONVERTED),
        when(
                converted,
                round(
                    exp(
                        lit(3.6)
                            .plus(col("_income_z").multiply(0.25))
                            .plus(random.normal("revenue", idx, campaign).multiply(0.3))),
                    2))
            .otherwise(lit(0.0))
            .as(Responses.REVENUE),
        element_at(strings(SEGMENTS), segment.plus(1)).as("_segment_name"),
        format_string("r%d-%d", idx, campaign).as(KEY));
  }

  /** One row per user and sequence number, {@code rate x weight x active days} rows per user. */
  private Dataset<Row> exploded(Dataset<Row> users, String purpose, double rate, Column weight) {
    Column activeDays =
        greatest(
            lit(0),
            least(col("_churn_day"), lit(params.days()))
                .minus(greatest(col("_signup_day"), lit(0))));
    Column expected = weight.multiply(activeDays).multiply(rate);
    Column count =
        floor(expected)
            .plus(
                when(
                        random
                            .uniform(purpose + "/n", col("_idx"))
                            .lt(expected.minus(floor(expected))),
                        1)
                    .otherwise(0))
            .cast("int");
    return users
        .select(col("*"), count.as("_count"))
        .where(col("_count").gt(0))
        .select(col("*"), explode(sequence(lit(0), col("_count").minus(1))).as("_seq"));
  }

  /** A day in the user's active period: between signup (or the start) and churn (or the end). */
  private Column activeDay(Dataset<Row> perUser, String purpose, Column... keys) {
    Column first = greatest(col("_signup_day"), lit(0));
    Column last = least(col("_churn_day"), lit(params.days()));
    return first.plus(floor(random.uniform(purpose, keys).multiply(last.minus(first))));
  }

  /** 70% one of the user type's two favourite categories, else any category. */
  private Column chosenCategory(String purpose, Column... keys) {
    return when(random.bernoulli(purpose + "/fav", 0.7, keys), favouriteCategory(purpose, keys))
        .otherwise(floor(random.uniform(purpose + "/any", keys).multiply(categories)).cast("long"));
  }

  private Column favouriteCategory(String purpose, Column... keys) {
    return pmod(
        col("_type")
            .multiply(2)
            .plus(when(random.bernoulli(purpose + "/which", 0.5, keys), 0).otherwise(1))
            .cast("long"),
        lit((long) categories));
  }

  /** An item of the category, popular (low-numbered) items far more often. */
  private Column itemInCategory(Column category, String purpose, Column... keys) {
    Column itemsInCategory =
        floor(lit((long) params.items() - 1).minus(category).divide(categories)).plus(1);
    Column rank = floor(itemsInCategory.multiply(pow(random.uniform(purpose, keys), 2.5)));
    return rank.multiply(categories).plus(category).cast("long");
  }

  private Column itemPrice(Column itemIdx, Column category) {
    return round(
        exp(
            element_at(doubles(LOG_MEDIAN_PRICE), category.plus(1).cast("int"))
                .plus(random.normal("price", itemIdx.cast("long")).multiply(0.5))),
        2);
  }

  /** Market trend index of a category on a day: seasonal wave plus the planted drift. */
  private Column trendIndex(Column category, Column day) {
    Column c = category.plus(1).cast("int");
    double[] phases = new double[CATEGORIES.size()];
    double[] periods = new double[CATEGORIES.size()];
    for (int i = 0; i < phases.length; i++) {
      phases[i] = i * 7.0;
      periods[i] = 30.0 + 5 * i;
    }
    Column wave =
        sin(
            day.plus(element_at(doubles(phases), c))
                .divide(element_at(doubles(periods), c))
                .multiply(2 * Math.PI));
    Column drift = element_at(doubles(TREND_DRIFT), c).multiply(day.divide((double) params.days()));
    return lit(100.0).multiply(lit(1.0).plus(wave.multiply(0.15)).plus(drift));
  }

  private Column categoryName(Column categoryIndex) {
    return element_at(
        strings(CATEGORIES.subList(0, categories)), categoryIndex.plus(1).cast("int"));
  }

  private long startEpochSecond() {
    return params.startDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  }

  private static Column isWeekend(Column date) {
    return dayofweek(date).isin(1, 7);
  }

  private static Column clamp(Column value, double min, double max) {
    return least(greatest(value, lit(min)), lit(max));
  }

  /** The value whose cumulative threshold {@code u} first falls under; the last one otherwise. */
  private static Column choice(Column u, String[] values, double... thresholds) {
    Column result = lit(values[values.length - 1]);
    for (int i = thresholds.length - 1; i >= 0; i--) {
      result = when(u.lt(thresholds[i]), lit(values[i])).otherwise(result);
    }
    return result;
  }

  private static Column upliftArray() {
    double[] flat = new double[OFFERS.size() * SEGMENTS.size()];
    for (int o = 0; o < OFFERS.size(); o++) {
      for (int s = 0; s < SEGMENTS.size(); s++) {
        flat[o * SEGMENTS.size() + s] = TRUE_UPLIFT[o][s];
      }
    }
    return doubles(flat);
  }

  private static Column doubles(double[] values) {
    return array(Arrays.stream(values).mapToObj(v -> lit(v)).toArray(Column[]::new));
  }

  private static Column strings(List<String> values) {
    return array(values.stream().map(v -> lit(v)).toArray(Column[]::new));
  }
}
