package org.marketingengine.quality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.marketingengine.io.Json;

/**
 * {@code runs/<run_date>/data_quality.json}: per input and stage, rows read, kept and quarantined
 * by reason. Each stage replaces its own section and keeps the others, so the file of a date tells
 * the whole story of that date's run. Published atomically ({@link Json#write}).
 */
public final class DataQualityReport {
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
    ObjectNode root = readIfExists(hadoop, outputRoot, runDate);
    root.put("run_date", runDate.toString());
    ObjectNode inputs = root.with("inputs");
    for (StageQuality entry : entries) {
      inputs.with(entry.input()).set(stage, Json.MAPPER.valueToTree(entry));
    }
    Json.write(hadoop, path(outputRoot, runDate), root);
  }

  /** Reads the report of a run date, or an empty tree when no stage has written it yet. */
  public static ObjectNode readIfExists(
      Configuration hadoop, String outputRoot, LocalDate runDate) {
    Path path = path(outputRoot, runDate);
    return Json.exists(hadoop, path)
        ? Json.read(hadoop, path, ObjectNode.class)
        : Json.MAPPER.createObjectNode();
  }

  /** Reads the report of a run date as a JSON tree. */
  public static ObjectNode read(Configuration hadoop, String outputRoot, LocalDate runDate) {
    return Json.read(hadoop, path(outputRoot, runDate), ObjectNode.class);
  }
}
