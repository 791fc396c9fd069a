package org.marketingengine.stage;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;

/**
 * Counts the Spark jobs and stages started while one pipeline stage runs, for its log line: on
 * small data the fixed cost of a Spark job (tens of milliseconds) dominates, so the count says
 * where that overhead goes. Listener events arrive asynchronously; the last few may be missed.
 */
final class JobCounter extends SparkListener {
  private final AtomicInteger jobs = new AtomicInteger();
  private final AtomicInteger stages = new AtomicInteger();
  private final AtomicInteger tasks = new AtomicInteger();

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.incrementAndGet();
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
    stages.incrementAndGet();
    tasks.addAndGet(stageCompleted.stageInfo().numTasks());
  }

  public int jobs() {
    return jobs.get();
  }

  @Override
  public String toString() {
    return jobs.get() + " Spark jobs, " + stages.get() + " stages, " + tasks.get() + " tasks";
  }
}
