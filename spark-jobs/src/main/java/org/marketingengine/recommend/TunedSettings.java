package org.marketingengine.recommend;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.marketingengine.config.ConfigValues;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.io.StagedPublish;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings {@code tune-recs} chose, as a HOCON file {@code recommend/tuned/<run_date>.conf}
 * under the output root with the keys of {@code marketing.recommend} it sets; a user can read it,
 * or include it in a config. {@code recommend} and {@code evaluate-recs} use the latest one at or
 * before their run date when {@code marketing.recommend.settings = tuned}.
 */
public final class TunedSettings {
  private static final Logger LOG = LoggerFactory.getLogger(TunedSettings.class);
  static final String DIR = "recommend/tuned";
  private static final String SUFFIX = ".conf";
  private static final String BASE = "marketing.recommend";

  private TunedSettings() {}

  static Path path(String outputRoot, LocalDate date) {
    return new Path(new Path(outputRoot, DIR), date + SUFFIX);
  }

  /** The configured settings, or the latest tuned ones when configured so and there are any. */
  public static RecommendConfig resolve(StageContext context) {
    RecommendConfig configured = context.config().recommend();
    if (configured.source() == RecommendConfig.Source.CONFIG) {
      return configured;
    }
    Optional<LocalDate> date = latest(context.hadoop(), context.outputRoot(), context.runDate());
    if (date.isEmpty()) {
      return configured;
    }
    Path path = path(context.outputRoot(), date.get());
    RecommendConfig.Tuned tuned = read(context.hadoop(), path);
    LOG.info(
        "recommend settings: chosen by tune-recs for {} ({}); marketing.recommend.settings = config"
            + " uses the configured ones",
        date.get(),
        path);
    return configured.with(tuned);
  }

  /** The date of the latest tuned settings at or before {@code runDate}. */
  static Optional<LocalDate> latest(Configuration hadoop, String outputRoot, LocalDate runDate) {
    Path dir = new Path(outputRoot, DIR);
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      new StagedPublish(fs, dir, StagedPublish.Hook.NONE).recover();
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      LocalDate latest = null;
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (!status.isFile() || !name.endsWith(SUFFIX)) {
          continue;
        }
        try {
          LocalDate date = LocalDate.parse(name.substring(0, name.length() - SUFFIX.length()));
          if (!date.isAfter(runDate) && (latest == null || date.isAfter(latest))) {
            latest = date;
          }
        } catch (DateTimeParseException e) {
          // not a tuned settings file
        }
      }
      return Optional.ofNullable(latest);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  static RecommendConfig.Tuned read(Configuration hadoop, Path path) {
    String text;
    try (InputStream in = plain(path.getFileSystem(hadoop)).open(path)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
    try {
      return RecommendConfig.Tuned.from(
          new ConfigValues(ConfigFactory.parseString(text), name -> null), BASE);
    } catch (ConfigException | InvalidConfigException e) {
      throw new InvalidConfigException(
          "The tuned recommend settings "
              + path
              + " are not valid ("
              + e.getMessage()
              + "): run tune-recs again, delete the file, or set marketing.recommend.settings ="
              + " config",
          e);
    }
  }

  /** Publishes {@code tuned} for {@code date}, with {@code comment} lines on top. */
  static Path write(
      Configuration hadoop,
      String outputRoot,
      LocalDate date,
      RecommendConfig.Tuned tuned,
      String comment) {
    Path path = path(outputRoot, date);
    byte[] bytes = render(tuned, comment).getBytes(StandardCharsets.UTF_8);
    try {
      FileSystem fs = plain(path.getFileSystem(hadoop));
      new StagedPublish(fs, path.getParent(), StagedPublish.Hook.NONE)
          .publish(
              path.getName(),
              staged -> {
                try (OutputStream out = fs.create(staged, false)) {
                  out.write(bytes);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
    return path;
  }

  /**
   * On a local disk, the file system without checksum files: the settings file is meant to be read
   * and may be edited by hand, which a stale {@code .crc} file would turn into a read error.
   */
  private static FileSystem plain(FileSystem fs) {
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** The HOCON text of {@code tuned}. */
  static String render(RecommendConfig.Tuned tuned, String comment) {
    RecommendConfig.Als als = tuned.als();
    StringBuilder weights = new StringBuilder();
    for (Map.Entry<String, Double> w : new TreeMap<>(tuned.eventWeights()).entrySet()) {
      weights.append(weights.length() == 0 ? "" : ", ").append(w.getKey()).append(" = ");
      weights.append(w.getValue());
    }
    StringBuilder text = new StringBuilder();
    for (String line : comment.split("\n")) {
      text.append("# ").append(line).append('\n');
    }
    text.append(BASE).append(" {\n");
    text.append(
        String.format(
            Locale.ROOT,
            "  als { rank = %d, reg-param = %s, alpha = %s, max-iter = %d, seed = %d }%n",
            als.rank(),
            als.regParam(),
            als.alpha(),
            als.maxIter(),
            als.seed()));
    text.append("  event-weights { ").append(weights).append(" }\n");
    text.append("  rating-scaling = ").append(tuned.ratingScaling()).append('\n');
    text.append("  blend-weight = ").append(tuned.blendWeight()).append('\n');
    text.append("  item-weight = ").append(tuned.itemWeight()).append('\n');
    text.append("  max-per-category = ").append(tuned.maxPerCategory()).append('\n');
    return text.append("}\n").toString();
  }
}
