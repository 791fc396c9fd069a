package org.marketingengine.evaluate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.evaluate.CampaignEffect.ALL;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Responses;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.RecordRows;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;

/**
 * The evaluate stage: campaign responses to {@code evaluation/campaign_effect} (per campaign, and
 * per offer, channel, segment and offer x segment: treatment vs control, see {@link
 * CampaignEffect}) and {@code feedback/offer_priors} (see {@link OfferPrior}), read by the next
 * strategy run. One aggregation over the responses; the statistics are computed on the driver from
 * one row per group.
 */
public final class EvaluateJob implements Stage<EvaluateJob.Result> {
  public static final String STAGE = "evaluate";

  /** Every comparison measured, and the number of offer priors written. */
  public record Result(List<CampaignEffect> effects, int priors) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Measure campaign uplift, revenue and ROI; write the offer priors for the next plan.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Compares treatment with control per campaign, offer, channel and segment in",
        "silver/responses of the run date and writes evaluation/campaign_effect and",
        "feedback/offer_priors. Run ingest and clean with the campaign responses first.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.silver(InputSchemas.RESPONSES), Tables.USER_STRATEGY + " (earlier dates)");
  }

  @Override
  public Optional<String> skipReason(StageContext context) {
    return context.has(Tables.silver(InputSchemas.RESPONSES))
        ? Optional.empty()
        : Optional.of("no silver/responses for " + context.runDate());
  }

  @Override
  public Result run(StageContext context) {
    Dataset<Row> responses = context.require(Tables.silver(InputSchemas.RESPONSES), "evaluate");
    Dataset<Row> rows =
        ResponseSegments.withCost(
            ResponseSegments.withSegments(context, responses), context.config().strategy());
    List<Row> aggregated = aggregate(rows);
    List<CampaignEffect> effects =
        CampaignEffect.from(
            CampaignEffect.groups(aggregated), context.config().evaluate().minGroupSize());
    context
        .tables()
        .write(
            Tables.CAMPAIGN_EFFECT,
            context.runDate(),
            RecordRows.dataFrame(context.spark(), effects, CampaignEffect.class));
    List<OfferPrior> priors =
        OfferPrior.from(aggregated, context.config().strategy().priorStrength());
    context
        .tables()
        .write(
            Tables.OFFER_PRIORS,
            context.runDate(),
            RecordRows.dataFrame(context.spark(), priors, OfferPrior.class));
    return new Result(effects, priors.size());
  }

  /**
   * One row per campaign, comparison (dimension, value) and group with its size, conversions,
   * revenue, squared revenue and cost: a few hundred rows. Control rows count for every offer and
   * channel of their campaign (the control is shared), and for their segment.
   */
  private static List<Row> aggregate(Dataset<Row> rows) {
    Column treatment = col(Responses.GROUP).equalTo("treatment");
    Column offer = coalesce(col(Responses.OFFER), lit("unknown"));
    Column channel = coalesce(col(Responses.CHANNEL), lit("unknown"));
    Column segment = col(ResponseSegments.SEGMENT);
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
    Column revenue = coalesce(col(Responses.REVENUE), lit(0.0));
    return rows.withColumn("_key", explode(keys))
        .groupBy(
            col(Responses.CAMPAIGN_ID),
            col("_key.dimension").as("dimension"),
            col("_key.value").as("value"),
            col(Responses.GROUP))
        .agg(
            count(lit(1)).as("n"),
            sum(when(col(Responses.CONVERTED), 1).otherwise(0)).as("conversions"),
            sum(revenue).as("revenue"),
            sum(revenue.multiply(revenue)).as("revenue_sq"),
            sum(col(ResponseSegments.COST)).as("cost"))
        // One row per campaign, comparison (offer, channel, segment, offer x segment) and group:
        // hundreds, not users.
        .collectAsList();
  }

  private static Column key(String dimension, Column value) {
    return struct(lit(dimension).as("dimension"), value.as("value"));
  }

  @Override
  public String outcome(Result result) {
    StringBuilder line =
        new StringBuilder(
            result.effects().size() + " comparisons, " + result.priors() + " offer priors");
    for (CampaignEffect e : result.effects()) {
      if (e.dimension().equals(ALL)) {
        line.append(
            String.format(
                Locale.ROOT,
                "; %s uplift %s [%s, %s] p=%.4f ROI %.2f",
                e.campaignId(),
                pct(e.uplift()),
                pct(e.upliftLower()),
                pct(e.upliftUpper()),
                e.pValue(),
                e.roi()));
      }
    }
    return line.toString();
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "%-24s %-16s %9s %9s %8s %8s %9s %21s %8s%n",
        "campaign",
        "offer",
        "treated",
        "control",
        "t_rate",
        "c_rate",
        "uplift",
        "95% interval",
        "p");
    for (CampaignEffect e : result.effects()) {
      if (!e.dimension().equals("offer") && !e.dimension().equals(ALL)) {
        continue;
      }
      out.printf(
          Locale.ROOT,
          "%-24s %-16s %9d %9d %7.2f%% %7.2f%% %8.2f%% [%7.2f%%, %7.2f%%] %8.4f%s%n",
          e.campaignId(),
          e.value(),
          e.treatmentUsers(),
          e.controlUsers(),
          100 * e.treatmentRate(),
          100 * e.controlRate(),
          100 * e.uplift(),
          100 * e.upliftLower(),
          100 * e.upliftUpper(),
          e.pValue(),
          e.smallGroup() ? "  small group" : "");
    }
    out.printf(
        "%s and %s of %s under %s%n",
        Tables.CAMPAIGN_EFFECT, Tables.OFFER_PRIORS, context.runDate(), context.outputRoot());
  }
}
