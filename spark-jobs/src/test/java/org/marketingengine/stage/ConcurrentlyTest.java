package org.marketingengine.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

  @Test
  void resultsComeBackInTheItemsOrder() {
    List<Integer> out =
        Concurrently.map(
            List.of(30, 1, 20, 2),
            ms -> {
              sleep(ms);
              return ms * 10;
            });
    assertThat(out).containsExactly(300, 10, 200, 20);
  }

  @Test
  void piecesRunAtTheSameTime() {
    // Each piece waits until the other has started: run one after another, both would time out.
    CountDownLatch started = new CountDownLatch(2);
    List<Boolean> out =
        Concurrently.map(
            List.of("a", "b"),
            item -> {
              started.countDown();
              try {
                return started.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(out).containsExactly(true, true);
  }

  @Test
  void theEarliestItemsFailureIsThrownAfterEveryPieceEnded() {
    Set<String> finished = ConcurrentHashMap.newKeySet();
    assertThatThrownBy(
            () ->
                Concurrently.map(
                    List.of("slow-bad", "quick-bad", "good"),
                    item -> {
                      sleep(item.startsWith("slow") ? 200 : 0);
                      finished.add(item);
                      if (item.endsWith("bad")) {
                        throw new IllegalArgumentException(item);
                      }
                      return item;
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slow-bad");
    assertThat(finished).containsExactlyInAnyOrder("slow-bad", "quick-bad", "good");
  }

  @Test
  void aCheckedExceptionThrownUndeclaredKeepsItsType() {
    assertThatThrownBy(
            () ->
                Concurrently.map(
                    List.of(1, 2),
                    i -> {
                      if (i == 2) {
                        sneaky(new IOException("disk full"));
                      }
                      return i;
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
  }

  @Test
  void oneItemRunsOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    assertThat(Concurrently.map(List.of(1), i -> Thread.currentThread() == caller))
        .containsExactly(true);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneaky(Throwable t) throws E {
    throw (E) t;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
