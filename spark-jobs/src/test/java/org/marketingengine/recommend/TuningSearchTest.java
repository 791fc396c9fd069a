package org.marketingengine.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.recommend.TuningSearch.Trial;
import org.marketingengine.testing.TestConfigs;

/** The order of tune-recs' trials, without Spark. */
class TuningSearchTest {
  @TempDir Path out;

  RecommendConfig settings(String... sets) {
    return TestConfigs.config(null, out.toString(), LocalDate.of(2026, 11, 1), sets).recommend();
  }

  /** Runs the search with a made-up score per trial; returns the trials in order. */
  static List<Trial> run(TuningSearch search, java.util.function.ToDoubleFunction<Trial> score) {
    Map<Trial, Double> tried = new LinkedHashMap<>();
    for (Optional<Trial> t = search.next(tried); t.isPresent(); t = search.next(tried)) {
      assertThat(tried).as("never the same trial twice").doesNotContainKey(t.get());
      tried.put(t.get(), score.applyAsDouble(t.get()));
    }
    return List.copyOf(tried.keySet());
  }

  @Test
  void theConfiguredSettingsComeFirstAndTheBudgetIsKept() {
    RecommendConfig s = settings("marketing.recommend.tune.budget=6");
    List<Trial> trials = run(new TuningSearch(s), t -> t.als().rank());
    assertThat(trials).hasSize(6);
    assertThat(trials.get(0).als()).isEqualTo(s.als());
    assertThat(trials.get(0).weights()).isEqualTo(TuningSearch.CONFIGURED);
    assertThat(trials.get(0).ratingScaling()).isTrue();
    assertThat(trials.subList(1, 6))
        .allMatch(t -> s.tune().ranks().contains(t.als().rank()))
        .allMatch(t -> s.tune().alphas().contains(t.als().alpha()));
  }

  @Test
  void refineTrialsAreNeighboursOfTheBestSoFar() {
    RecommendConfig s =
        settings("marketing.recommend.tune.budget=7", "marketing.recommend.tune.refine=4");
    // The score is highest at alpha 1 and rank 64: refinement must walk towards it.
    List<Trial> trials =
        run(new TuningSearch(s), t -> t.als().rank() / 64.0 - Math.log(t.als().alpha()));
    for (int i = 3; i < trials.size(); i++) {
      List<Trial> before = trials.subList(0, i);
      Trial best =
          before.stream()
              .max(
                  java.util.Comparator.comparingDouble(
                      t -> t.als().rank() / 64.0 - Math.log(t.als().alpha())))
              .orElseThrow();
      assertThat(differences(best, trials.get(i)))
          .as("trial %d is one step from the best so far %s", i, best)
          .isEqualTo(1);
    }
  }

  @Test
  void aSmallGridIsSearchedExhaustivelyAndThenStops() {
    RecommendConfig s =
        settings(
            "marketing.recommend.tune.budget=50",
            "marketing.recommend.tune.refine=0",
            "marketing.recommend.tune.rank=[8, 16]",
            "marketing.recommend.tune.reg-param=[0.1]",
            "marketing.recommend.tune.alpha=[1.0]",
            "marketing.recommend.tune.max-iter=[10]",
            "marketing.recommend.tune.event-weight-profiles=null",
            "marketing.recommend.tune.rating-scaling=[true]");
    // The configured rank 32 / alpha 10 is off the grid: it plus the two grid points.
    assertThat(run(new TuningSearch(s), t -> 0)).hasSize(3);
  }

  /** How many of rank, reg-param, alpha, max-iter, weights and scaling differ. */
  private static int differences(Trial a, Trial b) {
    int n = 0;
    n += a.als().rank() != b.als().rank() ? 1 : 0;
    n += a.als().regParam() != b.als().regParam() ? 1 : 0;
    n += a.als().alpha() != b.als().alpha() ? 1 : 0;
    n += a.als().maxIter() != b.als().maxIter() ? 1 : 0;
    n += a.weights().equals(b.weights()) ? 0 : 1;
    n += a.ratingScaling() != b.ratingScaling() ? 1 : 0;
    return n;
  }
}
