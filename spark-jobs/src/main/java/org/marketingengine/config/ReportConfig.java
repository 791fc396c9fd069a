package org.marketingengine.config;

import java.util.List;

/**
 * Settings of the report stage ({@code marketing.report}).
 *
 * @param language the labels of the page: {@code en} or {@code zh}
 * @param trendDates how many earlier run dates the trend section shows at most
 */
public record ReportConfig(String language, int trendDates) {

  /** Reads {@code marketing.report}. */
  public static ReportConfig from(ConfigValues v) {
    String base = "marketing.report";
    return new ReportConfig(
        v.oneOf(base + ".language", List.of("en", "zh")), v.intIn(base + ".trend-dates", 0, 365));
  }
}
