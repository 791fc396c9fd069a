package org.marketingengine.recommend;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.RecordRows;
import org.marketingengine.io.Tables;
import org.marketingengine.recommend.RankingEvaluation.Measured;
import org.marketingengine.recommend.TuningSearch.Trial;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunes the recommender ({@code tune-recs}) on a validation split carved out of the training side
 * of the evaluation holdout ({@link Holdouts#validation}): fits the ALS settings {@link
 * TuningSearch} proposes, ranks each fit with every blend weight and category cap in one pass, and
 * keeps the best {@code recommend.tune.metric} at k. Only then is the test holdout read, once, to
 * report the choice next to the configured settings and most-popular. Writes every trial to {@code
 * metrics/recommendation_tuning} and the choice to {@code recommend/tuned/<run_date>.conf}.
 */
public final class TuneRecsJob implements Stage<TuneRecsJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(TuneRecsJob.class);
  public static final String STAGE = "tune-recs";

  /**
   * What the search found: every trial row, the chosen and the configured row (validation), the
   * chosen settings, the test-holdout comparison and the settings file.
   */
  public record Result(
      List<TrialRow> rows,
      TrialRow chosen,
      TrialRow configured,
      RecommendConfig.Tuned tuned,
      List<Measured> onTest,
      String file,
      double seconds) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Choose the recommender's settings on a validation split; report them on the test one.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Searches ALS rank, reg-param, alpha and max-iter, the event weights, rating scaling,",
        "the blend weight, the item model's weight and max-per-category",
        "(marketing.recommend.tune) on a validation split of the training interactions, writes",
        "the trials to metrics/recommendation_tuning and the choice to",
        "recommend/tuned/<run_date>.conf, which recommend and evaluate-recs then use. Run clean",
        "first.");
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.silver(InputSchemas.EVENTS),
        Tables.silver(InputSchemas.ITEMS),
        Tables.silver(InputSchemas.MARKET));
  }

  @Override
  public Result run(StageContext context) {
    RecommendJob.ensureCheckpointDir(context);
    long start = System.nanoTime();
    // The search starts from the configuration, never from an earlier run's choice.
    RecommendConfig settings = context.config().recommend();
    RecommendConfig.Tune tune = settings.tune();
    TuningSearch search = new TuningSearch(settings);
    Map<Trial, Double> tried = new LinkedHashMap<>();
    List<TrialRow> rows = new ArrayList<>();
    for (Optional<Trial> t = search.next(tried); t.isPresent(); t = search.next(tried)) {
      List<TrialRow> measured =
          TuningTrials.measure(context, settings, search, t.get(), tried.size() + 1);
      TrialRow best = best(measured);
      tried.put(t.get(), best.value());
      rows.addAll(measured);
      LOG.info(
          "tune-recs: fit {}/{} {}: best {}@{} {} (blend-weight {}, item-weight {},"
              + " max-per-category {}), {} s",
          tried.size(),
          tune.budget(),
          describe(t.get()),
          tune.metric(),
          tune.k(),
          String.format(Locale.ROOT, "%.4f", best.value()),
          best.blendWeight(),
          best.itemWeight(),
          best.maxPerCategory(),
          String.format(Locale.ROOT, "%.1f", best.fitSeconds()));
    }
    TrialRow chosen = best(rows);
    TrialRow configured =
        rows.stream()
            .filter(
                r ->
                    r.fit() == 1
                        && r.blendWeight() == settings.blendWeight()
                        && r.itemWeight() == settings.itemWeight()
                        && r.maxPerCategory() == settings.maxPerCategory())
            .findFirst()
            .orElseThrow();
    Trial trial = List.copyOf(tried.keySet()).get(chosen.fit() - 1);
    RecommendConfig.Tuned tuned =
        new RecommendConfig.Tuned(
            trial.als(),
            search.weights(trial),
            trial.ratingScaling(),
            chosen.blendWeight(),
            chosen.itemWeight(),
            chosen.maxPerCategory());
    List<TrialRow> table = rows.stream().map(r -> r == chosen ? r.asChosen() : r).toList();
    context
        .tables()
        .write(
            Tables.RECOMMENDATION_TUNING,
            context.runDate(),
            RecordRows.dataFrame(context.spark(), table, TrialRow.class));
    String file =
        TunedSettings.write(
                context.hadoop(),
                context.outputRoot(),
                context.runDate(),
                tuned,
                comment(context, tune, chosen, configured, tried.size(), trial))
            .toString();
    List<Measured> onTest = onTest(context, settings, tuned);
    return new Result(
        table, chosen, configured, tuned, onTest, file, (System.nanoTime() - start) / 1e9);
  }

  /** The row with the best value; the earliest among equals (the configured settings first). */
  private static TrialRow best(List<TrialRow> rows) {
    TrialRow best = rows.get(0);
    for (TrialRow r : rows) {
      if (r.value() > best.value()) {
        best = r;
      }
    }
    return best;
  }

  private static String describe(Trial t) {
    return String.format(
        Locale.ROOT,
        "rank %d reg-param %s alpha %s max-iter %d event-weights %s rating-scaling %s",
        t.als().rank(),
        t.als().regParam(),
        t.als().alpha(),
        t.als().maxIter(),
        t.weights(),
        t.ratingScaling());
  }

  private static String comment(
      StageContext context,
      RecommendConfig.Tune tune,
      TrialRow chosen,
      TrialRow configured,
      int fits,
      Trial trial) {
    return String.format(
        Locale.ROOT,
        "Chosen by tune-recs for run date %s on a validation split (%d users): %s@%d %.4f,"
            + " configured settings %.4f; %d ALS fits.%nEvent weights: %s. Used by recommend and"
            + " evaluate-recs while marketing.recommend.settings = tuned.",
        context.runDate(),
        chosen.users(),
        tune.metric(),
        tune.k(),
        chosen.value(),
        configured.value(),
        fits,
        trial.weights());
  }

  /**
   * The choice measured once on the test holdout, next to the configured settings (when they
   * differ) and most-popular, as {@code evaluate-recs} measures them.
   */
  private static List<Measured> onTest(
      StageContext context, RecommendConfig settings, RecommendConfig.Tuned tuned) {
    List<Measured> measured =
        new ArrayList<>(
            EvaluateRecsJob.measure(
                    context,
                    settings.with(tuned),
                    Map.of("tuned", Recommender.Ranking.of(settings.with(tuned))))
                .measured());
    if (!tuned.equals(settings.tuned())) {
      EvaluateRecsJob.measure(
              context, settings, Map.of("configured", Recommender.Ranking.of(settings)))
          .measured()
          .stream()
          .filter(m -> m.variant().equals("configured"))
          .forEach(measured::add);
    }
    for (Measured m : measured) {
      LOG.info("tune-recs on the test holdout: {}", EvaluateRecsJob.describe(m));
    }
    return measured;
  }

  @Override
  public String outcome(Result result) {
    return String.format(
        Locale.ROOT,
        "%d fits; %s@%d on validation %.4f (configured %.4f); settings in %s",
        result.rows().stream().mapToInt(TrialRow::fit).max().orElse(0),
        result.chosen().metric(),
        result.chosen().k(),
        result.chosen().value(),
        result.configured().value(),
        result.file());
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    TrialRow c = result.chosen();
    out.printf(
        Locale.ROOT,
        "Chosen on validation (%d users, %s@%d %.4f; configured settings %.4f), %.0f s:%n",
        c.users(),
        c.metric(),
        c.k(),
        c.value(),
        result.configured().value(),
        result.seconds());
    out.printf(
        Locale.ROOT,
        "  rank %d, reg-param %s, alpha %s, max-iter %d, event weights %s, rating scaling %s,"
            + " blend-weight %s, item-weight %s, max-per-category %d%n",
        c.rank(),
        c.regParam(),
        c.alpha(),
        c.maxIter(),
        c.eventWeights(),
        c.ratingScaling(),
        c.blendWeight(),
        c.itemWeight(),
        c.maxPerCategory());
    out.printf("Written to %s; trials in %s.%n", result.file(), Tables.RECOMMENDATION_TUNING);
    out.printf("On the test holdout:%n");
    out.printf(
        "  %-14s %4s %9s %9s %9s %9s%n", "variant", "k", "precision", "recall", "ndcg", "hit_rate");
    for (Measured m : result.onTest()) {
      out.printf(
          Locale.ROOT,
          "  %-14s %4d %9.4f %9.4f %9.4f %9.4f%n",
          m.variant(),
          m.k(),
          m.precision(),
          m.recall(),
          m.ndcg(),
          m.hitRate());
    }
  }
}
