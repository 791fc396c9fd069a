package org.marketingengine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.marketingengine.BuildInfo;
import org.marketingengine.io.Json;
import org.marketingengine.io.StagedPublish;
import org.marketingengine.io.Tables;
import org.marketingengine.quality.DataQualityReport;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;

/**
 * The report stage: the run date's published tables -> {@code reports/<run_date>/report.html} (one
 * self-contained page with charts) and {@code reports/<run_date>/summary.json} (the same figures
 * for machines), published together (staged, then renamed). A stage that has not run for the date
 * gets a "not run" panel. Reads aggregates only: no per-user table reaches the driver.
 */
public final class ReportJob implements Stage<ReportJob.Result> {
  public static final String NAME = "report";
  static final String PAGE = "report.html";
  static final String SUMMARY = "summary.json";

  /** Where the report is, and how many of its eight sections have data. */
  public record Result(String page, String summary, int sectionsWithData, int sections) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String header() {
    return "Write the run date's report: one HTML page with charts and a JSON summary.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Reads the run date's tables (data quality, models, profiles, recommendations, strategy,",
        "campaign effect, and earlier dates for the trend) and writes",
        "reports/<run_date>/report.html, which opens offline, and reports/<run_date>/summary.json.",
        "Sections whose stage has not run for the date say so. Labels: marketing.report.language.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        "runs/<run_date>/data_quality.json",
        Tables.MODEL_METRICS,
        Tables.MODEL_SCORE_BINS,
        Tables.PROFILE_SEGMENTS,
        Tables.RECOMMENDATIONS,
        Tables.USER_STRATEGY,
        Tables.CAMPAIGN_EFFECT);
  }

  @Override
  public Result run(StageContext context) {
    context.describe("report: aggregates");
    ObjectNode quality =
        DataQualityReport.readIfExists(context.hadoop(), context.outputRoot(), context.runDate());
    String language = context.config().report().language();
    ReportSummary summary =
        new ReportSummary(
            ReportSummary.SCHEMA_VERSION,
            context.runDate().toString(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            BuildInfo.version(),
            language,
            RunSections.run(context, quality),
            RunSections.dataQuality(context, quality),
            ResultSections.models(context),
            ResultSections.segments(context),
            ResultSections.recommendations(context),
            DecisionSections.strategy(context),
            DecisionSections.campaignEffect(context),
            RunSections.trend(context, context.config().report().trendDates()));
    JsonNode tree = ReportPage.tree(summary);
    String page = ReportPage.render(tree, ReportPage.labels(language));
    Path dir = publish(context, tree, page);
    int withData =
        (int)
            Stream.of(
                    summary.run().status(),
                    summary.dataQuality().status(),
                    summary.models().status(),
                    summary.segments().status(),
                    summary.recommendations().status(),
                    summary.strategy().status(),
                    summary.campaignEffect().status(),
                    summary.trend().status())
                .filter(ReportSummary.OK::equals)
                .count();
    return new Result(
        new Path(dir, PAGE).toString(), new Path(dir, SUMMARY).toString(), withData, 8);
  }

  /** Writes both files into one staged directory and renames it into place. */
  private static Path publish(StageContext context, JsonNode summary, String page) {
    Path reports = new Path(context.outputRoot(), "reports");
    try {
      FileSystem fs = reports.getFileSystem(context.hadoop());
      StagedPublish publish = new StagedPublish(fs, reports, StagedPublish.Hook.NONE);
      String name = context.runDate().toString();
      publish.publish(
          name,
          staged -> {
            fs.mkdirs(staged);
            try (OutputStream out = fs.create(new Path(staged, PAGE), false)) {
              out.write(page.getBytes(StandardCharsets.UTF_8));
            }
            try (OutputStream out = fs.create(new Path(staged, SUMMARY), false)) {
              Json.MAPPER.writeValue(out, summary);
            }
          });
      return publish.live(name);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report under " + reports, e);
    }
  }

  @Override
  public String outcome(Result result) {
    return result.sectionsWithData()
        + " of "
        + result.sections()
        + " sections with data; "
        + result.page();
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf(
        "Report of %s (%d of %d sections with data):%n  %s%n  %s%n",
        context.runDate(),
        result.sectionsWithData(),
        result.sections(),
        result.page(),
        result.summary());
  }
}
