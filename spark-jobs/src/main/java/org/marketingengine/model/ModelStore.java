package org.marketingengine.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.io.DatedDirectories;
import org.marketingengine.io.InvalidInputException;
import org.marketingengine.io.Json;
import org.marketingengine.io.StagedPublish;

/**
 * Saves and loads the models of a run date under {@code models/<run_date>/}: one PipelineModel
 * directory per model with a {@code model_card.json}, and {@code champions.json}. Each model and
 * the champions file is published with {@link StagedPublish}, so a crash never leaves half a model
 * where a later run would load it.
 */
public final class ModelStore {
  public static final String CARD = "model_card.json";
  public static final String CHAMPIONS = "champions.json";

  private final SparkSession spark;
  private final Path root;

  public ModelStore(SparkSession spark, String outputRoot, LocalDate modelDate) {
    this.spark = spark;
    this.root = new Path(modelsDir(outputRoot), modelDate.toString());
  }

  private static Path modelsDir(String outputRoot) {
    return new Path(outputRoot, "models");
  }

  public Path path(String model) {
    return new Path(root, model);
  }

  /**
   * The path of a saved model to read, after putting back a model that a save killed between its
   * two renames left in {@code _trash}.
   */
  private Path readable(String model) {
    try {
      new StagedPublish(fileSystem(), root, StagedPublish.Hook.NONE).recover();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot recover models under " + root, e);
    }
    return path(model);
  }

  /** A fitted model and its card, to be saved. */
  public record Entry(PipelineModel model, ModelCard card) {}

  /** Saves a fitted model with its card, replacing an earlier one of the same date. */
  public void save(PipelineModel model, ModelCard card) {
    saveAll(List.of(new Entry(model, card)));
  }

  /**
   * Saves the models, replacing earlier ones of the same date. Writing a pipeline runs a small
   * Spark job per stage, so the models are written to their staging paths a few at a time, then
   * published one after another (each one whole or not at all, as {@link StagedPublish} promises).
   */
  public void saveAll(List<Entry> entries) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, entries.size())));
    try {
      FileSystem fs = fileSystem();
      StagedPublish publish = new StagedPublish(fs, root, StagedPublish.Hook.NONE);
      List<Future<Path>> staged = new ArrayList<>();
      for (Entry entry : entries) {
        staged.add(
            pool.submit(() -> publish.stage(entry.card().model(), at -> write(fs, at, entry))));
      }
      for (int i = 0; i < entries.size(); i++) {
        publish.commit(entries.get(i).card().model(), staged.get(i).get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save models under " + root, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while saving models under " + root, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new UncheckedIOException("Cannot save models under " + root, io);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Cannot save models under " + root, cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void write(FileSystem fs, Path staged, Entry entry) throws IOException {
    entry.model().write().save(staged.toString());
    try (var out = fs.create(new Path(staged, CARD), true)) {
      Json.MAPPER.writeValue((java.io.OutputStream) out, entry.card());
    }
  }

  /** Records which model is the champion of each task. */
  public void writeChampions(List<TrainedModel> models) {
    Map<String, String> champions = new LinkedHashMap<>();
    for (TrainedModel m : models) {
      if (m.champion()) {
        champions.put(m.task(), m.name());
      }
    }
    Json.write(hadoop(), new Path(root, CHAMPIONS), champions);
  }

  /** The champion model name per task (purchase, response, spend). */
  public Map<String, String> champions() {
    Path path = new Path(root, CHAMPIONS);
    if (!Json.exists(hadoop(), path)) {
      throw new InvalidInputException(
          "No trained models under "
              + root
              + ": run train for that date or pass another --model-date");
    }
    Map<String, String> champions = new LinkedHashMap<>();
    Json.read(hadoop(), path, ObjectNode.class)
        .fields()
        .forEachRemaining(e -> champions.put(e.getKey(), e.getValue().asText()));
    return champions;
  }

  /** The model card of a saved model. */
  public ModelCard card(String model) {
    Path path = new Path(readable(model), CARD);
    try {
      return Json.read(hadoop(), path, ModelCard.class);
    } catch (UncheckedIOException e) {
      throw new InvalidInputException(
          "Cannot read the card of model "
              + model
              + " ("
              + path
              + "): "
              + e.getCause().getMessage(),
          e);
    }
  }

  /** A model saved by an earlier run. */
  public record Previous(LocalDate date, PipelineModel model, List<String> keptFeatures) {}

  /**
   * The latest model of this name saved by a run before this store's date, if any: the starting
   * point of a warm start.
   */
  public Optional<Previous> latestBefore(String model) {
    LocalDate date = LocalDate.parse(root.getName());
    try {
      FileSystem fs = fileSystem();
      Optional<LocalDate> latest =
          DatedDirectories.latest(
              fs,
              root.getParent(),
              "",
              candidate -> candidate.isBefore(date),
              DatedDirectories.containing(fs, model + "/" + CARD));
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      ModelStore earlier =
          new ModelStore(spark, root.getParent().getParent().toString(), latest.get());
      return Optional.of(
          new Previous(latest.get(), earlier.load(model), earlier.card(model).keptFeatures()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root.getParent(), e);
    }
  }

  /**
   * The latest train run on or before {@code date} that saved its champions: the models a daily
   * profile run uses when training runs weekly.
   */
  public static Optional<LocalDate> latestRun(
      SparkSession spark, String outputRoot, LocalDate date) {
    Path dir = modelsDir(outputRoot);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return DatedDirectories.latest(
          fs,
          dir,
          "",
          candidate -> !candidate.isAfter(date),
          DatedDirectories.containing(fs, CHAMPIONS));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  /** Loads a saved model. */
  public PipelineModel load(String model) {
    return PipelineModel.load(readable(model).toString());
  }

  private Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  private FileSystem fileSystem() throws IOException {
    return root.getFileSystem(hadoop());
  }
}
