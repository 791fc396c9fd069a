package org.marketingengine.stage;

import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage with what every stage needs around it: its Spark jobs grouped under its name (the
 * Spark UI reads like the pipeline), the elapsed time, and one INFO line with the outcome.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  private StageRunner() {}

  public static <R> R execute(Stage<R> stage, StageContext context) {
    long started = System.nanoTime();
    context
        .spark()
        .sparkContext()
        .setJobGroup(stage.name(), stage.name() + " " + context.runDate(), false);
    try {
      R result = stage.run(context);
      LOG.info(
          "{} done in {}: {}", stage.name(), StageCounts.elapsed(started), stage.outcome(result));
      return result;
    } finally {
      context.spark().sparkContext().clearJobGroup();
    }
  }
}
