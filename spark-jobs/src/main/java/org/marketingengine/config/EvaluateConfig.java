package org.marketingengine.config;

import java.util.Optional;

/**
 * Settings of the evaluate stage ({@code marketing.evaluate}).
 *
 * @param minGroupSize treatment or control groups smaller than this are flagged
 * @param segmentSql a SQL expression over silver/users columns that defines the segments
 */
public record EvaluateConfig(int minGroupSize, Optional<String> segmentSql) {

  /** Reads {@code marketing.evaluate}. */
  public static EvaluateConfig from(ConfigValues v) {
    return new EvaluateConfig(
        v.intIn("marketing.evaluate.min-group-size", 1, Integer.MAX_VALUE),
        v.optionalString("marketing.evaluate.segment-sql"));
  }
}
