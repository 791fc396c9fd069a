package org.marketingengine.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.Columns;
import org.marketingengine.clean.CleanJob;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.features.FeaturesJob;
import org.marketingengine.ingest.IngestJob;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.model.ModelStore;
import org.marketingengine.model.ScoreJob;
import org.marketingengine.model.TrainJob;
import org.marketingengine.model.TrainedModel;
import org.marketingengine.stage.StageContext;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

/** A data set of user attributes and campaign responses only: the response models still train. */
@ExtendWith(SparkExtension.class)
class NoEventsPipelineTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  @TempDir Path input;
  @TempDir Path out;

  private void copySample(String name) throws IOException {
    Path from = TestConfigs.repoRoot().resolve("sample-data/csv").resolve(name);
    Path to = Files.createDirectories(input.resolve(name));
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private JobConfig config(String... more) {
    List<String> sets =
        Stream.concat(
                Stream.of(
                    "marketing.train.permutation-importance=false",
                    "marketing.train.grids.mlp.hidden-layers=[[8]]",
                    "marketing.train.grids.mlp.max-iter=30",
                    "marketing.train.grids.logistic-regression.reg-param=[0.01]",
                    "marketing.train.grids.logistic-regression.elastic-net-param=[0.0]"),
                Stream.of(more))
            .toList();
    return TestConfigs.config(
        input.toString(), out.toString(), RUN_DATE, sets.toArray(String[]::new));
  }

  @Test
  void usersAndResponsesAloneTrainAndScoreTheResponseModels(SparkSession spark) throws IOException {
    copySample("users");
    copySample("responses");

    assertThatThrownBy(() -> new IngestJob().run(spark, config()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot read events");

    JobConfig config = config("marketing.ingest.require-events=false");
    new IngestJob().run(spark, config);
    new CleanJob().run(spark, config);
    new FeaturesJob().run(spark, config);
    List<TrainedModel> models = new TrainJob().run(spark, config).models();

    assertThat(models)
        .extracting(TrainedModel::name)
        .containsExactlyInAnyOrder("response_logreg", "response_mlp", "response_gbt");
    assertThat(new ModelStore(spark, out.toString(), RUN_DATE).champions())
        .containsOnlyKeys(TrainJob.RESPONSE);

    ScoreJob.score(StageContext.of(spark, config), RUN_DATE);
    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    Dataset<Row> scores = store.read(Tables.USER_SCORES, RUN_DATE);
    assertThat(scores.count())
        .as("one score per known user")
        .isEqualTo(store.read(Tables.silver("users"), RUN_DATE).count())
        .isGreaterThan(1900);
    assertThat(scores.where(col(Columns.Scores.RESPONSE_PROPENSITY).isNull()).count()).isZero();
    assertThat(scores.where(col(Columns.Scores.PURCHASE_PROPENSITY).isNotNull()).count()).isZero();
  }
}
