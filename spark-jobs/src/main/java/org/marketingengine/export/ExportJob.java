package org.marketingengine.export;

import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.marketingengine.Columns;
import org.marketingengine.config.ExportConfig;
import org.marketingengine.config.InvalidConfigException;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.Stage;
import org.marketingengine.stage.StageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export stage: {@code strategy/user_strategy} of the run date into a PostgreSQL table, for the
 * systems that send the campaign. The rows go to a staging table first (Spark's JDBC writer, in
 * parallel); then one transaction deletes the run date's rows from the target and copies the
 * staging rows in, so a rerun replaces that date and a failure leaves the target as it was.
 */
public final class ExportJob implements Stage<ExportJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);
  public static final String STAGE = "export";
  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  /** Rows exported, and where to. */
  public record Result(long rows, String table) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public String header() {
    return "Export the run date's strategy to a PostgreSQL table, replacing that date's rows.";
  }

  @Override
  public List<String> description() {
    return List.of(
        "Writes strategy/user_strategy of the run date to marketing.export.table at",
        "marketing.export.jdbc-url (password from the variable named by",
        "marketing.export.password-env) in one transaction. Run strategy first.");
  }

  @Override
  public List<String> reads() {
    return List.of(Tables.USER_STRATEGY);
  }

  @Override
  public Optional<String> skipReason(StageContext context) {
    return context.config().export().jdbcUrl().isPresent()
        ? Optional.empty()
        : Optional.of("marketing.export.jdbc-url is not set");
  }

  @Override
  public String outcome(Result result) {
    return result.rows() + " rows in " + result.table();
  }

  @Override
  public void print(Result result, StageContext context, PrintWriter out) {
    out.printf("%d rows of %s exported to %s%n", result.rows(), context.runDate(), result.table());
  }

  /** A database error of the export, with the URL but never the password. */
  public static final class ExportException extends RuntimeException {
    ExportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public Result run(StageContext context) {
    LocalDate runDate = context.runDate();
    ExportConfig settings = context.config().export();
    String url = checkedUrl(settings);
    String table = settings.table();
    if (!TABLE_NAME.matcher(table).matches()) {
      throw new InvalidConfigException(
          "Config key 'marketing.export.table' is '"
              + table
              + "': use a plain table name, optionally schema.table");
    }
    Dataset<Row> strategy =
        context
            .require(Tables.USER_STRATEGY, "export")
            .withColumn(Columns.RUN_DATE, lit(java.sql.Date.valueOf(runDate)));
    Properties properties = new Properties();
    properties.setProperty("driver", "org.postgresql.Driver");
    settings.user().ifPresent(u -> properties.setProperty("user", u));
    settings.password().ifPresent(p -> properties.setProperty("password", p));
    String staging =
        table
            + "_staging_"
            + runDate.toString().replace("-", "")
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    try {
      strategy.write().mode(SaveMode.Overwrite).jdbc(url, staging, properties);
    } catch (Exception e) { // Spark rethrows the driver's checked SQLException as is
      throw new ExportException(
          "Cannot write to "
              + url
              + " as "
              + settings.user().orElse("(default user)")
              + ": "
              + rootMessage(e),
          e);
    }
    long rows = publish(url, properties, table, staging, strategy.columns(), runDate);
    LOG.info("export: {} rows of {} in {} at {}", rows, runDate, table, url);
    return new Result(rows, table);
  }

  /**
   * In one transaction: creates the target table if needed, deletes the run date's rows, copies the
   * staging rows in and drops the staging table. Returns the rows copied.
   */
  private static long publish(
      String url,
      Properties properties,
      String table,
      String staging,
      String[] strategyColumns,
      LocalDate runDate) {
    long rows;
    try (Connection connection = DriverManager.getConnection(url, properties)) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " AS SELECT * FROM "
                + staging
                + " WITH NO DATA");
        try (PreparedStatement delete =
            connection.prepareStatement("DELETE FROM " + table + " WHERE run_date = ?")) {
          delete.setDate(1, java.sql.Date.valueOf(runDate));
          int deleted = delete.executeUpdate();
          if (deleted > 0) {
            LOG.info("export: replacing {} rows of {} in {}", deleted, runDate, table);
          }
        }
        String columns = String.join(", ", quoted(strategyColumns));
        rows =
            statement.executeUpdate(
                "INSERT INTO "
                    + table
                    + " ("
                    + columns
                    + ") SELECT "
                    + columns
                    + " FROM "
                    + staging);
        statement.execute("DROP TABLE " + staging);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        dropQuietly(connection, staging);
        throw e;
      }
    } catch (SQLException e) {
      throw new ExportException(
          "Cannot export to "
              + table
              + " at "
              + url
              + ": "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    return rows;
  }

  private static String checkedUrl(ExportConfig settings) {
    String url =
        settings
            .jdbcUrl()
            .orElseThrow(
                () ->
                    new InvalidConfigException(
                        "Config key 'marketing.export.jdbc-url' is not set: give the database, e.g."
                            + " jdbc:postgresql://db.example.com:5432/marketing"));
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new InvalidConfigException(
          "Config key 'marketing.export.jdbc-url' is '"
              + url
              + "': the export writes to PostgreSQL (jdbc:postgresql://host:port/database)");
    }
    return url;
  }

  private static String[] quoted(String[] columns) {
    String[] out = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = "\"" + columns[i].toLowerCase(Locale.ROOT).replace("\"", "\"\"") + "\"";
    }
    return out;
  }

  private static void dropQuietly(Connection connection, String staging) {
    try (Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("DROP TABLE IF EXISTS " + staging);
    } catch (SQLException e) {
      LOG.warn("export: could not drop the staging table {}: {}", staging, e.getMessage());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.lines().findFirst().orElse("");
  }
}
