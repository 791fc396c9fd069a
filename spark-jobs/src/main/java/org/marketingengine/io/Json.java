package org.marketingengine.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The JSON files of a run (model cards, champions, data quality, report summary): records written
 * with Jackson (which Spark ships), snake_case keys from the record components, indented. Each file
 * is published with {@link StagedPublish}, so a reader never sees half of one.
 */
public final class Json {
  /** Record components become snake_case keys: {@code rowsRead} is {@code rows_read}. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  /** Publishes {@code value} as {@code path} (staged, then renamed into place). */
  public static void write(Configuration hadoop, Path path, Object value) {
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      new StagedPublish(fs, path.getParent(), StagedPublish.Hook.NONE)
          .publish(
              path.getName(),
              staged -> {
                try (OutputStream out = fs.create(staged, false)) {
                  MAPPER.writeValue(out, value);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }

  /** Reads {@code path} as {@code type}. */
  public static <T> T read(Configuration hadoop, Path path, Class<T> type) {
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      new StagedPublish(fs, path.getParent(), StagedPublish.Hook.NONE).recover();
      try (InputStream in = fs.open(path)) {
        return MAPPER.readValue(in, type);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /** Whether {@code path} exists (after restoring an interrupted publish). */
  public static boolean exists(Configuration hadoop, Path path) {
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      return new StagedPublish(fs, path.getParent(), StagedPublish.Hook.NONE)
          .exists(path.getName());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }
}
