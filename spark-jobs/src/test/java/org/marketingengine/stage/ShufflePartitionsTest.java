package org.marketingengine.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.JobConfig;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/** A stage's shuffle partitions follow the size of the tables it reads, never below the setting. */
@ExtendWith(SparkExtension.class)
class ShufflePartitionsTest {
  private static final long MIB = 1L << 20;
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  @TempDir Path out;

  @Test
  void oneSortPartitionPerConfiguredMibButNeverFewerThanConfigured() {
    assertThat(ShufflePartitions.forInput(0, 8, 16)).isEqualTo(8);
    assertThat(ShufflePartitions.forInput(100 * MIB, 8, 16)).as("7 by size").isEqualTo(8);
    assertThat(ShufflePartitions.forInput(512 * MIB, 8, 16)).isEqualTo(32);
    assertThat(ShufflePartitions.forInput(512 * MIB + 1, 8, 16)).isEqualTo(33);
    assertThat(ShufflePartitions.forInput(512 * MIB, 8, 0)).as("0: off").isEqualTo(8);
    assertThat(ShufflePartitions.forInput(1L << 50, 8, 1)).isEqualTo(ShufflePartitions.MAX);
    assertThat(ShufflePartitions.forInput(1L << 50, 5_000, 1)).isEqualTo(5_000);
  }

  /** A stage reading one table of the run date and reporting its shuffle partitions. */
  private static final class ReadsEvents implements Stage<String> {
    @Override
    public String name() {
      return "test-stage";
    }

    @Override
    public String header() {
      return "";
    }

    @Override
    public List<String> description() {
      return List.of();
    }

    @Override
    public List<String> reads() {
      return List.of("silver/events", "silver/users", "models/<model date>");
    }

    @Override
    public String run(StageContext context) {
      return context.spark().conf().get(ShufflePartitions.KEY);
    }

    @Override
    public String outcome(String result) {
      return result;
    }

    @Override
    public void print(String result, StageContext context, PrintWriter out) {}
  }

  private void partitionOfSize(String table, long bytes) throws IOException {
    Path dir = out.resolve(table).resolve("run_date=" + RUN_DATE);
    Files.createDirectories(dir);
    Files.write(dir.resolve("part-00000.parquet"), new byte[(int) bytes]);
  }

  @Test
  void aLargeInputGetsMorePartitionsWhileTheStageRuns(SparkSession spark) throws IOException {
    partitionOfSize("silver/events", 3 * MIB + 1);
    partitionOfSize("silver/users", MIB);
    // Another date's partition does not count.
    Files.createDirectories(out.resolve("silver/events/run_date=2026-10-31"));
    Files.write(
        out.resolve("silver/events/run_date=2026-10-31/part-00000.parquet"),
        new byte[(int) (8 * MIB)]);
    String before = spark.conf().get(ShufflePartitions.KEY);
    JobConfig config =
        TestConfigs.config(null, out.toString(), RUN_DATE, "marketing.shuffle-partition-mib=1");

    String during = new ReadsEvents().run(spark, config);

    assertThat(before).isEqualTo("2");
    assertThat(during).as("4 MiB and a byte at 1 MiB per partition").isEqualTo("5");
    assertThat(spark.conf().get(ShufflePartitions.KEY)).isEqualTo(before);
  }

  @Test
  void aSmallInputKeepsTheConfiguredCount(SparkSession spark) throws IOException {
    partitionOfSize("silver/events", MIB);
    JobConfig config = TestConfigs.config(null, out.toString(), RUN_DATE);

    assertThat(new ReadsEvents().run(spark, config)).isEqualTo("2");
  }
}
