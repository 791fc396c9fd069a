package org.marketingengine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.evaluate.CampaignEffect;
import org.marketingengine.io.Json;
import org.marketingengine.io.RecordRows;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

class ReportJobTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 1);

  /** A campaign id that tries to end the page's script element and run its own. */
  static final String HOSTILE = "c1</script><script>alert('x')</script>";

  @TempDir Path out;

  private void publishDecisions(SparkSession spark, TableStore tables) {
    CampaignEffect all =
        new CampaignEffect(
            HOSTILE,
            CampaignEffect.ALL,
            CampaignEffect.ALL,
            1000,
            100,
            1000,
            50,
            0.1,
            0.05,
            0.05,
            0.027,
            0.073,
            1.0,
            0.00001,
            20,
            10,
            10,
            5,
            15,
            10_000,
            500,
            19,
            false);
    tables.write(
        Tables.CAMPAIGN_EFFECT,
        DAY,
        RecordRows.dataFrame(spark, List.of(all), CampaignEffect.class));
    StructType schema =
        new StructType()
            .add("campaign_id", DataTypes.StringType)
            .add("user_id", DataTypes.StringType)
            .add("segment", DataTypes.StringType)
            .add("offer", DataTypes.StringType)
            .add("channel", DataTypes.StringType)
            .add("contacted", DataTypes.BooleanType)
            .add("group", DataTypes.StringType)
            .add("expected_cost", DataTypes.DoubleType)
            .add("reason", DataTypes.StringType);
    Dataset<Row> strategy =
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    HOSTILE, "u1", "champions", "coupon", "email", true, "treatment", 2.5, "best"),
                RowFactory.create(
                    HOSTILE, "u2", "champions", "discount", "sms", true, "treatment", 1.5, "best"),
                RowFactory.create(
                    HOSTILE,
                    "u3",
                    "new",
                    "coupon",
                    "email",
                    false,
                    "control",
                    0.0,
                    "control group"),
                RowFactory.create(
                    HOSTILE,
                    "u4",
                    "new",
                    "none",
                    null,
                    false,
                    "none",
                    0.0,
                    "no consent for any channel")),
            schema);
    tables.write(Tables.USER_STRATEGY, DAY, strategy);
  }

  /** Like assertThat(page).contains(text), without printing a page of a megabyte on failure. */
  private static void assertContains(String page, String text) {
    assertThat(page.contains(text)).as("the page contains %s", text).isTrue();
  }

  @Test
  void reportOfADateWithAStrategyAndACampaignEffect() throws Exception {
    SparkSession spark = SparkExtension.spark();
    JobConfig config = TestConfigs.config(null, out.toString(), DAY);
    publishDecisions(spark, new TableStore(spark, out.toString(), TableFormat.PARQUET));

    ReportJob.Result result = new ReportJob().run(spark, config);

    Path dir = out.resolve("reports").resolve(DAY.toString());
    assertThat(result.page()).endsWith("reports/2026-11-01/report.html");
    JsonNode summary = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.path("schema_version").asInt()).isEqualTo(ReportSummary.SCHEMA_VERSION);
    assertThat(summary.path("models").path("status").asText()).isEqualTo(ReportSummary.NOT_RUN);
    assertThat(summary.path("models").path("note").asText()).contains("train");
    JsonNode campaign = summary.path("strategy").path("campaigns").get(0);
    assertThat(campaign.path("campaign_id").asText()).isEqualTo(HOSTILE);
    assertThat(campaign.path("users").asLong()).isEqualTo(4);
    assertThat(campaign.path("contacts").asLong()).isEqualTo(2);
    assertThat(campaign.path("control").asLong()).isEqualTo(1);
    assertThat(campaign.path("spend").asDouble()).isCloseTo(4.0, within(1e-9));
    assertThat(summary.path("strategy").path("exclusions").get(0).path("label").asText())
        .isEqualTo("no consent for any channel");
    // The forest plot's row: uplift with its 95% interval and p-value, as evaluate published it.
    JsonNode effect = summary.path("campaign_effect").path("effects").get(0);
    assertThat(effect.path("uplift").asDouble()).isEqualTo(0.05);
    assertThat(effect.path("uplift_lower").asDouble()).isEqualTo(0.027);
    assertThat(effect.path("uplift_upper").asDouble()).isEqualTo(0.073);
    assertThat(effect.path("p_value").asDouble()).isEqualTo(0.00001);
    assertThat(effect.path("roi").asDouble()).isEqualTo(19.0);
    assertThat(summary.toString()).doesNotContain("\"u1\"").doesNotContain("\"u4\"");

    String page = Files.readString(dir.resolve("report.html"));
    // Escaped as HTML in the tables, as a JSON string in the chart data: data, never markup.
    assertContains(page, "c1&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertContains(page, "c1\\u003c/script>\\u003cscript>alert('x')\\u003c/script>");
    assertThat(page.contains("<script>alert(")).as("an unescaped injected script").isFalse();
    // Nothing is loaded from elsewhere: the chart library and the data are inline.
    assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertContains(page, "data-section=\"campaign_effect\"");
    assertContains(page, "data-chart=\"forest\"");
  }

  @Test
  void aDateWithoutResponsesShowsTheNotRunPanelForCampaignEffect() throws Exception {
    SparkSession spark = SparkExtension.spark();
    LocalDate other = DAY.plusDays(1);
    JobConfig config =
        TestConfigs.config(null, out.toString(), other, "marketing.report.language=zh");

    new ReportJob().run(spark, config);

    Path dir = out.resolve("reports").resolve(other.toString());
    JsonNode summary = Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.path("campaign_effect").path("status").asText())
        .isEqualTo(ReportSummary.NOT_RUN);
    assertThat(summary.path("language").asText()).isEqualTo("zh");
    String page = Files.readString(dir.resolve("report.html"));
    int section = page.indexOf("data-section=\"campaign_effect\"");
    assertThat(page.substring(section, page.indexOf("</section>", section)))
        .contains("data-not-run=\"true\"")
        .contains("该日期未运行");
  }
}
