package org.marketingengine.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * One row of {@code evaluation/campaign_effect}: a treatment group of a campaign (all of it, or one
 * offer, channel, segment or offer x segment) against its control: conversion uplift with a 95%
 * interval and p-value, revenue per user with a Welch interval, incremental revenue, cost and ROI.
 * Written with {@link org.marketingengine.io.RecordRows}: one column per component, in order.
 */
public record CampaignEffect(
    String campaignId,
    String dimension,
    String value,
    long treatmentUsers,
    long treatmentConversions,
    long controlUsers,
    long controlConversions,
    double treatmentRate,
    double controlRate,
    double uplift,
    double upliftLower,
    double upliftUpper,
    double relativeUplift,
    double pValue,
    double revenuePerUserTreatment,
    double revenuePerUserControl,
    double revenuePerUserDiff,
    double revenueDiffLower,
    double revenueDiffUpper,
    double incrementalRevenue,
    double cost,
    double roi,
    boolean smallGroup) {

  public static final String ALL = "all";

  /** Aggregates of one group (treatment or control) of one comparison. */
  record Group(long n, long conversions, double revenue, double revenueSq, double cost) {}

  /** The key of one aggregated group: campaign, dimension, value, group. */
  record Key(String campaign, String dimension, String value, String group) {}

  /**
   * One effect per campaign and comparison that has both a treatment and a control, from the
   * aggregated groups; sorted by campaign, dimension and value.
   */
  static List<CampaignEffect> from(Map<Key, Group> groups, int minGroupSize) {
    List<Key> comparisons = new ArrayList<>();
    for (Key key : groups.keySet()) {
      if ("treatment".equals(key.group())) {
        comparisons.add(key);
      }
    }
    comparisons.sort(
        Comparator.comparing(Key::campaign)
            .thenComparing(Key::dimension)
            .thenComparing(Key::value));
    List<CampaignEffect> out = new ArrayList<>();
    for (Key c : comparisons) {
      Group t = groups.get(c);
      Group control =
          groups.get(
              new Key(
                  c.campaign(),
                  controlDimension(c.dimension()),
                  controlValue(c.dimension(), c.value()),
                  "control"));
      if (control == null || control.n() == 0) {
        continue;
      }
      out.add(of(c, t, control, minGroupSize));
    }
    return out;
  }

  private static CampaignEffect of(Key c, Group t, Group control, int minGroupSize) {
    CampaignStats.Uplift u =
        CampaignStats.uplift(t.n(), t.conversions(), control.n(), control.conversions());
    CampaignStats.Welch w =
        CampaignStats.welch(
            t.n(), t.revenue(), t.revenueSq(), control.n(), control.revenue(), control.revenueSq());
    double incremental = w.difference() * t.n();
    double roi = t.cost() == 0 ? Double.NaN : (incremental - t.cost()) / t.cost();
    return new CampaignEffect(
        c.campaign(),
        c.dimension(),
        c.value(),
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
        t.n() < minGroupSize || control.n() < minGroupSize);
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

  /** Groups of aggregated rows (campaign, dimension, value, group, n, conversions, ...). */
  static Map<Key, Group> groups(List<Row> aggregated) {
    Map<Key, Group> groups = new HashMap<>();
    for (Row r : aggregated) {
      groups.put(
          new Key(r.getString(0), r.getString(1), r.getString(2), r.getString(3)),
          new Group(r.getLong(4), r.getLong(5), r.getDouble(6), r.getDouble(7), r.getDouble(8)));
    }
    return groups;
  }
}
