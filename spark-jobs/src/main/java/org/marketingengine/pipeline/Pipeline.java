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
import org.marketingengine.recommend.TuneRecsJob;
import org.marketingengine.report.ReportJob;
import org.marketingengine.stage.Stage;
import org.marketingengine.strategy.StrategyJob;

/**
 * What the pipeline is: its stages in order. {@code run-all} and its {@code --from}/{@code --to},
 * the CLI's subcommands, {@code cli-spec} and the Airflow DAG check all come from {@link
 * #STANDARD}, so a new stage is one class and one line in its list.
 *
 * @param runAll the stages of {@code run-all}, in order
 * @param onDemand stages run on their own, not part of {@code run-all}
 */
public record Pipeline(List<Stage<?>> runAll, List<Stage<?>> onDemand) {

  /**
   * The pipeline. {@code evaluate} comes before {@code strategy} so that the day's plan uses the
   * offer priors of the responses received so far.
   */
  public static final Pipeline STANDARD =
      new Pipeline(
          List.of(
              new IngestJob(),
              new CleanJob(),
              new FeaturesJob(),
              new TrainJob(),
              new ProfileJob(),
              new RecommendJob(),
              new EvaluateJob(),
              new StrategyJob(),
              new ExportJob(),
              new ReportJob()),
          List.of(new ScoreJob(), new EvaluateRecsJob(), new TuneRecsJob()));

  public Pipeline {
    runAll = List.copyOf(runAll);
    onDemand = List.copyOf(onDemand);
    List<String> names = new ArrayList<>();
    List<Stage<?>> every = new ArrayList<>(runAll);
    every.addAll(onDemand);
    for (Stage<?> stage : every) {
      if (names.contains(stage.name())) {
        throw new IllegalArgumentException("Two stages are named " + stage.name());
      }
      names.add(stage.name());
    }
  }

  /** Every stage, run-all's first. */
  public List<Stage<?>> all() {
    List<Stage<?>> all = new ArrayList<>(runAll);
    all.addAll(onDemand);
    return all;
  }

  /** The names of run-all's stages, in order. */
  public List<String> names() {
    return runAll.stream().map(Stage::name).toList();
  }
}
