package org.marketingengine.report;

import java.util.List;
import java.util.Map;
import org.marketingengine.stage.StageRun;

/**
 * What the report shows, as {@code reports/<run_date>/summary.json} holds it (schema version {@link
 * #SCHEMA_VERSION}; keys are the snake_case of the components). Aggregates only: no user id, no
 * per-user row. Every section has a {@code status}: {@code ok}, or {@code not_run} with {@code
 * note} saying which stage has not run for the date.
 */
public record ReportSummary(
    int schemaVersion,
    String runDate,
    String generatedAt,
    String version,
    String language,
    Run run,
    DataQuality dataQuality,
    Models models,
    Segments segments,
    Recommendations recommendations,
    Strategy strategy,
    CampaignEffect campaignEffect,
    Trend trend) {

  public static final int SCHEMA_VERSION = 1;
  public static final String OK = "ok";
  public static final String NOT_RUN = "not_run";

  /** A label and a number: a bar of a chart. */
  public record Count(String label, double value) {}

  /** A point of a curve. */
  public record Point(double x, double y) {}

  public record Run(
      String status,
      String note,
      List<StageRun> stages,
      Map<String, Long> inputRows,
      String configDigest) {}

  public record InputQuality(
      String input,
      long rowsRead,
      long rowsKept,
      long rowsQuarantined,
      long duplicatesRemoved,
      long anomaliesRemoved,
      Map<String, Long> removedByReason,
      Long previousRowsRead,
      Long previousRowsQuarantined) {}

  public record DataQuality(
      String status, String note, String previousRunDate, List<InputQuality> inputs) {}

  public record Calibration(int decile, long rows, double meanPredicted, double observedRate) {}

  public record Model(
      String model,
      String task,
      boolean champion,
      Map<String, Double> test,
      Map<String, Double> baseline,
      List<Point> roc,
      List<Point> gains,
      List<Calibration> calibration,
      List<Count> topFeatures) {}

  public record Models(String status, String note, List<Model> models) {}

  public record Segment(String segment, long users, double share, double expectedValue) {}

  public record Segments(
      String status,
      String note,
      List<Segment> rfmSegments,
      List<Segment> clusters,
      List<Count> propensityHistogram) {}

  public record Variant(String variant, int k, Map<String, Double> metrics) {}

  public record Recommendations(
      String status,
      String note,
      long users,
      long recommendations,
      double catalogCoverage,
      double novelty,
      List<Count> topCategories,
      List<Variant> variants) {}

  public record Campaign(
      String campaignId, long users, long contacts, long control, double spend, Double budget) {}

  /** Contacts of one row (segment) and column (offer) of the allocation. */
  public record Cell(String row, String column, long contacts) {}

  public record Strategy(
      String status,
      String note,
      List<Campaign> campaigns,
      List<Cell> segmentOffer,
      List<Count> channels,
      List<Count> exclusions) {}

  public record Effect(
      String campaignId,
      String dimension,
      String value,
      long treatmentUsers,
      long controlUsers,
      double uplift,
      double upliftLower,
      double upliftUpper,
      double pValue,
      double incrementalRevenue,
      double roi) {}

  public record Prior(String offer, String segment, double responseRate, double uplift) {}

  public record CampaignEffect(
      String status, String note, List<Effect> effects, List<Prior> offerPriors) {}

  public record TrendPoint(
      String runDate, Double quarantineShare, Double championAuc, Long contacts, Double uplift) {}

  public record Trend(String status, String note, List<TrendPoint> points) {}
}
