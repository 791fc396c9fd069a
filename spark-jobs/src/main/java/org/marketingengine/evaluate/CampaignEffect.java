package org.marketingengine.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@code evaluation/campaign_effect}: a treatment group of a campaign (all of it, or one
 * offer, channel, segment or offer x segment) against its control: conversion uplift with a 95%
 * interval and p-value, revenue per user with a Welch interval, incremental revenue, cost and ROI.
 * The schema and {@link #toRow} are side by side, so a column cannot be mislabelled.
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

  public static final StructType SCHEMA =
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

  public Row toRow() {
    return RowFactory.create(
        campaignId,
        dimension,
        value,
        treatmentUsers,
        treatmentConversions,
        controlUsers,
        controlConversions,
        treatmentRate,
        controlRate,
        uplift,
        upliftLower,
        upliftUpper,
        relativeUplift,
        pValue,
        revenuePerUserTreatment,
        revenuePerUserControl,
        revenuePerUserDiff,
        revenueDiffLower,
        revenueDiffUpper,
        incrementalRevenue,
        cost,
        roi,
        smallGroup);
  }

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
