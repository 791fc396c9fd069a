package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.evaluate.EvaluateJob;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.Fixtures;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/**
 * The loop: strategy, simulated responses with a known uplift per offer and segment, evaluate, and
 * the next strategy shifts offers toward the truly better ones.
 */
@ExtendWith(SparkExtension.class)
class FeedbackLoopTest {
  static final LocalDate FIRST = LocalDate.of(2026, 11, 1);
  static final LocalDate SECOND = LocalDate.of(2026, 11, 15);

  @TempDir Path out;

  JobConfig config(LocalDate date) {
    return TestConfigs.config(
        null,
        out.toString(),
        date,
        "marketing.strategy.exploration-share=0.3",
        "marketing.strategy.control-share=0.2",
        "marketing.strategy.prior-strength=50",
        "marketing.strategy.campaigns.default.budget=1000000");
  }

  /** True uplift: hibernating users respond to discounts, champions to coupons. */
  static Column trueUplift() {
    Column offer = col("offer");
    Column segment = col("segment");
    return when(segment.equalTo("hibernating").and(offer.equalTo("discount")), 0.12)
        .when(segment.equalTo("champions").and(offer.equalTo("coupon")), 0.12)
        .when(offer.equalTo("none"), 0.0)
        .otherwise(0.01);
  }

  /** Responses to a strategy: control and contacted users, converting at 5% + true uplift. */
  static Dataset<Row> simulate(Dataset<Row> strategy, String salt) {
    Column u = pmod(xxhash64(lit(salt), col("user_id")), lit(1_000_000)).divide(1_000_000.0);
    Column converted = u.lt(lit(0.05).plus(trueUplift()));
    return strategy
        .where(col("group").isin("treatment", "control"))
        .withColumn("converted", converted)
        .select(
            col("campaign_id"),
            col("user_id"),
            col("offer"),
            col("channel"),
            col("group"),
            lit(java.sql.Timestamp.valueOf("2026-11-03 10:00:00")).as("sent_time"),
            lit(false).as("opened"),
            lit(false).as("clicked"),
            col("converted"),
            when(col("converted"), lit(50.0)).otherwise(0.0).as("revenue"));
  }

  static double share(Dataset<Row> strategy, String segment, String offer) {
    Dataset<Row> treated = strategy.where(col("segment").equalTo(segment).and(col("contacted")));
    return treated.where(col("offer").equalTo(offer)).count() / (double) treated.count();
  }

  @Test
  void theNextStrategyShiftsOffersTowardTheTrulyBetterOnes(SparkSession spark) {
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    List<Row> profiles = new ArrayList<>();
    List<Row> users = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      String segment = i % 2 == 0 ? "hibernating" : "champions";
      profiles.add(Fixtures.Profile.of("u" + i, segment, 20, 2, 100, "email").withDrivers().row());
      users.add(Fixtures.consent("u" + i, true, false, false));
    }
    for (LocalDate d : List.of(FIRST, SECOND)) {
      store.write(Tables.USER_PROFILES, d, Fixtures.profiles(spark, profiles));
      store.write("silver/users", d, Fixtures.consents(spark, users));
    }

    new StrategyJob().run(spark, config(FIRST));
    Dataset<Row> first = store.read(Tables.USER_STRATEGY, FIRST).cache();
    // Without evidence every offer looks alike and the cheapest wins, apart from exploration.
    store.write("silver/responses", SECOND, simulate(first, "round1"));
    new EvaluateJob().run(spark, config(SECOND));
    Dataset<Row> priors = store.read(Tables.OFFER_PRIORS, SECOND);
    assertThat(
            priors
                .where("segment = 'hibernating' and offer = 'discount'")
                .first()
                .<Double>getAs("uplift"))
        .isGreaterThan(0.05);

    new StrategyJob().run(spark, config(SECOND));
    Dataset<Row> second = store.read(Tables.USER_STRATEGY, SECOND).cache();
    // Every reason names the objective and its rule, then the decision.
    assertThat(second.where(col("reason").rlike("^objective [a-z_]+: [^;]+; [^;]+")).count())
        .isEqualTo(second.count());
    assertThat(second.where(col("reason").contains("offer priors of " + SECOND)).count())
        .isPositive();

    double discountBefore = share(first, "hibernating", "discount");
    double discountAfter = share(second, "hibernating", "discount");
    double couponBefore = share(first, "champions", "coupon");
    double couponAfter = share(second, "champions", "coupon");
    assertThat(discountAfter).isGreaterThan(discountBefore + 0.4);
    assertThat(couponAfter).isGreaterThan(couponBefore + 0.4);
    // Each segment keeps its own best offer: no discounts pushed to champions.
    assertThat(share(second, "champions", "discount")).isLessThan(0.2);
  }
}
