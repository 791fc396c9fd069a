package org.marketingengine.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.evaluate.CampaignEffect;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.report.ReportSummary.DataQuality;
import org.marketingengine.report.ReportSummary.InputQuality;
import org.marketingengine.report.ReportSummary.Run;
import org.marketingengine.report.ReportSummary.Trend;
import org.marketingengine.report.ReportSummary.TrendPoint;
import org.marketingengine.stage.StageContext;
import org.marketingengine.stage.StageRun;

/**
 * The sections about the run itself: the header (stages, input rows, config digest), data quality
 * against the previous run date, and the trend over earlier run dates. Each reads the small files
 * and aggregates the run writes, never a per-user table to the driver.
 */
final class RunSections {
  private RunSections() {}

  static Run run(StageContext context, ObjectNode quality) {
    List<StageRun> stages =
        StageRun.of(context.hadoop(), context.outputRoot(), context.runDate()).stream()
            .filter(r -> !r.stage().equals(ReportJob.NAME))
            .toList();
    Map<String, Long> inputRows = new TreeMap<>();
    for (InputQuality input : inputs(quality, null)) {
      inputRows.put(input.input(), input.rowsRead());
    }
    String status =
        stages.isEmpty() && inputRows.isEmpty() ? ReportSummary.NOT_RUN : ReportSummary.OK;
    return new Run(
        status,
        status.equals(ReportSummary.OK) ? null : "no stage has run for this date",
        stages,
        inputRows,
        digest(context.config().toString()));
  }

  static DataQuality dataQuality(StageContext context, ObjectNode quality) {
    if (!quality.has("inputs")) {
      return new DataQuality(
          ReportSummary.NOT_RUN, "ingest has not run for this date", null, List.of());
    }
    LocalDate previous = previousQualityDate(context);
    ObjectNode before =
        previous == null
            ? null
            : DataQualityReport.readIfExists(context.hadoop(), context.outputRoot(), previous);
    return new DataQuality(
        ReportSummary.OK,
        null,
        previous == null ? null : previous.toString(),
        inputs(quality, before));
  }

  /** Per input the funnel: read, kept, quarantined, removed by clean, with each reason's count. */
  static List<InputQuality> inputs(ObjectNode quality, ObjectNode before) {
    List<InputQuality> inputs = new ArrayList<>();
    JsonNode all = quality.path("inputs");
    for (Iterator<String> names = all.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode input = all.get(name);
      JsonNode summary = input.path("summary");
      JsonNode ingest = input.path("ingest");
      if (summary.isMissingNode() && ingest.isMissingNode()) {
        continue;
      }
      Map<String, Long> reasons = new TreeMap<>();
      ingest
          .path("quarantined_by_reason")
          .fields()
          .forEachRemaining(e -> reasons.merge(e.getKey(), e.getValue().asLong(), Long::sum));
      input
          .path("clean")
          .path("removed_by_reason")
          .fields()
          .forEachRemaining(e -> reasons.merge(e.getKey(), e.getValue().asLong(), Long::sum));
      JsonNode earlier = before == null ? null : before.path("inputs").path(name).path("summary");
      boolean hasEarlier = earlier != null && !earlier.isMissingNode();
      inputs.add(
          new InputQuality(
              name,
              first(summary, ingest, "rows_read"),
              first(summary, ingest, "rows_kept"),
              first(summary, ingest, "rows_quarantined"),
              summary.path("duplicates_removed").asLong(0),
              summary.path("anomalies_removed").asLong(0),
              reasons,
              hasEarlier ? earlier.path("rows_read").asLong() : null,
              hasEarlier ? earlier.path("rows_quarantined").asLong() : null));
    }
    return inputs;
  }

  private static long first(JsonNode summary, JsonNode ingest, String field) {
    return summary.has(field) ? summary.get(field).asLong() : ingest.path(field).asLong(0);
  }

