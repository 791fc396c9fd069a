package org.marketingengine.stage;

import java.util.function.Supplier;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark SQL setting that a stage needs only while it runs: set on the shared session for the
 * body, then put back, so later stages of the same {@code run-all} see the session as it was. A
 * value the user set (in the job's {@code spark} config or with {@code --conf}) is left alone.
 */
public final class SessionSetting {
  private static final Logger LOG = LoggerFactory.getLogger(SessionSetting.class);

  private SessionSetting() {}

  /** Runs {@code body} with {@code key} set to {@code value} unless the session already sets it. */
  public static <T> T during(SparkSession spark, String key, String value, Supplier<T> body) {
    RuntimeConfig conf = spark.conf();
    if (conf.contains(key)) {
      LOG.debug("{} is set to {}: kept", key, conf.get(key));
      return body.get();
    }
    return replacing(spark, key, value, body);
  }

  /**
   * Runs {@code body} with {@code key} set to {@code value}, whatever the session had, then puts
   * back the session's own value (or removes the key when it had none).
   */
  public static <T> T replacing(SparkSession spark, String key, String value, Supplier<T> body) {
    RuntimeConfig conf = spark.conf();
    String before = conf.contains(key) ? conf.get(key) : null;
    conf.set(key, value);
    try {
      return body.get();
    } finally {
      if (before == null) {
        conf.unset(key);
      } else {
        conf.set(key, before);
      }
    }
  }
}
