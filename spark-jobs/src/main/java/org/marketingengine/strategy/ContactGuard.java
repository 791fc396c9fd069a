package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.quality.StageCounts;

/**
 * Counts, while the plan is written (an {@link Observation}: no extra pass), the rows that break
 * the two rules no plan may break: a channel the user has not consented to, and a contact of a user
 * already at the frequency cap. Both must be zero whatever the data; {@link #check} fails the stage
 * otherwise, so that the export (the next task) never sends such a plan.
 */
final class ContactGuard {
  static final String WITHOUT_CONSENT = "rows_without_consent";
  static final String OVER_CAP = "contacts_over_cap";

  private final StrategyConfig settings;
  private final List<Observation> observations = new ArrayList<>();

  ContactGuard(StrategyConfig settings) {
    this.settings = settings;
  }

  /** The rows of one campaign's plan (before its final projection), counted as they are written. */
  Dataset<Row> watch(Dataset<Row> plan, String campaign) {
    Column consented = lit(false);
    for (String channel : settings.channels().keySet()) {
      consented =
          consented.or(
              col(Strategy.CHANNEL)
                  .equalTo(channel)
                  .and(coalesce(col(StrategyRules.CONSENT_PREFIX + channel), lit(false))));
    }
    Column withoutConsent = col(Strategy.CHANNEL).isNotNull().and(consented.unary_$bang());
    Column overCap = col(Strategy.CONTACTED).and(Allocation.capped(settings));
    Observation observation = new Observation("contact guard " + campaign);
    observations.add(observation);
    return plan.observe(
        observation,
        sum(when(withoutConsent, 1L).otherwise(0L)).as(WITHOUT_CONSENT),
        sum(when(overCap, 1L).otherwise(0L)).as(OVER_CAP));
  }

  /** Both counts over every campaign, once the plan has been written. */
  Map<String, Long> counts() {
    long withoutConsent = 0;
    long overCap = 0;
    for (Observation observation : observations) {
      Map<String, Long> counted = StageCounts.observed(observation, "the plan");
      withoutConsent += counted.getOrDefault(WITHOUT_CONSENT, 0L);
      overCap += counted.getOrDefault(OVER_CAP, 0L);
    }
    return Map.of(WITHOUT_CONSENT, withoutConsent, OVER_CAP, overCap);
  }

  /** Fails when a rule was broken. */
  void check() {
    Map<String, Long> counts = counts();
    if (counts.get(WITHOUT_CONSENT) > 0 || counts.get(OVER_CAP) > 0) {
      throw new IllegalStateException(
          "strategy planned "
              + counts.get(WITHOUT_CONSENT)
              + " rows on a channel without consent and "
              + counts.get(OVER_CAP)
              + " contacts over the frequency cap: do not export this plan; report it as a bug");
    }
  }
}