  private static LocalDate previousQualityDate(StageContext context) {
    return earlierDates(context, 1).stream()
        .filter(
            d ->
                DataQualityReport.readIfExists(context.hadoop(), context.outputRoot(), d)
                    .has("inputs"))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  /** Earlier run dates that published any of the tables the trend reads, the latest last. */
  static List<LocalDate> earlierDates(StageContext context, int limit) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (String table :
        List.of(
            Tables.bronze("events"),
            Tables.MODEL_METRICS,
            Tables.USER_STRATEGY,
            Tables.CAMPAIGN_EFFECT)) {
      dates.addAll(context.tables().dates(table));
    }
    List<LocalDate> earlier =
        new ArrayList<>(dates.headSet(context.runDate(), false).descendingSet());
    List<LocalDate> kept = new ArrayList<>(earlier.subList(0, Math.min(limit, earlier.size())));
    java.util.Collections.reverse(kept);
    return kept;
  }

  /** Quarantine share, champion test AUC, contacts and measured uplift per run date. */
  static Trend trend(StageContext context, int limit) {
    List<LocalDate> dates = new ArrayList<>(earlierDates(context, limit));
    if (dates.isEmpty()) {
      return new Trend(ReportSummary.NOT_RUN, "no earlier run date to compare with", List.of());
    }
    dates.add(context.runDate());
    Map<String, Double> auc = perDate(context, Tables.MODEL_METRICS, dates, championAuc());
    Map<String, Double> contacts =
        perDate(
            context,
            Tables.USER_STRATEGY,
            dates,
            sum(when(col(Strategy.CONTACTED), lit(1)).otherwise(lit(0))).cast("double"));
    Map<String, Double> uplift =
        perDate(
            context,
            Tables.CAMPAIGN_EFFECT,
            dates,
            max(when(col("dimension").equalTo(CampaignEffect.ALL), col("uplift"))));
    List<TrendPoint> points = new ArrayList<>();
    for (LocalDate date : dates) {
      ObjectNode quality =
          DataQualityReport.readIfExists(context.hadoop(), context.outputRoot(), date);
      long read = 0;
      long quarantined = 0;
      for (InputQuality input : inputs(quality, null)) {
        read += input.rowsRead();
        quarantined += input.rowsQuarantined();
      }
      String d = date.toString();
      points.add(
          new TrendPoint(
              d,
              read == 0 ? null : quarantined / (double) read,
              auc.get(d),
              contacts.containsKey(d) ? Math.round(contacts.get(d)) : null,
              uplift.get(d)));
    }
    return new Trend(ReportSummary.OK, null, points);
  }

  /** The mean test AUC of the champion classifiers of a run date. */
  private static org.apache.spark.sql.Column championAuc() {
    return org.apache.spark.sql.functions.avg(
        when(
            col("champion").and(col("split").equalTo("test")).and(col("metric").equalTo("auc_roc")),
            col("value")));
  }

  /** One aggregate of a table per run date, for the dates that have it. */
  private static Map<String, Double> perDate(
      StageContext context,
      String table,
      List<LocalDate> dates,
      org.apache.spark.sql.Column aggregate) {
    List<LocalDate> present =
        dates.stream().filter(d -> context.tables().hasPartition(table, d)).toList();
    Map<String, Double> values = new HashMap<>();
    if (present.isEmpty()) {
      return values;
    }
    Dataset<Row> rows = context.tables().read(table, present);
    for (Row r :
        rows.groupBy(col("run_date").cast("string").as("d"))
            .agg(aggregate.as("v"), count(lit(1)))
            .collectAsList()) {
      if (!r.isNullAt(1)) {
        values.put(r.getString(0), ((Number) r.get(1)).doubleValue());
      }
    }
    return values;
  }

  /** The first 12 hex digits of the SHA-256 of the resolved configuration (secrets masked). */
  static String digest(String config) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(config.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("No SHA-256", e);
    }
  }
}
