package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.Fixtures;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class StrategyJobTest {
  static final LocalDate RUN = LocalDate.of(2026, 11, 1);
  @TempDir Path out;

  JobConfig config(LocalDate date, String... sets) {
    List<String> all = new ArrayList<>(List.of("marketing.strategy.exploration-share=0"));
    all.addAll(List.of(sets));
    return TestConfigs.config(null, out.toString(), date, all.toArray(String[]::new));
  }

  TableStore store(SparkSession spark) {
    return new TableStore(spark, out.toString(), TableFormat.PARQUET);
  }

  static Row profile(
      String user,
      String segment,
      double recency,
      long frequency,
      double monetary,
      String preferred) {
    return Fixtures.Profile.of(user, segment, recency, frequency, monetary, preferred).row();
  }

  void write(SparkSession spark, LocalDate date, List<Row> profiles, List<Row> users) {
    store(spark).write(Tables.USER_PROFILES, date, Fixtures.profiles(spark, profiles));
    if (users != null) {
      store(spark).write("silver/users", date, Fixtures.consents(spark, users));
    }
  }

  Map<String, Row> byUser(SparkSession spark, LocalDate date) {
    return store(spark).read(Tables.USER_STRATEGY, date).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("user_id"), r -> r));
  }

  @Test
  void consentIsAbsolute(SparkSession spark) {
    List<Row> profiles =
        List.of(
            profile("none", "champions", 1, 5, 500, "email"),
            profile("no_email", "champions", 1, 5, 500, "email"),
            profile("all", "champions", 1, 5, 500, "sms"),
            profile("nulls", "champions", 1, 5, 500, "email"),
            profile("absent", "champions", 1, 5, 500, "email"));
    List<Row> users =
        List.of(
            Fixtures.consent("none", false, false, false),
            Fixtures.consent("no_email", false, true, true),
            Fixtures.consent("all", true, true, true),
            Fixtures.consent("nulls", null, null, null));
    write(spark, RUN, profiles, users);
    new StrategyJob().run(spark, config(RUN, "marketing.strategy.control-share=0"));
    Map<String, Row> rows = byUser(spark, RUN);

    assertThat(rows.get("none").<String>getAs("channel")).isNull();
    assertThat(rows.get("none").<Boolean>getAs("contacted")).isFalse();
    assertThat(rows.get("none").<String>getAs("reason")).contains("no consent for any channel");
    assertThat(rows.get("no_email").<String>getAs("channel")).isEqualTo("push");
    assertThat(rows.get("all").<String>getAs("channel")).isEqualTo("sms");
    assertThat(rows.get("nulls").<Boolean>getAs("contacted")).isFalse();
    assertThat(rows.get("absent").<Boolean>getAs("contacted")).isFalse();
    assertThat(rows.values()).noneMatch(r -> "in_app".equals(r.getAs("channel")));

    // Treating missing consent as consent (explicit choice) contacts them on their preferred one.
    new StrategyJob()
        .run(
            spark,
            config(
                RUN,
                "marketing.strategy.control-share=0",
                "marketing.strategy.consent-when-missing=true"));
    rows = byUser(spark, RUN);
    assertThat(rows.get("nulls").<String>getAs("channel")).isEqualTo("email");
    // in_app has no consent column, so it now counts as consented; the opt-outs still hold.
    assertThat(rows.get("none").<String>getAs("channel")).isEqualTo("in_app");

    // A users table without sms consent column: nobody gets sms.
    store(spark).write("silver/users", RUN, Fixtures.consents(spark, users).drop("sms_opt_in"));
    new StrategyJob().run(spark, config(RUN, "marketing.strategy.control-share=0"));
    rows = byUser(spark, RUN);
    assertThat(rows.get("all").<String>getAs("channel")).isEqualTo("email");
    assertThat(rows.values()).noneMatch(r -> "sms".equals(r.getAs("channel")));
  }

  @Test
  void objectivesFollowTheDocumentedRules(SparkSession spark) {
    List<Row> profiles =
        List.of(
            profile("n", "new", 2, 0, 0, "email"),
            profile("c", "champions", 2, 5, 500, "email"),
            profile("a", "at_risk", 30, 4, 300, "email"),
            profile("h", "hibernating", 40, 1, 50, "email"),
            profile("p", "promising", 3, 1, 50, "email"),
            profile("gone", "champions", 75, 5, 500, "email"));
    write(spark, RUN, profiles, null);
    new StrategyJob().run(spark, config(RUN));
    Map<String, Row> rows = byUser(spark, RUN);
    assertThat(rows.get("n").<String>getAs("objective")).isEqualTo("acquire");
    assertThat(rows.get("c").<String>getAs("objective")).isEqualTo("upsell");
    assertThat(rows.get("a").<String>getAs("objective")).isEqualTo("retain");
    assertThat(rows.get("h").<String>getAs("objective")).isEqualTo("win_back");
    assertThat(rows.get("p").<String>getAs("objective")).isEqualTo("convert");
    assertThat(rows.get("gone").<String>getAs("objective")).isEqualTo("win_back");
    assertThat(rows.get("gone").<String>getAs("reason")).contains("no activity for 60+ days");
  }

  static List<Row> consented(List<Row> profiles) {
    return profiles.stream().map(p -> Fixtures.consent(p.getString(0), true, true, true)).toList();
  }

  @Test
  void budgetTakesTheMostProfitableFirstAndFrequencyCapsHold(SparkSession spark) {
    List<Row> profiles = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // Order value (monetary / frequency) rises with i, and so does the expected profit.
      profiles.add(profile("u" + (100 + i), "champions", 2, 2, 2 * (20.0 + 5 * i), "email"));
    }
    write(spark, RUN, profiles, consented(profiles));
    new StrategyJob()
        .run(
            spark,
            config(
                RUN,
                "marketing.strategy.control-share=0",
                "marketing.strategy.campaigns.default.budget=5"));
    Dataset<Row> plan = store(spark).read(Tables.USER_STRATEGY, RUN);
    long contacted = plan.where(col("contacted")).count();
    assertThat(contacted).isBetween(1L, 59L);
    assertThat(
            plan.where(col("contacted"))
                .agg(org.apache.spark.sql.functions.sum("expected_cost"))
                .first()
                .getDouble(0))
        .isLessThanOrEqualTo(5.0);
    double lowestTaken =
        plan.where(col("contacted"))
            .agg(org.apache.spark.sql.functions.min("expected_profit"))
            .first()
            .getDouble(0);
    double highestLeft =
        plan.where(col("reason").contains("over budget"))
            .agg(org.apache.spark.sql.functions.max("expected_profit"))
            .first()
            .getDouble(0);
    assertThat(lowestTaken).isGreaterThanOrEqualTo(highestLeft);
    List<Integer> priorities =
        plan.where(col("contacted"))
            .orderBy(col("expected_profit").desc())
            .select("priority")
            .as(org.apache.spark.sql.Encoders.INT())
            .collectAsList();
    assertThat(priorities).isSorted();

    // Contacted on two earlier days: the cap (2 in 14 days) keeps them out on the third.
    LocalDate day1 = RUN.minusDays(2);
    LocalDate day2 = RUN.minusDays(1);
    LocalDate day3 = RUN;
    List<Row> few = profiles.subList(0, 10);
    for (LocalDate d : List.of(day1, day2, day3)) {
      write(spark, d, few, consented(few));
    }
    new StrategyJob().run(spark, config(day1, "marketing.strategy.control-share=0"));
    new StrategyJob().run(spark, config(day2, "marketing.strategy.control-share=0"));
    assertThat(store(spark).read(Tables.USER_STRATEGY, day2).where(col("contacted")).count())
        .isEqualTo(10);
    new StrategyJob().run(spark, config(day3, "marketing.strategy.control-share=0"));
    Dataset<Row> third = store(spark).read(Tables.USER_STRATEGY, day3);
    assertThat(third.where(col("contacted")).count()).isZero();
    assertThat(third.where(col("reason").contains("frequency cap")).count()).isEqualTo(10);
  }

  @Test
  void controlAssignmentIsStableAndOfTheConfiguredShare(SparkSession spark) {
    List<Row> profiles = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      profiles.add(profile("u" + i, "champions", 2, 2, 200, "email"));
    }
    write(spark, RUN, profiles, consented(profiles));
    new StrategyJob().run(spark, config(RUN));
    List<String> first = controls(spark);
    new StrategyJob().run(spark, config(RUN));
    assertThat(controls(spark)).isEqualTo(first);
    assertThat(first.size()).isBetween(140, 260);
    assertThat(
            store(spark)
                .read(Tables.USER_STRATEGY, RUN)
                .where(
                    "`group` = 'control' and (contacted or offer <> 'none' or channel is not null)")
                .count())
        .isZero();
  }

  private List<String> controls(SparkSession spark) {
    return store(spark)
        .read(Tables.USER_STRATEGY, RUN)
        .where("`group` = 'control'")
        .select("user_id")
        .orderBy("user_id")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  @Test
  void messagesAreRenderedFromTheTemplatesOfTheUsersLanguage(SparkSession spark) {
    List<Row> profiles =
        List.of(
            profile("en_user", "hibernating", 20, 1, 50, "email"),
            profile("zh_user", "hibernating", 20, 1, 50, "email"));
    List<Row> rows = new ArrayList<>(profiles);
    rows.set(
        1,
        Fixtures.Profile.of("zh_user", "hibernating", 20, 1, 50, "email").inRegion("north").row());
    write(spark, RUN, rows, consented(profiles));
    store(spark)
        .write(
            "recommendations/user_recommendations",
            RUN,
            spark.createDataFrame(
                List.of(
                    RowFactory.create("en_user", 1, "i1"),
                    RowFactory.create("en_user", 2, "i2"),
                    RowFactory.create("zh_user", 1, "i2")),
                new StructType()
                    .add("user_id", DataTypes.StringType)
                    .add("rank", DataTypes.IntegerType)
                    .add("item_id", DataTypes.StringType)));
    store(spark)
        .write(
            "silver/items",
            RUN,
            spark.createDataFrame(
                List.of(RowFactory.create("i1", "Tea pot"), RowFactory.create("i2", "Green tea")),
                new StructType()
                    .add("item_id", DataTypes.StringType)
                    .add("name", DataTypes.StringType)));
    new StrategyJob()
        .run(
            spark,
            config(
                RUN,
                "marketing.strategy.control-share=0",
                "marketing.strategy.language-by-region.north=zh",
                "marketing.strategy.campaigns.default.offers=[discount]",
                "marketing.strategy.default-priors.uplift.discount=0.2"));
    Map<String, Row> plan = byUser(spark, RUN);
    assertThat(plan.get("en_user").<String>getAs("message"))
        .isEqualTo("We miss you! Come back for Tea pot, Green tea with 10% off.");
    assertThat(plan.get("zh_user").<String>getAs("message")).isEqualTo("好久不见！回来看看Green tea，九折优惠。");
    assertThat(plan.get("en_user").<scala.collection.Seq<String>>getAs("items").mkString(","))
        .isEqualTo("i1,i2");
  }

  @Test
  void templatesAreCheckedAtStartUp() {
    assertThatThrownBy(
            () -> config(RUN, "marketing.strategy.templates.en.retain=\"Hi {name}, {offer}\""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.strategy.templates.en.retain")
        .hasMessageContaining("{name}");
    assertThatThrownBy(() -> config(RUN, "marketing.strategy.templates.de.acquire=\"Willkommen\""))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.strategy.templates.de.convert");
    assertThatThrownBy(() -> config(RUN, "marketing.strategy.language-by-region.north=fr"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("templates exist for");
  }
}
