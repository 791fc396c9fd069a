package org.marketingengine.recommend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.marketingengine.config.RecommendConfig;

/**
 * The order in which {@code tune-recs} tries settings: the configured ones first (so the choice is
 * never worse than them on validation), then seeded random points of the grid, then, for the last
 * {@code refine} fits, an untried grid neighbour (one step along one axis) of the best so far. An
 * axis is one of rank, reg-param, alpha, max-iter, the event weights and rating scaling.
 */
final class TuningSearch {
  /** The name of the configured event weights among the profiles. */
  static final String CONFIGURED = "configured";

  /** One ALS fit's settings: ALS, the event weights (by profile name) and rating scaling. */
  record Trial(RecommendConfig.Als als, String weights, boolean ratingScaling) {}

  private final RecommendConfig settings;
  private final List<List<?>> axes;
  private final List<int[]> shuffled;
  private final Random random;
  private final Map<String, Map<String, Double>> profiles = new TreeMap<>();

  TuningSearch(RecommendConfig settings) {
    this.settings = settings;
    RecommendConfig.Tune tune = settings.tune();
    profiles.put(CONFIGURED, settings.eventWeights());
    profiles.putAll(tune.weightProfiles());
    List<String> names = new ArrayList<>(profiles.keySet());
    names.remove(CONFIGURED);
    names.add(0, CONFIGURED);
    axes =
        List.of(
            tune.ranks(),
            tune.regParams(),
            tune.alphas(),
            tune.maxIters(),
            names,
            tune.ratingScaling());
    random = new Random(tune.seed());
    List<int[]> all = new ArrayList<>();
    grid(new int[axes.size()], 0, all);
    Collections.shuffle(all, random);
    shuffled = all;
  }

  private void grid(int[] at, int axis, List<int[]> out) {
    if (axis == axes.size()) {
      out.add(at.clone());
      return;
    }
    for (int i = 0; i < axes.get(axis).size(); i++) {
      at[axis] = i;
      grid(at, axis + 1, out);
    }
  }

  /** The event weights a trial uses. */
  Map<String, Double> weights(Trial trial) {
    return profiles.get(trial.weights());
  }

  /** The configured settings as a trial. */
  Trial configured() {
    return new Trial(settings.als(), CONFIGURED, settings.ratingScaling());
  }

  /**
   * The next trial, given the validation score of each one tried so far; empty when the budget is
   * spent or every point of the grid has been tried.
   */
  Optional<Trial> next(Map<Trial, Double> tried) {
    RecommendConfig.Tune tune = settings.tune();
    if (tried.isEmpty()) {
      return Optional.of(configured());
    }
    if (tried.size() >= tune.budget()) {
      return Optional.empty();
    }
    if (tried.size() >= tune.budget() - tune.refine()) {
      Trial best =
          tried.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      List<Trial> near = neighbours(position(best), tried.keySet());
      if (!near.isEmpty()) {
        return Optional.of(near.get(random.nextInt(near.size())));
      }
    }
    return shuffled.stream().map(this::trial).filter(t -> !tried.containsKey(t)).findFirst();
  }

  /** The untried points one step away from {@code at} along one axis. */
  private List<Trial> neighbours(int[] at, Collection<Trial> tried) {
    List<Trial> near = new ArrayList<>();
    for (int axis = 0; axis < axes.size(); axis++) {
      for (int step : new int[] {-1, 1}) {
        int i = at[axis] + step;
        if (i >= 0 && i < axes.get(axis).size()) {
          int[] next = at.clone();
          next[axis] = i;
          Trial t = trial(next);
          if (!tried.contains(t)) {
            near.add(t);
          }
        }
      }
    }
    return near;
  }

  private Trial trial(int[] at) {
    RecommendConfig.Als als =
        new RecommendConfig.Als(
            (Integer) axes.get(0).get(at[0]),
            (Double) axes.get(1).get(at[1]),
            (Double) axes.get(2).get(at[2]),
            (Integer) axes.get(3).get(at[3]),
            settings.als().seed());
    return new Trial(als, (String) axes.get(4).get(at[4]), (Boolean) axes.get(5).get(at[5]));
  }

  /** The grid point of a trial; a configured value off the grid snaps to the nearest. */
  private int[] position(Trial t) {
    return new int[] {
      nearest(axes.get(0), t.als().rank()),
      nearest(axes.get(1), t.als().regParam()),
      nearest(axes.get(2), t.als().alpha()),
      nearest(axes.get(3), t.als().maxIter()),
      axes.get(4).indexOf(t.weights()),
      Math.max(0, axes.get(5).indexOf(t.ratingScaling()))
    };
  }

  private static int nearest(List<?> values, double value) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      double d = Math.abs(((Number) values.get(i)).doubleValue() - value);
      if (d < Math.abs(((Number) values.get(best)).doubleValue() - value)) {
        best = i;
      }
    }
    return best;
  }
}
