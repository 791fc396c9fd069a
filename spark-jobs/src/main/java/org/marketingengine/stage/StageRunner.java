package org.marketingengine.stage;

import java.time.Instant;
import org.apache.spark.SparkContext;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage with what every stage needs around it: its Spark jobs grouped under its name (the
 * Spark UI reads like the pipeline), the elapsed time, one INFO line with the outcome and one with
 * the number of Spark jobs, stages and tasks it ran, a {@link StageRun} record (read by the
 * report), and shuffle partitions for the size of its input ({@link ShufflePartitions}).
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  private StageRunner() {}

  public static <R> R execute(Stage<R> stage, StageContext context) {
    try (StageLock lock =
        StageLock.acquire(
            context.hadoop(), context.outputRoot(), stage.name(), context.runDate())) {
      return locked(stage, context);
    }
  }

  private static <R> R locked(Stage<R> stage, StageContext context) {
    long started = System.nanoTime();
    SparkContext spark = context.spark().sparkContext();
    spark.setJobGroup(stage.name(), stage.name() + " " + context.runDate(), false);
    JobCounter counter = new JobCounter();
    spark.addSparkListener(counter);
    Instant startedAt = Instant.now();
    String status = "failed";
    String outcome = "";
    StageRun.record(
        context,
        new StageRun(
            stage.name(), context.runDate().toString(), "running", startedAt.toString(), 0, 0, ""));
    try {
      R result = ShufflePartitions.during(stage, context, () -> stage.run(context));
      outcome = stage.outcome(result);
      status = "succeeded";
      LOG.info("{} done in {}: {}", stage.name(), StageCounts.elapsed(started), outcome);
      LOG.info("{} ran {}", stage.name(), counter);
      return result;
    } finally {
      StageRun.record(
          context,
          new StageRun(
              stage.name(),
              context.runDate().toString(),
              status,
              startedAt.toString(),
              Math.round((System.nanoTime() - started) / 1e7) / 100.0,
              counter.jobs(),
              outcome));
      spark.removeSparkListener(counter);
      spark.clearJobGroup();
    }
  }
}
