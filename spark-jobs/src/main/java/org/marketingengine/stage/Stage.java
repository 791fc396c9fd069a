package org.marketingengine.stage;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.JobConfig;

/**
 * One step of the pipeline: what it is called, what it reads, why it would be skipped, what it does
 * and what it prints. The CLI makes a subcommand of every stage, {@code run-all} runs them in the
 * order of the pipeline list, and {@link StageRunner} gives each the same preamble (job group,
 * timer, one log line with its outcome).
 *
 * @param <R> the typed result of a run, for the log line and the console
 */
public interface Stage<R> {

  /** The CLI subcommand, e.g. {@code ingest}; also the Spark job group. */
  String name();

  /** One line for the command list. */
  String header();

  /** The {@code --help} text below the header. */
  List<String> description();

  /** The tables (or inputs) the stage reads, for its help and its skip reason. */
  List<String> reads();

  /**
   * Why {@code run-all} skips the stage for this run, if so: an optional input it needs is not
   * there. Run on its own, the stage fails instead, saying what to run first.
   */
  default Optional<String> skipReason(StageContext context) {
    return Optional.empty();
  }

  /** Whether the stage takes {@code --model-date} (the train run whose models it uses). */
  default boolean takesModelDate() {
    return false;
  }

  /** Does the work: reads, computes, publishes. */
  R run(StageContext context);

  /** The outcome in one line, logged with the duration. */
  String outcome(R result);

  /** The result for a person at a console: a short table and where the outputs are. */
  void print(R result, StageContext context, PrintWriter out);

  /** Runs the stage with {@link StageRunner} on a session and configuration (tests, embedding). */
  default R run(SparkSession spark, JobConfig config) {
    return StageRunner.execute(this, StageContext.of(spark, config));
  }
}
