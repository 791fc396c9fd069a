package org.marketingengine.cli;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.JobConfig;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.NioLocalFileSystem;

/** Creates the SparkSession of a job from its configuration. */
final class SparkSessions {
  private static final String LOCAL_FILE_SYSTEM = "spark.hadoop.fs.file.impl";

  private SparkSessions() {}

  /**
   * Builds the session: the {@code spark.*} keys of the config, Delta's extension when tables are
   * Delta, and the master only when the job is not launched by spark-submit (or --master is given).
   * A local master binds the driver to 127.0.0.1 and writes local files through {@link
   * NioLocalFileSystem} (no {@code chmod} process per file), unless the config's {@code
   * spark.hadoop.fs.file.impl} names another implementation.
   */
  static JobSession create(JobConfig config, boolean masterFromJob) {
    boolean existed = SparkSession.getDefaultSession().isDefined();
    SparkSession.Builder builder = SparkSession.builder().appName(config.appName());
    if (masterFromJob) {
      builder.master(config.master());
      if (config.master().startsWith("local")) {
        builder.config("spark.driver.host", "127.0.0.1");
        builder.config("spark.driver.bindAddress", "127.0.0.1");
        builder.config(LOCAL_FILE_SYSTEM, NioLocalFileSystem.class.getName());
      }
    }
    for (Map.Entry<String, String> setting : config.sparkSettings().entrySet()) {
      builder.config(setting.getKey(), setting.getValue());
    }
    if (config.tableFormat() == TableFormat.DELTA) {
      builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
      builder.config(
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    return new JobSession(builder.getOrCreate(), !existed);
  }

  /**
   * The session of one command. Closing it stops Spark only if this command started it, so that an
   * embedding application (or a test) keeps its session.
   */
  record JobSession(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }
}
