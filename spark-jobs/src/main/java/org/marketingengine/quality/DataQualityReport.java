package org.marketingengine.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code runs/<run_date>/data_quality.json}: per input and stage, rows read, kept and quarantined
 * by reason. Each stage replaces its own section and keeps the others, so the file of a date tells
 * the whole story of that date's run. Written to a temporary file and renamed.
 */
public final class DataQualityReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DataQualityReport() {}

  /** The report's path for a run date. */
  public static Path path(String outputRoot, LocalDate runDate) {
    return new Path(
        new Path(new Path(outputRoot, "runs"), runDate.toString()), "data_quality.json");
  }

  /** Records {@code stage}'s entries for each input, replacing that stage's earlier entries. */
  public static void record(
      Configuration hadoop,
      String outputRoot,
      LocalDate runDate,
      String stage,
      List<? extends StageQuality> entries) {
    Path path = path(outputRoot, runDate);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      ObjectNode root;
      if (fs.exists(path)) {
        try (InputStream in = fs.open(path)) {
          root = (ObjectNode) JSON.readTree(in);
        }
      } else {
        root = JSON.createObjectNode();
      }
      root.put("run_date", runDate.toString());
      ObjectNode inputs = root.with("inputs");
      for (StageQuality entry : entries) {
        inputs.with(entry.input()).set(stage, JSON.valueToTree(entry.toReport()));
      }
      Path temporary = new Path(path.getParent(), "." + path.getName() + "." + UUID.randomUUID());
      fs.mkdirs(path.getParent());
      try (OutputStream out = fs.create(temporary, false)) {
        JSON.writeValue(out, root);
      }
      fs.delete(path, false);
      if (!fs.rename(temporary, path)) {
        throw new IOException("Cannot rename " + temporary + " to " + path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }

  /** Reads the report of a run date, or an empty tree when no stage has written it yet. */
  public static ObjectNode readIfExists(
      Configuration hadoop, String outputRoot, LocalDate runDate) {
    Path path = path(outputRoot, runDate);
    try {
      if (!path.getFileSystem(hadoop).exists(path)) {
        return JSON.createObjectNode();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
    return read(hadoop, outputRoot, runDate);
  }

  /** Reads the report of a run date as a JSON tree. */
  public static ObjectNode read(Configuration hadoop, String outputRoot, LocalDate runDate) {
    Path path = path(outputRoot, runDate);
    try (InputStream in = path.getFileSystem(hadoop).open(path)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }
}
