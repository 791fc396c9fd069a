package org.marketingengine.generate;

import java.time.LocalDate;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.InvalidConfigException;

/**
 * The size and shape of a generated data set.
 *
 * @param endDate the first day after the data: events cover {@code [endDate - days, endDate)}
 * @param badRowsRate share of rows of each input made invalid, of a documented kind
 * @param noiseRate share of valid rows given the noise clean must remove or repair ({@link
 *     DirtyRows}): exact duplicate events, bot users, price outliers, missing values
 */
public record GeneratorParams(
    long users,
    int items,
    int days,
    long seed,
    LocalDate endDate,
    FileFormat format,
    double badRowsRate,
    int categories,
    double noiseRate) {

  public GeneratorParams {
    check(users >= 1, "--users must be at least 1");
    check(items >= categories, "--items must be at least the number of categories");
    check(days >= 14 && days <= 3650, "--days must be between 14 and 3650");
    check(badRowsRate >= 0 && badRowsRate <= 0.5, "--bad-rows-rate must be between 0 and 0.5");
    check(noiseRate >= 0 && noiseRate <= 0.2, "--noise-rate must be between 0 and 0.2");
    check(
        categories >= 1 && categories <= SyntheticData.CATEGORIES.size(),
        "marketing.generate.categories must be between 1 and " + SyntheticData.CATEGORIES.size());
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new InvalidConfigException(message);
    }
  }

  public LocalDate startDate() {
    return endDate.minusDays(days);
  }
}
