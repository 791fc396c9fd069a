package org.marketingengine.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
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

/** The guard counts plan rows that break consent or the frequency cap, and fails on any. */
@ExtendWith(SparkExtension.class)
class ContactGuardTest {
  @TempDir Path out;

  private StrategyConfig settings() {
    return TestConfigs.config(null, out.toString(), LocalDate.of(2026, 11, 1)).strategy();
  }

  /** Rows of (channel, contacted, recent contacts), consented to email only. */
  private Dataset<Row> plan(SparkSession spark, StrategyConfig s, Object[]... rows) {
    List<String> channels = new ArrayList<>(s.channels().keySet());
    StructType schema =
        new StructType()
            .add("channel", DataTypes.StringType)
            .add("contacted", DataTypes.BooleanType)
            .add(UserBase.RECENT_CONTACTS, DataTypes.LongType);
    for (String channel : channels) {
      schema = schema.add(StrategyRules.CONSENT_PREFIX + channel, DataTypes.BooleanType);
    }
    List<Row> data = new ArrayList<>();
    for (Object[] r : rows) {
      List<Object> values = new ArrayList<>(java.util.Arrays.asList(r));
      for (String channel : channels) {
        values.add(channel.equals("email"));
      }
      data.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(data, schema);
  }

  @Test
  void aPlanWithinConsentAndCapPassesAndOneBreakingEitherFails(SparkSession spark) {
    StrategyConfig s = settings();
    assertThat(s.channels()).containsKey("email").hasSizeGreaterThan(1);
    String other = s.channels().keySet().stream().filter(c -> !c.equals("email")).findFirst().get();
    long cap = s.maxContacts();

    ContactGuard fine = new ContactGuard(s);
    fine.watch(
            plan(
                spark,
                s,
                new Object[] {"email", true, 0L},
                new Object[] {"email", false, cap},
                new Object[] {null, false, 0L}),
            "c1")
        .count();
    fine.check();
    assertThat(fine.counts().values()).containsOnly(0L);

    ContactGuard broken = new ContactGuard(s);
    broken
        .watch(
            plan(
                spark,
                s,
                new Object[] {other, false, 0L},
                new Object[] {"email", true, cap},
                new Object[] {"email", true, cap - 1}),
            "c2")
        .count();
    assertThat(broken.counts())
        .containsEntry(ContactGuard.WITHOUT_CONSENT, 1L)
        .containsEntry(ContactGuard.OVER_CAP, 1L);
    assertThatThrownBy(broken::check)
        .hasMessageContaining("1 rows on a channel without consent")
        .hasMessageContaining("1 contacts over the frequency cap");
  }
}
