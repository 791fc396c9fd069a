package org.marketingengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project and Spark versions Maven wrote into the jar ({@code marketing-version.properties}).
 */
public final class BuildInfo {
  private BuildInfo() {}

  public static String version() {
    return properties().getProperty("version", "unknown");
  }

  public static String sparkVersion() {
    return properties().getProperty("spark.version", "unknown");
  }

  private static Properties properties() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/marketing-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read marketing-version.properties", e);
    }
    return properties;
  }
}
