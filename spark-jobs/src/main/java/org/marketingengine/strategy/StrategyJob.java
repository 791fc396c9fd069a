package org.marketingengine.strategy;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategy stage: per user and active campaign one row of {@code strategy/user_strategy}
 * (objective, offer, channel, items, message, expected value and cost, priority, send time, reason,
 * treatment or control; see {@link CampaignPlan}), and {@code strategy/segment_summary}. Reads the
 * profiles, the recommendations, consent ({@code silver/users}), the offer priors or the response
 * model, and earlier plans (frequency cap).
 */
public final class StrategyJob implements Stage<StrategyJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(StrategyJob.class);
  public static final String STAGE = "strategy";

  /** Per campaign its totals, and the per-segment summary. */
  public record Result(
      List<StrategySummary.Campaign> campaigns, List<StrategySummary.Segment> segments) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Plan each active campaign per user: objective, offer, channel, items, message.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Writes strategy/user_strategy (one row per user and campaign active on the day after the",
        "run date) and strategy/segment_summary from profiles, recommendations, consent, the",
        "response model or feedback/offer_priors, the budget, caps and the control group.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.USER_PROFILES,
        Tables.RECOMMENDATIONS,
        Tables.silver(InputSchemas.USERS),
        Tables.OFFER_PRIORS,
        Tables.USER_STRATEGY + " (earlier dates)");
  }

  @Override
  public Result run(StageContext context) {
    LocalDate runDate = context.runDate();
    Dataset<Row> profiles = context.require(Tables.USER_PROFILES, "plan the strategy");
    List<StrategyConfig.Campaign> campaigns =
        context.config().strategy().campaigns().values().stream()
            .filter(c -> c.activeFor(runDate))
            .toList();
    if (campaigns.isEmpty()) {
      LOG.warn(
          "strategy: no campaign of marketing.strategy.campaigns is active on {}",
          runDate.plusDays(1));
    }
    Dataset<Row> users = UserBase.of(context, profiles).cache();
    ContactGuard guard = new ContactGuard(context.config().strategy());
    try {
      Dataset<Row> all = null;
      for (StrategyConfig.Campaign campaign : campaigns) {
        Dataset<Row> plan = CampaignPlan.of(context, users, campaign, guard);
        all = all == null ? plan : all.unionByName(plan);
      }
      if (all == null) {
        all = CampaignPlan.of(context, users.limit(0), emptyCampaign(), guard);
      }
      context.tables().write(Tables.USER_STRATEGY, runDate, all);
      Map<String, Long> broken = guard.counts();
      LOG.info(
          "strategy: {} rows on a channel without consent, {} contacts over the frequency cap"
              + " (both must be 0)",
          broken.get(ContactGuard.WITHOUT_CONSENT),
          broken.get(ContactGuard.OVER_CAP));
      guard.check();
      context
          .tables()
          .write(
              Tables.STRATEGY_SEGMENTS,
              runDate,
              StrategySummary.table(context.require(Tables.USER_STRATEGY, "summarise the plan")));
      List<StrategySummary.Segment> segments =
          StrategySummary.segments(context.require(Tables.STRATEGY_SEGMENTS, "read the summary"));
      return new Result(StrategySummary.campaigns(segments), segments);
    } finally {
      users.unpersist();
    }
  }

  private static StrategyConfig.Campaign emptyCampaign() {
    return new StrategyConfig.Campaign(
        "none", "revenue", List.of("discount"), 0, Optional.empty(), Optional.empty(), 1);
  }

  @Override
  public String outcome(Result result) {
    StringBuilder line = new StringBuilder(result.campaigns().size() + " campaigns");
    for (StrategySummary.Campaign c : result.campaigns()) {
      line.append(
          String.format(
              Locale.ROOT,
              "; %s: %d users, %d contacted, %d control, expected cost %.2f, expected incremental"
                  + " profit %.2f",
              c.campaignId(),
              c.users(),
              c.contacted(),
              c.control(),
              c.expectedCost(),
              c.expectedProfit()));
    }
    return line.toString();
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%s of %s under %s:%n", Tables.USER_STRATEGY, context.runDate(), context.outputRoot());
    for (StrategySummary.Campaign c : result.campaigns()) {
      out.printf(
          Locale.ROOT,
          "  campaign %s: %d users, %d contacted, %d control, expected cost %.2f%n",
          c.campaignId(),
          c.users(),
          c.contacted(),
          c.control(),
          c.expectedCost());
    }
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
    for (StrategySummary.Segment s : result.segments()) {
      out.printf(
          Locale.ROOT,
          "%-12s %-16s %-9s %7d %9d %7d %8d %8d %8d %8d %11.2f %10.2f%n",
          s.campaignId(),
          s.segment(),
          s.objective(),
          s.users(),
          s.contacted(),
          s.control(),
          s.contactsByOffer().get("discount"),
          s.contactsByOffer().get("coupon"),
          s.contactsByOffer().get("free_shipping"),
          s.contactsByOffer().get("bundle"),
          s.expectedValue(),
          s.budgetUsed());
    }
  }
}
