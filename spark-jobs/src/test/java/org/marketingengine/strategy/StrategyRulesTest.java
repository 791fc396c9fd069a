package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/** The column rules of a plan, one at a time, on hand-made rows. */
@ExtendWith(SparkExtension.class)
class StrategyRulesTest {
  @TempDir Path out;

  StrategyConfig settings(String... sets) {
    return TestConfigs.config(null, out.toString(), LocalDate.of(2026, 11, 1), sets).strategy();
  }

  @Test
  void longInactivityWinsBackWhateverTheSegmentElseTheSegmentDecides(SparkSession spark) {
    StrategyConfig s = settings();
    Dataset<Row> users =
        spark.createDataFrame(
            List.of(
                RowFactory.create("u1", "champions", 3.0),
                RowFactory.create("u2", "champions", 90.0),
                RowFactory.create("u3", "unheard_of", 3.0),
                RowFactory.create("u4", null, 3.0)),
            new StructType()
                .add("user_id", DataTypes.StringType)
                .add("rfm_segment", DataTypes.StringType)
                .add("recency_days", DataTypes.DoubleType));

    List<Row> rows =
        users
            .select(StrategyRules.objective(s).as("o"), StrategyRules.objectiveRule(s).as("rule"))
            .collectAsList();

    assertThat(rows.get(0).getString(0)).isEqualTo("upsell");
    assertThat(rows.get(0).getString(1)).isEqualTo("segment champions");
    assertThat(rows.get(1).getString(0)).isEqualTo("win_back");
    assertThat(rows.get(1).getString(1)).isEqualTo("no activity for 60+ days");
    assertThat(rows.get(2).getString(0)).isEqualTo("convert");
    assertThat(rows.get(3).getString(1)).isEqualTo("segment unknown");
  }

  @Test
  void aMessageCarriesNamesAndCategoriesAsDataWhateverTheyHold(SparkSession spark) {
    StrategyConfig s = settings();
    String hostile = "{offer} ${jndi:ldap://127.0.0.1/a} %s </script> '; --";
    Dataset<Row> users =
        spark.createDataFrame(
            List.of(
                RowFactory.create("zh", "retain", "discount", List.of("衬衫 \uD83D\uDC55"), "服装"),
                RowFactory.create("en", "convert", "coupon", List.of(hostile), "{items}")),
            new StructType()
                .add("language", DataTypes.StringType)
                .add("objective", DataTypes.StringType)
                .add("offer", DataTypes.StringType)
                .add("item_names", DataTypes.createArrayType(DataTypes.StringType))
                .add("top_category", DataTypes.StringType));

    List<String> messages =
        users
            .select(StrategyRules.message(s))
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();

    assertThat(messages.get(0)).isEqualTo("服装上新啦：衬衫 \uD83D\uDC55，九折优惠。");
    assertThat(messages.get(1))
        .isEqualTo(
            "Still thinking about {items}? " + hostile + " are waiting for you, a 5.00 coupon.");
  }

  @Test
  void thePreferredChannelIfConsentedElseTheFirstConsentedInOrder(SparkSession spark) {
    StrategyConfig s = settings();
    StructType schema = new StructType().add("preferred_channel", DataTypes.StringType);
    for (String channel : s.channels().keySet()) {
      schema = schema.add(StrategyRules.CONSENT_PREFIX + channel, DataTypes.BooleanType);
    }
    List<String> channels = List.copyOf(s.channels().keySet());
    Dataset<Row> users =
        spark.createDataFrame(
            List.of(
                consents(channels, "sms", "sms", "email"),
                consents(channels, "sms", "push"),
                consents(channels, "email")),
            schema);

    List<String> chosen =
        users
            .select(StrategyRules.channel(s))
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();

    assertThat(chosen).containsExactly("sms", "push", null);
  }

  static Row consents(List<String> channels, String preferred, String... consented) {
    Object[] values = new Object[channels.size() + 1];
    values[0] = preferred;
    for (int i = 0; i < channels.size(); i++) {
      values[i + 1] = List.of(consented).contains(channels.get(i));
    }
    return RowFactory.create(values);
  }

  @Test
  void theControlGroupIsTheConfiguredShareAndTheSameOnEveryRerun(SparkSession spark) {
    Dataset<Row> users = spark.range(20_000).select(col("id").cast("string").as("user_id"));

    double share = users.where(StrategyRules.isControl("c1", 0.1)).count() / (double) users.count();
    List<Row> first =
        users.where(StrategyRules.isControl("c1", 0.1)).orderBy("user_id").collectAsList();
    List<Row> again =
        users.where(StrategyRules.isControl("c1", 0.1)).orderBy("user_id").collectAsList();
    List<Row> other =
        users.where(StrategyRules.isControl("c2", 0.1)).orderBy("user_id").collectAsList();

    assertThat(share).isCloseTo(0.1, within(0.01));
    assertThat(again).isEqualTo(first);
    assertThat(other).as("another campaign holds out other users").isNotEqualTo(first);
  }

  @Test
  void incrementalProfitIsUpliftTimesMarginLessOfferAndContactCost(SparkSession spark) {
    StrategyConfig s = settings();
    double discount =
        spark
            .range(1)
            .select(
                StrategyRules.incrementalProfit(
                    lit(0.10),
                    lit(0.04),
                    lit(80.0),
                    lit(0.3),
                    s.offers().get("discount"),
                    lit(0.05)))
            .first()
            .getDouble(0);
    double coupon =
        spark
            .range(1)
            .select(
                StrategyRules.incrementalProfit(
                    lit(0.10), lit(0.04), lit(80.0), lit(0.3), s.offers().get("coupon"), lit(0.05)))
            .first()
            .getDouble(0);

    // 10% of the order value per conversion for the discount, 5.0 for the coupon.
    assertThat(discount).isCloseTo(0.06 * 80 * 0.3 - 0.10 * 8.0 - 0.05, within(1e-12));
    assertThat(coupon).isCloseTo(0.06 * 80 * 0.3 - 0.10 * 5.0 - 0.05, within(1e-12));
  }
}
