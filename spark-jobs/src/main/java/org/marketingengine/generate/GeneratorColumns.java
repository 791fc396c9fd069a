package org.marketingengine.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.generate.SyntheticData.CATEGORIES;
import static org.marketingengine.generate.SyntheticData.OFFERS;
import static org.marketingengine.generate.SyntheticData.SEGMENTS;
import static org.marketingengine.generate.SyntheticData.TREND_DRIFT;
import static org.marketingengine.generate.SyntheticData.TRUE_UPLIFT;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The column expressions the generator builds its tables from: seeded draws of days, categories,
 * items and prices, market trends, and small helpers. Planted structure lives here and in {@link
 * SyntheticData} (people, catalog, market) and {@link SyntheticActivity} (events, social,
 * responses).
 */
final class GeneratorColumns {
  private final GeneratorParams params;
  private final SeededRandom random;
  private final int categories;

  GeneratorColumns(GeneratorParams params, SeededRandom random) {
    this.params = params;
    this.random = random;
    this.categories = params.categories();
  }

  /** One row per user and sequence number, {@code rate x weight x active days} rows per user. */
  Dataset<Row> exploded(Dataset<Row> users, String purpose, double rate, Column weight) {
    Column activeDays =
        greatest(
            lit(0),
            least(col("_churn_day"), lit(params.days()))
                .minus(greatest(col("_signup_day"), lit(0))));
    Column expected = weight.multiply(activeDays).multiply(rate);
    Column count =
        floor(expected)
            .plus(
                when(
                        random
                            .uniform(purpose + "/n", col("_idx"))
                            .lt(expected.minus(floor(expected))),
                        1)
                    .otherwise(0))
            .cast("int");
    return users
        .select(col("*"), count.as("_count"))
        .where(col("_count").gt(0))
        .select(col("*"), explode(sequence(lit(0), col("_count").minus(1))).as("_seq"));
  }

  /** A day in the user's active period: between signup (or the start) and churn (or the end). */
  Column activeDay(Dataset<Row> perUser, String purpose, Column... keys) {
    Column first = greatest(col("_signup_day"), lit(0));
    Column last = least(col("_churn_day"), lit(params.days()));
    return first.plus(floor(random.uniform(purpose, keys).multiply(last.minus(first))));
  }

  /** 70% one of the user type's two favourite categories, else any category. */
  Column chosenCategory(String purpose, Column... keys) {
    return when(random.bernoulli(purpose + "/fav", 0.7, keys), favouriteCategory(purpose, keys))
        .otherwise(floor(random.uniform(purpose + "/any", keys).multiply(categories)).cast("long"));
  }

  Column favouriteCategory(String purpose, Column... keys) {
    return pmod(
        col("_type")
            .multiply(2)
            .plus(when(random.bernoulli(purpose + "/which", 0.5, keys), 0).otherwise(1))
            .cast("long"),
        lit((long) categories));
  }

  /** An item of the category, popular (low-numbered) items far more often. */
  Column itemInCategory(Column category, String purpose, Column... keys) {
    Column itemsInCategory =
        floor(lit((long) params.items() - 1).minus(category).divide(categories)).plus(1);
    Column rank = floor(itemsInCategory.multiply(pow(random.uniform(purpose, keys), 2.5)));
    return rank.multiply(categories).plus(category).cast("long");
  }

  Column itemPrice(Column itemIdx, Column category) {
    return round(
        exp(
            element_at(doubles(SyntheticData.LOG_MEDIAN_PRICE), category.plus(1).cast("int"))
                .plus(random.normal("price", itemIdx.cast("long")).multiply(0.5))),
        2);
  }

  /** Market trend index of a category on a day: seasonal wave plus the planted drift. */
  Column trendIndex(Column category, Column day) {
    Column c = category.plus(1).cast("int");
    double[] phases = new double[CATEGORIES.size()];
    double[] periods = new double[CATEGORIES.size()];
    for (int i = 0; i < phases.length; i++) {
      phases[i] = i * 7.0;
      periods[i] = 30.0 + 5 * i;
    }
    Column wave =
        sin(
            day.plus(element_at(doubles(phases), c))
                .divide(element_at(doubles(periods), c))
                .multiply(2 * Math.PI));
    Column drift = element_at(doubles(TREND_DRIFT), c).multiply(day.divide((double) params.days()));
    return lit(100.0).multiply(lit(1.0).plus(wave.multiply(0.15)).plus(drift));
  }

  Column categoryName(Column categoryIndex) {
    return element_at(
        strings(CATEGORIES.subList(0, categories)), categoryIndex.plus(1).cast("int"));
  }

  long startEpochSecond() {
    return params.startDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
  }

  static Column isWeekend(Column date) {
    return dayofweek(date).isin(1, 7);
  }

  static Column clamp(Column value, double min, double max) {
    return least(greatest(value, lit(min)), lit(max));
  }

  /** The value whose cumulative threshold {@code u} first falls under; the last one otherwise. */
  static Column choice(Column u, String[] values, double... thresholds) {
    Column result = lit(values[values.length - 1]);
    for (int i = thresholds.length - 1; i >= 0; i--) {
      result = when(u.lt(thresholds[i]), lit(values[i])).otherwise(result);
    }
    return result;
  }

  static Column upliftArray() {
    double[] flat = new double[OFFERS.size() * SEGMENTS.size()];
    for (int o = 0; o < OFFERS.size(); o++) {
      for (int s = 0; s < SEGMENTS.size(); s++) {
        flat[o * SEGMENTS.size() + s] = TRUE_UPLIFT[o][s];
      }
    }
    return doubles(flat);
  }

  static Column doubles(double[] values) {
    return array(Arrays.stream(values).mapToObj(v -> lit(v)).toArray(Column[]::new));
  }

  static Column strings(List<String> values) {
    return array(values.stream().map(v -> lit(v)).toArray(Column[]::new));
  }
}
