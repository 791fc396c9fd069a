package org.marketingengine.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.tanh;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.generate.GeneratorColumns.choice;
import static org.marketingengine.generate.GeneratorColumns.clamp;
import static org.marketingengine.generate.GeneratorColumns.doubles;
import static org.marketingengine.generate.GeneratorColumns.isWeekend;
import static org.marketingengine.generate.GeneratorColumns.strings;
import static org.marketingengine.generate.GeneratorColumns.upliftArray;
import static org.marketingengine.generate.SyntheticData.BASE_CONVERSION;
import static org.marketingengine.generate.SyntheticData.CONTROL_SHARE;
import static org.marketingengine.generate.SyntheticData.EVENTS_PER_ACTIVE_DAY;
import static org.marketingengine.generate.SyntheticData.KEY;
import static org.marketingengine.generate.SyntheticData.OFFERS;
import static org.marketingengine.generate.SyntheticData.SEGMENTS;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;

/**
 * The activity of the synthetic users: behavioural events over each user's active days, social
 * interactions, and the responses to two campaigns with the planted uplift (see {@link
 * SyntheticData}).
 */
final class SyntheticActivity {
  private final SyntheticData data;
  private final GeneratorColumns columns;
  private final GeneratorParams params;
  private final SeededRandom random;
  private final int categories;
  private final int partitions;

  SyntheticActivity(
      SyntheticData data,
      GeneratorColumns columns,
      GeneratorParams params,
      SeededRandom random,
      int partitions) {
    this.data = data;
    this.columns = columns;
    this.params = params;
    this.random = random;
    this.categories = params.categories();
    this.partitions = partitions;
  }

  /** Behavioural events, exploded from each user's activity over the user's active days. */
  Dataset<Row> events() {
    Dataset<Row> perUser =
        columns.exploded(data.users(), "events", EVENTS_PER_ACTIVE_DAY, col("_activity"));
    Column idx = col("_idx");
    Column seq = col("_seq");
    Column day = columns.activeDay(perUser, "day", idx, seq);
    Column date = date_add(lit(java.sql.Date.valueOf(params.startDate())), day.cast("int"));
    Column keep = isWeekend(date).or(random.bernoulli("season", 0.7, idx, seq));
    Column category = columns.chosenCategory("cat", idx, seq);
    Column itemIdx = columns.itemInCategory(category, "item", idx, seq);
    Column priceZ = random.normal("price", itemIdx);
    Column trend = columns.trendIndex(category, day).divide(100.0).minus(1.0);
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
                lit(columns.startEpochSecond())
                    .plus(col("_day").multiply(86_400L))
                    .plus(secondOfDay))
            .as(Events.EVENT_TIME),
        when(
                type.equalTo("purchase"),
                lit(1L).plus(floor(log(random.uniform("qty", idx, seq)).multiply(-0.4))))
            .otherwise(lit(1L))
            .as(Events.QUANTITY),
        columns.itemPrice(col("_item_idx"), col("_category")).as(Events.PRICE),
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
  Dataset<Row> social() {
    Column propensity =
        lit(1.0).divide(lit(1.0).plus(exp(col("_base_logit").plus(2.0).multiply(-1.0))));
    Dataset<Row> perUser =
        columns.exploded(
            data.users(), "social", 0.04, col("_activity").multiply(lit(0.5).plus(propensity)));
    Column idx = col("_idx");
    Column seq = col("_seq");
    Column day = columns.activeDay(perUser, "sday", idx, seq);
    Column aboutFavourite = random.bernoulli("sfav", 0.6, idx, seq);
    Column category = columns.favouriteCategory("scat", idx, seq);
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
                lit(columns.startEpochSecond())
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
                format_string("i%06d", columns.itemInCategory(category, "sitemidx", idx, seq)))
            .as(Social.ITEM_ID),
        when(aboutFavourite, columns.categoryName(category)).as(Social.CATEGORY),
        format_string("s%d-%d", idx, seq).as(KEY));
  }

  /** Responses to two campaigns, with a control group and the planted uplift per offer. */
  Dataset<Row> responses() {
    Dataset<Row> users = data.users();
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
                lit(columns.startEpochSecond())
                    .plus(col("_sent_day").multiply(86_400L))
                    .plus(10 * 3600))
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
}
