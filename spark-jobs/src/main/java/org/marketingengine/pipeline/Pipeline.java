package org.marketingengine.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.evaluate.EvaluateJob;
import org.marketingengine.export.ExportJob;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.model.ScoreJob;
import org.marketingengine.model.TrainJob;
import org.marketingengine.profile.ProfileJob;
import org.marketingengine.recommend.EvaluateRecsJob;
import org.marketingengine.recommend.RecommendJob;
import org.marketingengine.stage.Stage;
import org.marketingengine.strategy.StrategyJob;

/**
 * What the pipeline is: its stages in order. {@code run-all} and its {@code --from}/{@code --to},
 * the CLI's subcommands, {@code cli-spec} and the Airflow DAG check all come from these lists, so a
 * new stage is one class and one line here.
 */
public final class Pipeline {
  private Pipeline() {}

  /**
   * The stages of {@code run-all}, in order. {@code evaluate} comes before {@code strategy} so that
   * the day's plan uses the offer priors of the responses received so far.
   */
  public static final List<Stage<?>> RUN_ALL =
      List.of(
          new IngestJob(),
          new CleanJob(),
          new FeaturesJob(),
          new TrainJob(),
          new ProfileJob(),
          new RecommendJob(),
          new EvaluateJob(),
          new StrategyJob(),
          new ExportJob());

  /** Stages run on their own, not part of {@code run-all}. */
  public static final List<Stage<?>> ON_DEMAND = List.of(new ScoreJob(), new EvaluateRecsJob());

  /** Every stage, run-all's first. */
  public static List<Stage<?>> all() {
    List<Stage<?>> all = new ArrayList<>(RUN_ALL);
    all.addAll(ON_DEMAND);
    return all;
  }

  /** The stage of {@code run-all} with this name, if any. */
  public static java.util.Optional<Stage<?>> named(String name) {
    return RUN_ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The names of run-all's stages, in order. */
  public static List<String> names() {
    return RUN_ALL.stream().map(Stage::name).toList();
  }
}
