package org.marketingengine.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
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
  static final double[] LOG_MEDIAN_PRICE = {
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

  static final double EVENTS_PER_ACTIVE_DAY = 0.3;

  private final SparkSession spark;
  private final GeneratorParams params;
  private final SeededRandom random;
  private final int categories;
  private final int partitions;
  private final GeneratorColumns columns;

  public SyntheticData(SparkSession spark, GeneratorParams params) {
    this.spark = spark;
    this.params = params;
    this.random = new SeededRandom(params.seed());
    this.categories = params.categories();
    this.partitions = (int) Math.min(400, params.users() / 50_000 + 1);
    this.columns = new GeneratorColumns(params, random);
  }

  /** Behavioural events, exploded from each user's activity over the user's active days. */
  public Dataset<Row> events() {
    return activity().events();
  }

  /** Social interactions: more for active users with high purchase propensity. */
  public Dataset<Row> social() {
    return activity().social();
  }

  /** Responses to two campaigns, with a control group and the planted uplift per offer. */
  public Dataset<Row> responses() {
    return activity().responses();
  }

  private SyntheticActivity activity() {
    return new SyntheticActivity(this, columns, params, random, partitions);
  }

  /** One row per user: id, age and the latent draws the attributes below depend on. */
  private Dataset<Row> baseUsers() {
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
    return spark
        .range(0, params.users(), 1, partitions)
        .withColumnRenamed("id", "_idx")
        .select(
            idx,
            format_string("u%07d", idx).as(Users.USER_ID),
            GeneratorColumns.clamp(
                    round(lit(40).plus(random.normal("age", idx).multiply(13))), 18, 80)
                .cast("int")
                .as(Users.AGE),
            incomeZ.as("_income_z"),
            activityZ.as("_activity_z"),
            exp(activityZ.multiply(0.8)).as("_activity"),
            signupDay.cast("int").as("_signup_day"),
            churnDay.cast("int").as("_churn_day"),
            floor(random.uniform("type", idx).multiply(USER_TYPES)).cast("int").as("_type"));
  }

  /**
   * Users with their SPEC columns, extra attributes (job, education, household_size) and latents.
   */
  public Dataset<Row> users() {
    Dataset<Row> base = baseUsers();
    Column idx = col("_idx");
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
        GeneratorColumns.choice(
                random.uniform("gender", idx), new String[] {"female", "male", "other"}, 0.48, 0.96)
            .as(Users.GENDER),
        GeneratorColumns.choice(
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
        job(idx, age).as("job"),
        GeneratorColumns.choice(
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
        GeneratorColumns.clamp(lit(1.0).minus(z.multiply(0.5)), 0.2, 2.0).as("_price_sensitivity"),
        when(z.lt(-0.5), 0).when(z.gt(0.7), 2).otherwise(1).as("_segment"),
        col(Users.USER_ID).as(KEY));
  }

  private Column job(Column idx, Column age) {
    return when(age.lt(23).and(random.bernoulli("student", 0.6, idx)), lit("student"))
        .when(age.gt(65).and(random.bernoulli("retired", 0.7, idx)), lit("retired"))
        .otherwise(
            GeneratorColumns.choice(
                random.uniform("job", idx),
                new String[] {"engineer", "teacher", "sales", "nurse", "manager", "other"},
                0.2,
                0.35,
                0.55,
                0.7,
                0.85));
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
            concat(initcap(columns.categoryName(category)), lit(" item "), idx.cast("string"))
                .as(Items.NAME),
            columns.categoryName(category).as(Items.CATEGORY),
            concat(
                    columns.categoryName(category),
                    lit("_brand_"),
                    pmod(floor(idx.divide(categories)), lit(8L)).cast("string"))
                .as(Items.BRAND),
            columns.itemPrice(idx, category).as(Items.PRICE),
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
            columns.categoryName(category).as(Market.CATEGORY),
            round(columns.trendIndex(category, day), 2).as(Market.TREND_INDEX),
            round(lit(100.0).multiply(lit(1.0).plus(random.normal("cpi", id).multiply(0.04))), 2)
                .as(Market.COMPETITOR_PRICE_INDEX),
            round(
                    lit(0.2)
                        .plus(random.uniform("promo", id).multiply(0.3))
                        .plus(when(GeneratorColumns.isWeekend(date), 0.2).otherwise(0.0)),
                    3)
                .as(Market.PROMO_INTENSITY),
            format_string("m%d", id).as(KEY));
  }
}
