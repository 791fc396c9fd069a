package org.marketingengine.stage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Independent pieces of a stage's work (one per input, say) run a few at a time from the driver, so
 * that the Spark jobs of one fill the cores while another is being planned or is writing its last
 * task: on small inputs a stage is mostly such gaps. Results come back in the items' order. Threads
 * started here inherit the stage's Spark job group.
 */
public final class Concurrently {
  /** The most pieces in flight: a few keep the cores busy; more only queue inside Spark. */
  public static final int MAX_THREADS = 3;

  private Concurrently() {}

  /**
   * {@code work} applied to every item, up to {@link #MAX_THREADS} at a time. Every piece runs to
   * its end, also when another fails (an interrupted write would leave a staged table behind); then
   * the failure of the earliest failed item is thrown as it was thrown, so a stage reports the same
   * problem as when it ran the items one after another.
   */
  public static <T, R> List<R> map(List<T> items, Function<T, R> work) {
    if (items.size() <= 1) {
      List<R> results = new ArrayList<>();
      items.forEach(item -> results.add(work.apply(item)));
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_THREADS, items.size()));
    try {
      List<Future<R>> pieces = new ArrayList<>();
      for (T item : items) {
        pieces.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      Throwable failure = null;
      for (Future<R> piece : pieces) {
        try {
          results.add(piece.get());
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
        }
      }
      if (failure != null) {
        throw Concurrently.<RuntimeException>rethrow(failure);
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the stage's work", e);
    } finally {
      pool.shutdown();
    }
  }

  /** {@link #map} for pieces without a result. */
  public static void run(List<Runnable> pieces) {
    map(
        pieces,
        piece -> {
          piece.run();
          return Boolean.TRUE;
        });
  }

  /**
   * Throws {@code failure} unchanged, checked or not: Spark throws its checked exceptions from
   * Scala without declaring them, and the CLI maps exception types to exit codes.
   */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable failure) throws E {
    throw (E) failure;
  }
}
