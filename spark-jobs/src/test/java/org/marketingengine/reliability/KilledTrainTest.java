package org.marketingengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.TableFormat;
import org.marketingengine.generate.GenerateDataJob;
import org.marketingengine.generate.GeneratorParams;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.model.ModelStore;
import org.marketingengine.testing.ChildJvm;
import org.marketingengine.testing.Cli;
import org.marketingengine.testing.ReliabilityLog;
import org.marketingengine.testing.SparkExtension;

/**
 * Train killed with {@code kill -9} while saving its models, between the two renames of one model
 * (the previous model moved to {@code _trash}, the new one not yet in place): the next reader puts
 * the previous model back whole and loads it, and rerunning train gives the same models and metrics
 * as the undisturbed run.
 */
@ExtendWith(SparkExtension.class)
class KilledTrainTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);

  /** Small grids: saving, not model quality, is under test. */
  private static final List<String> FAST =
      List.of(
          "--set", "marketing.train.permutation-importance=false",
          "--set", "marketing.train.grids.mlp.hidden-layers=[[4]]",
          "--set", "marketing.train.grids.mlp.max-iter=10",
          "--set", "marketing.train.grids.logistic-regression.reg-param=[0.01]",
          "--set", "marketing.train.grids.logistic-regression.elastic-net-param=[0.0]",
          "--set", "marketing.train.grids.linear-regression.reg-param=[0.01]",
          "--set", "marketing.train.grids.linear-regression.elastic-net-param=[0.0]",
          "--set", "marketing.train.min-rows=50",
          "--set", "marketing.train.challengers=[]",
          "--set", "spark.sql.shuffle.partitions=2");

  @TempDir static Path root;
  private static Path trained;
  private static List<String> metrics;

  @TempDir Path dir;

  @BeforeAll
  static void trainedOnce() {
    SparkSession spark = SparkExtension.spark();
    Path data = root.resolve("data");
    GenerateDataJob.run(
        spark,
        new GeneratorParams(300, 60, 30, 3, RUN_DATE, FileFormat.CSV, 0.0, 6, 0.0),
        data.toString());
    trained = root.resolve("lake");
    for (String stage : List.of("ingest", "clean", "features", "train")) {
      StringWriter err = new StringWriter();
      assertThat(cli(stage, trained, data, err)).as(stage + ": " + err).isZero();
    }
    metrics = metrics(spark, trained);
  }

  private static int cli(String stage, Path lake, Path input, StringWriter err) {
    return Cli.run(err, args(stage, lake, input));
  }

  private static String[] args(String stage, Path lake, Path input) {
    List<String> all =
        new ArrayList<>(
            List.of(
                stage,
                "--input",
                input.toString(),
                "--output",
                lake.toString(),
                "--run-date",
                RUN_DATE.toString(),
                "--master",
                "local[2]"));
    all.addAll(FAST);
    return all.toArray(String[]::new);
  }

  /** The metrics of every model, without the columns that time the fits. */
  private static List<String> metrics(SparkSession spark, Path lake) {
    var table =
        new TableStore(spark, lake.toString(), TableFormat.PARQUET)
            .read(Tables.MODEL_METRICS, RUN_DATE);
    String[] timed =
        Arrays.stream(table.columns())
            .filter(c -> c.contains("second") || c.contains("time"))
            .toArray(String[]::new);
    return table.drop(timed).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static List<String> models(Path lake) throws IOException {
    try (Stream<Path> entries = Files.list(lake.resolve("models").resolve(RUN_DATE.toString()))) {
      return entries
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("_"))
          .sorted()
          .toList();
    }
  }

  @Test
  void killedWhileSavingAModelThePreviousOneIsRestoredAndARerunMatches(SparkSession spark)
      throws Exception {
    Path lake = dir.resolve("lake");
    FileUtils.copyDirectory(trained.toFile(), lake.toFile());
    List<String> models = models(lake);
    assertThat(models).hasSizeGreaterThanOrEqualTo(3);
    String victim = models.get(models.size() / 2);
    Path modelDir = lake.resolve("models").resolve(RUN_DATE.toString());
    byte[] previousCard = Files.readAllBytes(modelDir.resolve(victim).resolve(ModelStore.CARD));

    String pauseAt = "old-moved:models/" + RUN_DATE + "/" + victim;
    ChildJvm child =
        ChildJvm.start(dir.resolve("child"), pauseAt, args("train", lake, root.resolve("data")))
            .awaitPaused(Duration.ofMinutes(4));
    child.killNine();
    assertThat(modelDir.resolve(victim)).as("moved away when the kill came").doesNotExist();

    ModelStore store = new ModelStore(spark, lake.toString(), RUN_DATE);
    assertThat(store.card(victim).model()).isEqualTo(victim);
    assertThat(Files.readAllBytes(modelDir.resolve(victim).resolve(ModelStore.CARD)))
        .as("the previous model, restored whole")
        .isEqualTo(previousCard);
    assertThat(store.load(victim).stages()).isNotEmpty();

    StringWriter err = new StringWriter();
    assertThat(cli("train", lake, root.resolve("data"), err)).as(err.toString()).isZero();
    assertThat(metrics(spark, lake)).isEqualTo(metrics);
    assertThat(models(lake)).isEqualTo(models);
    try (Stream<Path> files = Files.walk(lake.resolve("models"))) {
      assertThat(files.map(Path::toString).filter(p -> p.contains("/_staging/")).toList())
          .as("no staged leftovers after the rerun")
          .isEmpty();
    }
    ReliabilityLog.passed(
        "1d kill while saving a model",
        "kill -9 of train at "
            + pauseAt
            + " (the previous model moved to _trash, the new one not yet in place)",
        "the next reader gets the previous model whole; rerun = undisturbed run",
        "the model restored from _trash by the first read, its card byte for byte the previous"
            + " one, and it loads; the rerun's metrics of all "
            + models.size()
            + " models equal the undisturbed run's");
  }
}
