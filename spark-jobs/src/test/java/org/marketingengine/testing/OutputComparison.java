package org.marketingengine.testing;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;

/**
 * Compares the tables of one run date under two output roots, content not counts: the check that a
 * change of the code left the pipeline's results as they were (and that a cluster run equals a
 * local one). Doubles are compared to 6 decimals. Where the engine's own arithmetic is not
 * repeatable, the comparison says how close is close: ALS sums ratings in shuffle order, so at
 * least 95% of the recommended (user, item) pairs must agree with scores within 0.001, and the
 * strategy's item lists (from the recommendations) 90% of them; model metrics agree within {@code
 * metricTolerance} (optimisers sum in partition order).
 *
 * <p>{@code scripts/compare-outputs.sh EXPECTED ACTUAL RUN_DATE} runs it from the command line.
 */
public final class OutputComparison {
  private OutputComparison() {}

  /** The tables compared as they are (after rounding). */
  public static List<String> exactTables() {
    List<String> tables = new ArrayList<>();
    for (var schema : InputSchemas.ALL) {
      tables.add(Tables.bronze(schema.name()));
      tables.add(Tables.quarantine(schema.name()));
      tables.add(Tables.silver(schema.name()));
    }
    tables.addAll(
        List.of(
            Tables.USER_FEATURES,
            Tables.CATEGORY_INDEX,
            Tables.FEATURE_CORRELATIONS,
            Tables.ITEM_VECTORS,
            Tables.USER_SCORES,
            Tables.USER_PROFILES,
            Tables.PROFILE_SEGMENTS,
            Tables.CAMPAIGN_EFFECT,
            Tables.OFFER_PRIORS,
            Tables.STRATEGY_SEGMENTS));
    return tables;
  }

  /**
   * Compares every table either root has for {@code date}; returns the tables compared. A table
   * only one root has is a difference, except those listed as {@code newTables} (written only by
   * the actual run: outputs a change added).
   */
  public static List<String> assertSame(
      SparkSession spark,
      String expectedRoot,
      String actualRoot,
      LocalDate date,
      double metricTolerance,
      List<String> newTables) {
    TableStore expected = new TableStore(spark, expectedRoot, TableFormat.PARQUET);
    TableStore actual = new TableStore(spark, actualRoot, TableFormat.PARQUET);
    List<String> compared = new ArrayList<>();
    List<String> all = new ArrayList<>(exactTables());
    all.addAll(
        List.of(
            Tables.RECOMMENDATIONS,
            Tables.USER_STRATEGY,
            Tables.MODEL_METRICS,
            Tables.MODEL_CALIBRATION,
            Tables.FEATURE_IMPORTANCE,
            Tables.RECOMMENDATION_METRICS));
    for (String table : all) {
      boolean inExpected = expected.hasPartition(table, date);
      boolean inActual = actual.hasPartition(table, date);
      if (!inExpected && !inActual) {
        continue;
      }
      if (inExpected != inActual) {
        if (!inExpected && newTables.contains(table)) {
          continue;
        }
        throw new AssertionError(
            table
                + " of "
                + date
                + " is "
                + (inExpected ? "missing" : "new")
                + " in "
                + actualRoot);
      }
      Dataset<Row> e = comparable(expected.read(table, date));
      Dataset<Row> a = comparable(actual.read(table, date));
      try {
        compare(table, e, a, metricTolerance);
      } catch (AssertionError error) {
        throw new AssertionError(table + " of " + date + " differs: " + error.getMessage(), error);
      }
      compared.add(table);
    }
    return compared;
  }

