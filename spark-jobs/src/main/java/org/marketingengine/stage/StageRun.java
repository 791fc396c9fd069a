package org.marketingengine.stage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.marketingengine.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one stage ran for a run date, kept as {@code runs/<run_date>/stages/<stage>.json} (the last
 * run of that stage and date): status ({@code running} while it runs, so a killed run stays {@code
 * running}; then {@code succeeded} or {@code failed}), start, seconds, the number of Spark jobs and
 * the outcome line. The report's run header reads them.
 */
public record StageRun(
    String stage,
    String runDate,
    String status,
    String startedAt,
    double seconds,
    int sparkJobs,
    String outcome) {
  private static final Logger LOG = LoggerFactory.getLogger(StageRun.class);

  static Path dir(String outputRoot, LocalDate runDate) {
    return new Path(new Path(new Path(outputRoot, "runs"), runDate.toString()), "stages");
  }

  /** Records the run; a failure to record is logged, never fails the stage. */
  static void record(StageContext context, StageRun run) {
    try {
      Json.write(
          context.hadoop(),
          new Path(dir(context.outputRoot(), context.runDate()), run.stage() + ".json"),
          run);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record the run of {}: {}", run.stage(), e.getMessage());
    }
  }

  /** The stage runs recorded for a date, in the order they started. */
  public static List<StageRun> of(Configuration hadoop, String outputRoot, LocalDate runDate) {
    Path dir = dir(outputRoot, runDate);
    List<StageRun> runs = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!fs.exists(dir)) {
        return runs;
      }
      for (FileStatus file : fs.listStatus(dir)) {
        if (file.getPath().getName().endsWith(".json")) {
          runs.add(Json.read(hadoop, file.getPath(), StageRun.class));
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("Cannot read the stage runs under {}: {}", dir, e.getMessage());
    }
    runs.sort(Comparator.comparing(StageRun::startedAt));
    return runs;
  }
}
