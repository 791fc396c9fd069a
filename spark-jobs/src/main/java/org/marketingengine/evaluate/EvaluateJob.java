package org.marketingengine.evaluate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Responses;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.profile.ProfileJob;
import org.marketingengine.quality.StageCounts;
import org.marketingengine.strategy.StrategyJob;
import org.marketingengine.strategy.StrategyRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluate stage: campaign responses to {@code evaluation/campaign_effect} (per campaign, and
 * per offer, channel, segment and offer x segment: treatment vs control conversion with uplift,
 * confidence interval and p-value, revenue per user with a Welch interval, incremental revenue,
 * cost, ROI) and {@code feedback/offer_priors} (per offer and segment, shrunk response rates and
 * uplift, read by the next strategy run).
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  public static final String STAGE = "evaluate";
  public static final String CAMPAIGN_EFFECT = "evaluation/campaign_effect";
  public static final String ALL = "all";

  private EvaluateJob() {}

  /** Aggregates of one group of one comparison. */
  record Group(long n, long conversions, double revenue, double revenueSq, double cost) {}

  public static List<Row> run(SparkSession spark, JobConfig config) {
    long started = System.nanoTime();
    LocalDate runDate = config.runDate();
    spark.sparkContext().setJobGroup(STAGE, "evaluate " + runDate, false);
    TableStore store = new TableStore(spark, config.outputRoot(), config.tableFormat());
    Dataset<Row> responses =
        store
            .readIfPresent(CleanJob.silverTable(InputSchemas.RESPONSES), runDate)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "Cannot evaluate: no silver/responses for run_date="
                            + runDate
                            + ". Ingest and clean the campaign responses for that date first"));
    Dataset<Row> rows = withSegments(spark, store, config, responses);
    rows = withCost(rows, config.strategy());
    Column treatment = col(Responses.GROUP).equalTo("treatment");
    Column offer = coalesce(col(Responses.OFFER), lit("unknown"));
    Column channel = coalesce(col(Responses.CHANNEL), lit("unknown"));
    Column segment = col("segment");
    // Each response row counts in several comparisons: (dimension, value). Control rows count
    // for every offer and channel of their campaign (the control is shared), and for their segment.
    Column keys =
        when(
                treatment,
                array(
                    key(ALL, lit(ALL)),
                    key("offer", offer),
                    key("channel", channel),
                    key("segment", segment),
                    key("offer_segment", concat_ws("|", offer, segment))))
            .otherwise(array(key(ALL, lit(ALL)), key("segment", segment)));
    List<Row> aggregated =
        rows.withColumn("_key", explode(keys))
            .groupBy(
                col(Responses.CAMPAIGN_ID),
                col("_key.dimension").as("dimension"),
                col("_key.value").as("value"),
                col(Responses.GROUP))
            .agg(
                count(lit(1)).as("n"),
                sum(when(col(Responses.CONVERTED), 1).otherwise(0)).as("conversions"),
                sum(coalesce(col(Responses.REVENUE), lit(0.0))).as("revenue"),
                sum(expr("coalesce(revenue, 0D) * coalesce(revenue, 0D)")).as("revenue_sq"),
                sum(col("_cost")).as("cost"))
            .collectAsList();
    List<Row> effects = effects(aggregated, config.evaluate().minGroupSize());
    store.write(CAMPAIGN_EFFECT, runDate, spark.createDataFrame(effects, EFFECT_SCHEMA));
    List<Row> priors = priors(aggregated, config.strategy().priorStrength());
    store.write(StrategyJob.OFFER_PRIORS, runDate, spark.createDataFrame(priors, PRIOR_SCHEMA));
    for (Row r : effects) {
      if (r.getString(1).equals(ALL) || r.getString(1).equals("offer")) {
        LOG.info(
            "evaluate {} {}={}: treatment {} of {} ({}), control {} of {} ({}), uplift {} [{},"
                + " {}], p={}, incremental revenue {}, ROI {}{}",
            r.getString(0),
            r.getString(1),
            r.getString(2),
            r.getLong(4),
            r.getLong(3),
            pct(r.getDouble(7)),
            r.getLong(6),
            r.getLong(5),
            pct(r.getDouble(8)),
            pct(r.getDouble(9)),
            pct(r.getDouble(10)),
            pct(r.getDouble(11)),
            String.format("%.4f", r.getDouble(13)),
            String.format("%.2f", r.getDouble(19)),
            String.format("%.2f", r.getDouble(21)),
            r.getBoolean(22) ? " (small group)" : "");
      }
    }
    LOG.info(
        "evaluate done in {}: {} comparisons, {} offer priors",
        StageCounts.elapsed(started),
        effects.size(),
        priors.size());
    return effects;
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.2f%%", 100 * v);
  }

  private static Column key(String dimension, Column value) {
    return struct(lit(dimension).as("dimension"), value.as("value"));
  }

  /**
   * The segment of each response: from {@code evaluate.segment-sql} over silver/users if set; else
   * the segment the strategy table recorded for the user and campaign; else the user's RFM segment
   * of the run date's profiles; else "all".
   */
  static Dataset<Row> withSegments(
      SparkSession spark, TableStore store, JobConfig config, Dataset<Row> responses) {
    LocalDate runDate = config.runDate();
    Optional<String> sql = config.evaluate().segmentSql();
    if (sql.isPresent()) {
      Dataset<Row> users =
          store
              .readIfPresent(CleanJob.silverTable(InputSchemas.USERS), runDate)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "Cannot evaluate: marketing.evaluate.segment-sql needs silver/users for "
                              + runDate));
      Dataset<Row> segments;
      try {
        segments =
            users.select(col(Columns.Users.USER_ID), expr(sql.get()).cast("string").as("segment"));
        segments.schema();
      } catch (Exception e) {
        if (e instanceof RuntimeException runtime && !(e instanceof AnalysisException)) {
          throw runtime;
        }
        throw new InvalidConfigException(
            "Config key 'marketing.evaluate.segment-sql' is not a valid expression over"
                + " silver/users: "
                + e.getMessage().lines().findFirst().orElse(""),
            e);
      }
      return responses
          .join(segments, Responses.USER_ID, "left")
          .withColumn("segment", coalesce(col("segment"), lit(ALL)));
    }
    Dataset<Row> result = responses;
    Column segment = lit(null).cast("string");
    List<LocalDate> planned = store.dates(StrategyJob.USER_STRATEGY);
    if (!planned.isEmpty()) {
      Dataset<Row> strategy = null;
      for (LocalDate d : planned) {
        Dataset<Row> one =
            store
                .read(StrategyJob.USER_STRATEGY, d)
                .select(
                    col("campaign_id"),
                    col("user_id"),
                    col("segment").as("_planned_segment"),
                    col(Columns.RUN_DATE));
        strategy = strategy == null ? one : strategy.unionByName(one);
      }
      Dataset<Row> latest =
          strategy
              .groupBy("campaign_id", "user_id")
              .agg(max_by(col("_planned_segment"), col(Columns.RUN_DATE)).as("_planned_segment"));
      result = result.join(latest, new String[] {"campaign_id", "user_id"}, "left");
      segment = col("_planned_segment");
    }
    Optional<Dataset<Row>> profiles = store.readIfPresent(ProfileJob.USER_PROFILES, runDate);
    if (profiles.isPresent()) {
      result =
          result.join(
              profiles.get().select(col("user_id"), col("rfm_segment").as("_profile_segment")),
              "user_id",
              "left");
      segment = coalesce(segment, col("_profile_segment"));
    }
    return result.withColumn("segment", coalesce(segment, lit(ALL)));
  }

  /**
   * Cost of each treatment contact: the channel's contact cost, plus for a conversion the offer's
   * cost (percent of the revenue, or its amount). Control rows cost nothing.
   */
  static Dataset<Row> withCost(Dataset<Row> rows, StrategyConfig settings) {
    Column contact =
        StrategyRules.perChannel(
            settings, col(Responses.CHANNEL), StrategyConfig.Channel::cost, 0.0);
    Column revenue = coalesce(col(Responses.REVENUE), lit(0.0));
    Column offerCost = lit(0.0);
    for (Map.Entry<String, StrategyConfig.Offer> e : settings.offers().entrySet()) {
      offerCost =
          when(
                  col(Responses.OFFER).equalTo(e.getKey()),
                  StrategyRules.offerCost(e.getValue(), revenue))
              .otherwise(offerCost);
    }
    Column cost =
        when(
                col(Responses.GROUP).equalTo("treatment"),
                contact.plus(when(col(Responses.CONVERTED), offerCost).otherwise(0.0)))
            .otherwise(0.0);
    return rows.withColumn("_cost", cost);
  }

  static final StructType EFFECT_SCHEMA =
      new StructType()
          .add("campaign_id", DataTypes.StringType)
          .add("dimension", DataTypes.StringType)
          .add("value", DataTypes.StringType)
          .add("treatment_users", DataTypes.LongType)
          .add("treatment_conversions", DataTypes.LongType)
          .add("control_users", DataTypes.LongType)
          .add("control_conversions", DataTypes.LongType)
          .add("treatment_rate", DataTypes.DoubleType)
          .add("control_rate", DataTypes.DoubleType)
          .add("uplift", DataTypes.DoubleType)
          .add("uplift_lower", DataTypes.DoubleType)
          .add("uplift_upper", DataTypes.DoubleType)
          .add("relative_uplift", DataTypes.DoubleType)
          .add("p_value", DataTypes.DoubleType)
          .add("revenue_per_user_treatment", DataTypes.DoubleType)
          .add("revenue_per_user_control", DataTypes.DoubleType)
          .add("revenue_per_user_diff", DataTypes.DoubleType)
          .add("revenue_diff_lower", DataTypes.DoubleType)
          .add("revenue_diff_upper", DataTypes.DoubleType)
          .add("incremental_revenue", DataTypes.DoubleType)
          .add("cost", DataTypes.DoubleType)
          .add("roi", DataTypes.DoubleType)
          .add("small_group", DataTypes.BooleanType);

  /** One effect row per campaign and comparison that has both a treatment and a control. */
  static List<Row> effects(List<Row> aggregated, int minGroupSize) {
    Map<String, Group> groups = new HashMap<>();
    List<String[]> comparisons = new ArrayList<>();
    for (Row r : aggregated) {
      String campaign = r.getString(0);
      String dimension = r.getString(1);
      String value = r.getString(2);
      String group = r.getString(3);
      groups.put(
          String.join("\u0001", campaign, dimension, value, group),
          new Group(r.getLong(4), r.getLong(5), r.getDouble(6), r.getDouble(7), r.getDouble(8)));
      if ("treatment".equals(group)) {
        comparisons.add(new String[] {campaign, dimension, value});
      }
    }
    comparisons.sort((a, b) -> String.join("\u0001", a).compareTo(String.join("\u0001", b)));
    List<Row> out = new ArrayList<>();
    for (String[] c : comparisons) {
      Group t = groups.get(String.join("\u0001", c[0], c[1], c[2], "treatment"));
      Group control =
          groups.get(
              String.join(
                  "\u0001", c[0], controlDimension(c[1]), controlValue(c[1], c[2]), "control"));
      if (control == null || control.n() == 0) {
        continue;
      }
      CampaignStats.Uplift u =
          CampaignStats.uplift(t.n(), t.conversions(), control.n(), control.conversions());
      CampaignStats.Welch w =
          CampaignStats.welch(
              t.n(),
              t.revenue(),
              t.revenueSq(),
              control.n(),
              control.revenue(),
              control.revenueSq());
      double incremental = w.difference() * t.n();
      double roi = t.cost() == 0 ? Double.NaN : (incremental - t.cost()) / t.cost();
      out.add(
          RowFactory.create(
              c[0],
              c[1],
              c[2],
              t.n(),
              t.conversions(),
              control.n(),
              control.conversions(),
              u.treatmentRate(),
              u.controlRate(),
              u.uplift(),
              u.lower(),
              u.upper(),
              u.relativeUplift(),
              u.pValue(),
              w.meanT(),
              w.meanC(),
              w.difference(),
              w.lower(),
              w.upper(),
              incremental,
              t.cost(),
              roi,
              t.n() < minGroupSize || control.n() < minGroupSize));
    }
    return out;
  }

  /** The control group a treatment comparison is measured against. */
  private static String controlDimension(String dimension) {
    return dimension.equals("segment") || dimension.equals("offer_segment") ? "segment" : ALL;
  }

  private static String controlValue(String dimension, String value) {
    return switch (dimension) {
      case "segment" -> value;
      case "offer_segment" -> value.substring(value.indexOf('|') + 1);
      default -> ALL;
    };
  }

  static final StructType PRIOR_SCHEMA =
      new StructType()
          .add("offer", DataTypes.StringType)
          .add("segment", DataTypes.StringType)
          .add("treatment_contacts", DataTypes.LongType)
          .add("conversions", DataTypes.LongType)
          .add("observed_rate", DataTypes.DoubleType)
          .add("response_rate", DataTypes.DoubleType)
          .add("uplift", DataTypes.DoubleType);

  /**
   * Offer priors over every campaign: per offer and segment (and segment "all") the observed
   * conversion rate of treatment contacts shrunk toward the offer's overall rate (the overall rate
   * toward the rate of all treatment contacts), and its uplift over the segment's shrunk control
   * rate (offer "none").
   */
  static List<Row> priors(List<Row> aggregated, double strength) {
    Map<String, long[]> treatment = new HashMap<>();
    Map<String, long[]> control = new HashMap<>();
    for (Row r : aggregated) {
      String dimension = r.getString(1);
      String value = r.getString(2);
      boolean isTreatment = "treatment".equals(r.getString(3));
      String key;
      if (isTreatment && dimension.equals("offer")) {
        key = value + "|" + ALL;
      } else if (isTreatment && dimension.equals("offer_segment")) {
        key = value;
      } else if (!isTreatment && (dimension.equals("segment") || dimension.equals(ALL))) {
        key = StrategyJob.NONE + "|" + (dimension.equals(ALL) ? ALL : value);
      } else if (isTreatment && dimension.equals(ALL)) {
        key = "*|" + ALL;
      } else {
        continue;
      }
      Map<String, long[]> target = isTreatment ? treatment : control;
      target.merge(
          key,
          new long[] {r.getLong(4), r.getLong(5)},
          (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    }
    long[] allTreatment = treatment.getOrDefault("*|" + ALL, new long[] {0, 0});
    double treatmentRate = allTreatment[0] == 0 ? 0 : allTreatment[1] / (double) allTreatment[0];
    long[] allControl = control.getOrDefault(StrategyJob.NONE + "|" + ALL, new long[] {0, 0});
    double controlRate = allControl[0] == 0 ? 0 : allControl[1] / (double) allControl[0];
    Map<String, Double> controlShrunk = new HashMap<>();
    List<Row> out = new ArrayList<>();
    List<String> controlKeys = new ArrayList<>(control.keySet());
    java.util.Collections.sort(controlKeys);
    for (String key : controlKeys) {
      long[] g = control.get(key);
      String segment = key.substring(key.indexOf('|') + 1);
      double rate =
          segment.equals(ALL)
              ? g[1] / (double) g[0]
              : CampaignStats.shrunk(g[0], g[1], controlRate, strength);
      controlShrunk.put(segment, rate);
      out.add(
          RowFactory.create(
              StrategyJob.NONE, segment, g[0], g[1], g[1] / (double) g[0], rate, 0.0));
    }
    Map<String, Double> offerRate = new HashMap<>();
    List<String> keys = new ArrayList<>(treatment.keySet());
    keys.remove("*|" + ALL);
    keys.sort(
        (a, b) -> {
          boolean aAll = a.endsWith("|" + ALL);
          boolean bAll = b.endsWith("|" + ALL);
          return aAll != bAll ? (aAll ? -1 : 1) : a.compareTo(b);
        });
    for (String key : keys) {
      long[] g = treatment.get(key);
      String offer = key.substring(0, key.indexOf('|'));
      String segment = key.substring(key.indexOf('|') + 1);
      double rate;
      if (segment.equals(ALL)) {
        rate = CampaignStats.shrunk(g[0], g[1], treatmentRate, strength);
        offerRate.put(offer, rate);
      } else {
        rate =
            CampaignStats.shrunk(
                g[0], g[1], offerRate.getOrDefault(offer, treatmentRate), strength);
      }
      double base = controlShrunk.getOrDefault(segment, controlRate);
      out.add(
          RowFactory.create(offer, segment, g[0], g[1], g[1] / (double) g[0], rate, rate - base));
    }
    return out;
  }
}