  /**
   * Rows as compared: no run_date, doubles to 6 decimals, and the source file of a quarantined row
   * by its name only, so that two checkouts of the same sample data compare equal.
   */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    Dataset<Row> result = rows.drop(Columns.RUN_DATE);
    if (java.util.Arrays.asList(result.columns()).contains(Columns.Quarantine.SOURCE_FILE)) {
      result =
          result.withColumn(
              Columns.Quarantine.SOURCE_FILE,
              org.apache.spark.sql.functions.regexp_extract(
                  col(Columns.Quarantine.SOURCE_FILE), "[^/]*$", 0));
    }
    return DataFrames.rounded(result, 6);
  }

  private static void compare(String table, Dataset<Row> e, Dataset<Row> a, double tolerance) {
    switch (table) {
      case Tables.RECOMMENDATIONS -> assertCloseRecommendations(e, a);
      case Tables.USER_STRATEGY -> {
        DataFrames.assertSameRows(e.drop("items", "message"), a.drop("items", "message"));
        long sameItems =
            e.alias("a")
                .join(a.alias("b"), "strategy_id")
                .where(col("a.items").equalTo(col("b.items")))
                .count();
        check(sameItems >= 0.9 * a.count(), "item lists: only " + sameItems + " agree");
      }
      case Tables.MODEL_METRICS ->
          assertCloseValues(e, a, List.of("model", "split", "metric"), "value", tolerance);
      case Tables.MODEL_CALIBRATION ->
          assertCloseValues(e, a, List.of("model", "decile"), "observed_rate", tolerance);
      case Tables.FEATURE_IMPORTANCE ->
          assertCloseValues(
              e, a, List.of("model", "feature"), "importance", Math.max(tolerance, 0.05));
      case Tables.RECOMMENDATION_METRICS ->
          assertCloseValues(e, a, List.of("variant", "k"), "ndcg_at_k", 0.01);
      default -> DataFrames.assertSameRows(e, a);
    }
  }

  /**
   * ALS sums ratings in the order they arrive from the shuffle, so factors differ in the last bits
   * between runs and near-ties can swap: at least 95% of the (user, item) pairs must be the same,
   * with scores within 0.001, and every user must have recommendations.
   */
  public static void assertCloseRecommendations(Dataset<Row> expected, Dataset<Row> actual) {
    Dataset<Row> matched =
        expected.alias("a").join(actual.alias("b"), new String[] {"user_id", "item_id"}).cache();
    long pairs = matched.count();
    check(
        pairs > 0.95 * expected.count(),
        "only " + pairs + " of " + expected.count() + " pairs agree");
    long far = matched.where(abs(col("a.score").minus(col("b.score"))).gt(0.001)).count();
    check(far == 0, far + " scores differ by more than 0.001");
    long users = actual.select("user_id").distinct().count();
    long expectedUsers = expected.select("user_id").distinct().count();
    check(users == expectedUsers, users + " users instead of " + expectedUsers);
    matched.unpersist();
  }

  /** The same keys on both sides, and {@code value} within {@code tolerance} for each. */
  private static void assertCloseValues(
      Dataset<Row> e, Dataset<Row> a, List<String> keys, String value, double tolerance) {
    check(e.count() == a.count(), e.count() + " rows expected, " + a.count() + " found");
    Column av = col("a." + value);
    Column bv = col("b." + value);
    Column same =
        coalesce(abs(av.minus(bv)).leq(tolerance), lit(false))
            .or(av.isNull().and(bv.isNull()))
            .or(isnan(av).and(isnan(bv)));
    Column joinKeys =
        keys.stream()
            .map(k -> col("a." + k).equalTo(col("b." + k)))
            .reduce(Column::and)
            .orElseThrow();
    List<Row> far =
        e.alias("a")
            .join(a.alias("b"), joinKeys, "full_outer")
            .where(not(same))
            .limit(10)
            .collectAsList();
    check(far.isEmpty(), "values of " + value + " differ by more than " + tolerance + ": " + far);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /** {@code OutputComparison EXPECTED_ROOT ACTUAL_ROOT RUN_DATE [METRIC_TOLERANCE]}. */
  public static void main(String[] args) {
    SparkSession spark = SparkExtension.spark();
    double tolerance = args.length > 3 ? Double.parseDouble(args[3]) : 0.005;
    List<String> compared =
        assertSame(
            spark,
            args[0],
            args[1],
            LocalDate.parse(args[2]),
            tolerance,
            List.of(Tables.ITEM_VECTORS));
    System.out.println("same results in " + compared.size() + " tables: " + compared);
  }
}
