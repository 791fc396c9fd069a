package org.marketingengine.config;

/** Defaults of the generate-data command. */
public record GenerateConfig(
    long users,
    int items,
    int days,
    long seed,
    FileFormat format,
    double badRowsRate,
    int categories,
    double noiseRate) {

  /** Reads {@code marketing.generate}. */
  public static GenerateConfig from(ConfigValues v) {
    String base = "marketing.generate";
    return new GenerateConfig(
        v.longIn(base + ".users", 1, 1_000_000_000L),
        v.intIn(base + ".items", 1, 10_000_000),
        v.intIn(base + ".days", 14, 3650),
        v.longIn(base + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
        FileFormat.parse(v.string(base + ".format"), base + ".format"),
        v.doubleIn(base + ".bad-rows-rate", 0.0, true, 0.5),
        v.intIn(base + ".categories", 1, 12),
        v.doubleIn(base + ".noise-rate", 0.0, true, 0.2));
  }
}
