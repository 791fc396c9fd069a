package org.marketingengine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.JobConfig;
import org.marketingengine.io.InvalidInputException;

/**
 * Saves and loads the models of a run date under {@code models/<run_date>/}: one PipelineModel
 * directory per model with a {@code model_card.json} (features, parameters, metrics, data window,
 * rows), and {@code champions.json}. A model is saved to a staging directory and renamed into
 * place, so a crash never leaves half a model where a later run would load it.
 */
public final class ModelStore {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String CARD = "model_card.json";
  public static final String CHAMPIONS = "champions.json";

  private final SparkSession spark;
  private final Path root;

  public ModelStore(SparkSession spark, String outputRoot, LocalDate modelDate) {
    this.spark = spark;
    this.root = new Path(new Path(outputRoot, "models"), modelDate.toString());
  }

  public Path path(String model) {
    return new Path(root, model);
  }

  /** Saves a fitted model with its card, replacing an earlier one of the same date. */
  public void save(PipelineModel model, TrainJob.TrainedModel summary, JobConfig config) {
    Path staged = new Path(new Path(root, "_staging"), summary.name() + "." + UUID.randomUUID());
    try {
      model.write().save(staged.toString());
      Map<String, Object> card = new LinkedHashMap<>();
      card.put("model", summary.name());
      card.put("task", summary.task());
      card.put("run_date", config.runDate().toString());
      card.put("feature_window_days", config.features().featureDays());
      card.put("label_window_days", config.features().labelDays());
      card.put("features", summary.features());
      card.put("best_params", summary.bestParams());
      card.put("training_rows", summary.trainingRows());
      card.put("fit_seconds", summary.fitSeconds());
      card.put("validation", summary.validation());
      card.put("test", summary.test());
      card.put("baseline", summary.baseline());
      card.put("champion", summary.champion());
      card.put("kept_features", summary.keptFeatures());
      card.put("log_spend", config.train().logSpend());
      card.put("warm_start_from", summary.warmStartFrom());
      FileSystem fs = fileSystem();
      try (OutputStream out = fs.create(new Path(staged, CARD), true)) {
        JSON.writeValue(out, card);
      }
      Path live = path(summary.name());
      if (fs.exists(live)) {
        fs.delete(live, true);
      }
      if (!fs.rename(staged, live)) {
        throw new IOException("Cannot rename " + staged + " to " + live);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save model " + summary.name() + " under " + root, e);
    }
  }

  /** Records which model is the champion of each task. */
  public void writeChampions(List<TrainJob.TrainedModel> models) {
    Map<String, String> champions = new LinkedHashMap<>();
    for (TrainJob.TrainedModel m : models) {
      if (m.champion()) {
        champions.put(m.task(), m.name());
      }
    }
    try (OutputStream out = fileSystem().create(new Path(root, CHAMPIONS), true)) {
      JSON.writeValue(out, champions);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + new Path(root, CHAMPIONS), e);
    }
  }

  /** The champion model name per task (purchase, response, spend). */
  @SuppressWarnings("unchecked")
  public Map<String, String> champions() {
    Path path = new Path(root, CHAMPIONS);
    try {
      FileSystem fs = fileSystem();
      if (!fs.exists(path)) {
        throw new InvalidInputException(
            "No trained models under "
                + root
                + ": run train for that date or pass another --model-date");
      }
      try (InputStream in = fs.open(path)) {
        return JSON.readValue(in, Map.class);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /** The model card of a saved model. */
  public com.fasterxml.jackson.databind.JsonNode card(String model) {
    Path path = new Path(path(model), CARD);
    try (InputStream in = fileSystem().open(path)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new InvalidInputException(
          "Cannot read the card of model " + model + " (" + path + "): " + e.getMessage(), e);
    }
  }

  /** A model saved by an earlier run. */
  public record Previous(LocalDate date, PipelineModel model, List<String> keptFeatures) {}

  /**
   * The latest model of this name saved by a run before this store's date, if any: the starting
   * point of a warm start.
   */
  public java.util.Optional<Previous> latestBefore(String model) {
    Path modelsDir = root.getParent();
    LocalDate date = LocalDate.parse(root.getName());
    try {
      FileSystem fs = fileSystem();
      if (!fs.exists(modelsDir)) {
        return java.util.Optional.empty();
      }
      LocalDate latest = null;
      for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(modelsDir)) {
        LocalDate candidate;
        try {
          candidate = LocalDate.parse(status.getPath().getName());
        } catch (java.time.format.DateTimeParseException e) {
          continue;
        }
        boolean hasModel = fs.exists(new Path(new Path(status.getPath(), model), CARD));
        if (candidate.isBefore(date) && hasModel && (latest == null || candidate.isAfter(latest))) {
          latest = candidate;
        }
      }
      if (latest == null) {
        return java.util.Optional.empty();
      }
      ModelStore earlier = new ModelStore(spark, modelsDir.getParent().toString(), latest);
      List<String> kept = new java.util.ArrayList<>();
      earlier.card(model).path("kept_features").forEach(n -> kept.add(n.asText()));
      return java.util.Optional.of(new Previous(latest, earlier.load(model), kept));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + modelsDir, e);
    }
  }

  /**
   * The latest train run on or before {@code date} that saved its champions: the models a daily
   * profile run uses when training runs weekly.
   */
  public static java.util.Optional<LocalDate> latestRun(
      SparkSession spark, String outputRoot, LocalDate date) {
    Path modelsDir = new Path(outputRoot, "models");
    try {
      FileSystem fs = modelsDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(modelsDir)) {
        return java.util.Optional.empty();
      }
      LocalDate latest = null;
      for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(modelsDir)) {
        LocalDate candidate;
        try {
          candidate = LocalDate.parse(status.getPath().getName());
        } catch (java.time.format.DateTimeParseException e) {
          continue;
        }
        boolean complete = fs.exists(new Path(status.getPath(), CHAMPIONS));
        if (complete && !candidate.isAfter(date) && (latest == null || candidate.isAfter(latest))) {
          latest = candidate;
        }
      }
      return java.util.Optional.ofNullable(latest);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + modelsDir, e);
    }
  }

  /** Loads a saved model. */
  public PipelineModel load(String model) {
    return PipelineModel.load(path(model).toString());
  }

  private FileSystem fileSystem() throws IOException {
    return root.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
