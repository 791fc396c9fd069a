package org.marketingengine.evaluate;

import static org.marketingengine.evaluate.CampaignEffect.ALL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * One row of {@code feedback/offer_priors}, the response rates the next strategy run plans with:
 * per offer (and {@code none}, the control) and segment (and {@code all}), the observed conversion
 * rate of treatment contacts and that rate shrunk toward the offer's overall rate, and its uplift
 * over the segment's shrunk control rate.
 */
public record OfferPrior(
    String offer,
    String segment,
    long treatmentContacts,
    long conversions,
    double observedRate,
    double responseRate,
    double uplift) {

  /** The offer of the control group. */
  public static final String NONE = "none";

  /**
   * Offer priors over every campaign: per offer and segment (and segment "all") the observed
   * conversion rate of treatment contacts shrunk toward the offer's overall rate (the overall rate
   * toward the rate of all treatment contacts), and its uplift over the segment's shrunk control
   * rate (offer "none").
   */
  static List<OfferPrior> from(List<Row> aggregated, double strength) {
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
        key = NONE + "|" + (dimension.equals(ALL) ? ALL : value);
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
    long[] allControl = control.getOrDefault(NONE + "|" + ALL, new long[] {0, 0});
    double controlRate = allControl[0] == 0 ? 0 : allControl[1] / (double) allControl[0];
    Map<String, Double> controlShrunk = new HashMap<>();
    List<OfferPrior> out = new ArrayList<>();
    List<String> controlKeys = new ArrayList<>(control.keySet());
    Collections.sort(controlKeys);
    for (String key : controlKeys) {
      long[] g = control.get(key);
      String segment = key.substring(key.indexOf('|') + 1);
      double rate =
          segment.equals(ALL)
              ? g[1] / (double) g[0]
              : CampaignStats.shrunk(g[0], g[1], controlRate, strength);
      controlShrunk.put(segment, rate);
      out.add(new OfferPrior(NONE, segment, g[0], g[1], g[1] / (double) g[0], rate, 0.0));
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
      out.add(new OfferPrior(offer, segment, g[0], g[1], g[1] / (double) g[0], rate, rate - base));
    }
    return out;
  }
}
