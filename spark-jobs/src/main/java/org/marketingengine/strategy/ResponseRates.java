package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Priors;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.features.UserFeatures;
import org.marketingengine.io.Tables;
import org.marketingengine.model.Calibration;
import org.marketingengine.model.Metrics;
import org.marketingengine.model.ModelStore;
import org.marketingengine.model.Scorer;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * P(response) of each user without an offer ({@code _p_none}) and with each offer of a campaign
 * ({@code _p_<offer>}), from the first source that exists: the latest {@code feedback/offer_priors}
 * on or before the run date (per segment, else overall, else the default uplift), the response
 * champion scored with each offer (through the same {@link Scorer} as the score stage, with its
 * feature check), or the configured default rates.
 */
final class ResponseRates {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseRates.class);
  static final String NONE = "none";

  private ResponseRates() {}

  /** The rows with the rate columns, and where the rates came from (for the reason). */
  record Rated(Dataset<Row> rows, String source) {}

  /** The column of P(response) with {@code offer} ({@code none}: without one). */
  static String p(String offer) {
    return "_p_" + offer;
  }

  static Rated of(StageContext context, Dataset<Row> users, StrategyConfig.Campaign campaign) {
    StrategyConfig settings = context.config().strategy();
    Optional<LocalDate> priorsDate =
        context.tables().latestOnOrBefore(Tables.OFFER_PRIORS, context.runDate());
    if (priorsDate.isPresent()) {
      LOG.info(
          "strategy {}: response rates from feedback/offer_priors of {}",
          campaign.id(),
          priorsDate.get());
      return new Rated(
          fromPriors(context, users, campaign, settings, priorsDate.get()),
          "offer priors of " + priorsDate.get());
    }
    Optional<Rated> fromModel = fromModel(context, users, campaign, settings);
    if (fromModel.isPresent()) {
      return fromModel.get();
    }
    Dataset<Row> rows = users.withColumn(p(NONE), lit(settings.priors().none()));
    for (String offer : campaign.offers()) {
      rows =
          rows.withColumn(
              p(offer), lit(settings.priors().none() + settings.priors().uplift().get(offer)));
    }
    LOG.info(
        "strategy {}: no offer priors and no response model; default response rates",
        campaign.id());
    return new Rated(rows, "default priors");
  }

  private static Dataset<Row> fromPriors(
      StageContext context,
      Dataset<Row> users,
      StrategyConfig.Campaign campaign,
      StrategyConfig settings,
      LocalDate date) {
    Dataset<Row> priors =
        context
            .tables()
            .read(Tables.OFFER_PRIORS, date)
            .where(
                col(Priors.TREATMENT_CONTACTS)
                    .geq(settings.minPriorContacts())
                    .or(col(Priors.OFFER).equalTo(NONE)));
    Dataset<Row> bySegment = priors.where(col(Priors.SEGMENT).notEqual("all"));
    Dataset<Row> overall = priors.where(col(Priors.SEGMENT).equalTo("all"));
    Dataset<Row> overallRow = pivot(overall, "_all_").drop("_all_segment");
    if (overallRow.isEmpty()) {
      overallRow = emptyPivot(context, overall);
    }
    Dataset<Row> rows =
        users
            .join(
                pivot(bySegment, "_seg_"),
                col(Profiles.RFM_SEGMENT).equalTo(col("_seg_segment")),
                "left")
            .crossJoin(overallRow)
            .withColumn(
                p(NONE),
                coalesce(col("_seg_none"), col("_all_none"), lit(settings.priors().none())));
    for (String offer : campaign.offers()) {
      rows =
          rows.withColumn(
              p(offer),
              coalesce(
                  col("_seg_" + offer),
                  col("_all_" + offer),
                  col(p(NONE)).plus(settings.priors().uplift().get(offer))));
    }
    return rows;
  }

  private static Optional<Rated> fromModel(
      StageContext context,
      Dataset<Row> users,
      StrategyConfig.Campaign campaign,
      StrategyConfig settings) {
    Optional<LocalDate> modelDate =
        ModelStore.latestRun(context.spark(), context.outputRoot(), context.runDate());
    Optional<Dataset<Row>> features = context.optional(Tables.USER_FEATURES);
    if (modelDate.isEmpty() || features.isEmpty()) {
      return Optional.empty();
    }
    Scorer scorer = new Scorer(context.spark(), context.outputRoot(), modelDate.get());
    Dataset<Row> scoring =
        features
            .get()
            .where(col(Features.PURPOSE).equalTo(UserFeatures.SCORING))
            .drop(Features.CONTACT_CHANNEL, Features.OFFER)
            .join(
                users.select(
                    col(Features.USER_ID), col(Strategy.CHANNEL).as(Features.CONTACT_CHANNEL)),
                Features.USER_ID);
    Optional<PipelineModel> model = scorer.responseModel(scoring);
    if (model.isEmpty()) {
      return Optional.empty();
    }
    List<String> offers = new ArrayList<>(campaign.offers());
    offers.add(0, NONE);
    Dataset<Row> rows = users;
    Calibration calibration = scorer.responseCalibration();
    for (String offer : offers) {
      Dataset<Row> scored =
          Metrics.withScore(model.get().transform(scoring.withColumn(Features.OFFER, lit(offer))))
              .select(col(Features.USER_ID), calibration.apply(col(Metrics.SCORE)).as(p(offer)));
      rows = rows.join(scored, Features.USER_ID, "left");
    }
    for (String offer : offers) {
      rows = rows.withColumn(p(offer), coalesce(col(p(offer)), lit(settings.priors().none())));
    }
    String name = scorer.responseModelName().orElseThrow();
    LOG.info(
        "strategy {}: response rates from the response model {} of {}",
        campaign.id(),
        name,
        modelDate.get());
    return Optional.of(new Rated(rows, "response model " + name));
  }

  /** Priors as one row per segment with a column per offer: {@code <prefix><offer>}. */
  private static Dataset<Row> pivot(Dataset<Row> priors, String prefix) {
    List<Column> aggregates = new ArrayList<>();
    List<String> offers = new ArrayList<>(StrategyConfig.OFFERS);
    offers.add(NONE);
    for (String offer : offers) {
      aggregates.add(
          max(when(col(Priors.OFFER).equalTo(offer), col(Priors.RESPONSE_RATE)))
              .as(prefix + offer));
    }
    return priors
        .groupBy(col(Priors.SEGMENT).as(prefix + "segment"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
  }

  /** One row of nulls with the columns of {@link #pivot} of the overall priors. */
  private static Dataset<Row> emptyPivot(StageContext context, Dataset<Row> overall) {
    Dataset<Row> p = pivot(overall.limit(0), "_all_").drop("_all_segment");
    List<Column> nulls = new ArrayList<>();
    for (String c : p.columns()) {
      nulls.add(lit(null).cast("double").as(c));
    }
    return context.spark().range(1).select(nulls.toArray(Column[]::new));
  }
}
