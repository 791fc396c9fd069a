package org.marketingengine.testing;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns.Users;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.RecordRows;

/**
 * Typed row builders shared by the tests: one profile row and one consent row, with schemas taken
 * from the code they stand in for ({@link InputSchemas} for users, {@link RecordRows} for the
 * profile record).
 */
public final class Fixtures {
  private Fixtures() {}

  /** The columns of {@code profiles/user_profiles} that strategy and export read. */
  public record Profile(
      String userId,
      String rfmSegment,
      double recencyDays,
      long frequency,
      double monetary,
      double purchasePropensity,
      double marginRate,
      String preferredChannel,
      String topCategory,
      String region,
      String[] topDrivers) {

    /** A profile with propensity 0.5, margin 0.3, books, east, and recency as its driver. */
    public static Profile of(
        String user,
        String segment,
        double recency,
        long frequency,
        double monetary,
        String preferred) {
      return new Profile(
          user,
          segment,
          recency,
          frequency,
          monetary,
          0.5,
          0.3,
          preferred,
          "books",
          "east",
          new String[] {"recency_days"});
    }

    public Profile inRegion(String other) {
      return new Profile(
          userId,
          rfmSegment,
          recencyDays,
          frequency,
          monetary,
          purchasePropensity,
          marginRate,
          preferredChannel,
          topCategory,
          other,
          topDrivers);
    }

    public Profile withDrivers(String... drivers) {
      return new Profile(
          userId,
          rfmSegment,
          recencyDays,
          frequency,
          monetary,
          purchasePropensity,
          marginRate,
          preferredChannel,
          topCategory,
          region,
          drivers);
    }

    public Row row() {
      return RecordRows.row(this);
    }
  }

  public static final StructType PROFILES = RecordRows.schema(Profile.class);

  /** The user id and the three consent columns of silver users, typed as the input schema says. */
  public static final StructType CONSENT =
      new StructType(
          InputSchemas.USERS_SCHEMA.columns().stream()
              .filter(
                  c ->
                      List.of(
                              Users.USER_ID,
                              Users.EMAIL_OPT_IN,
                              Users.SMS_OPT_IN,
                              Users.PUSH_OPT_IN)
                          .contains(c.name()))
              .map(
                  c ->
                      new org.apache.spark.sql.types.StructField(
                          c.name(),
                          c.type().sparkType(),
                          true,
                          org.apache.spark.sql.types.Metadata.empty()))
              .toArray(org.apache.spark.sql.types.StructField[]::new));

  public static Row consent(String user, Boolean email, Boolean sms, Boolean push) {
    return RowFactory.create(user, email, sms, push);
  }

  public static Dataset<Row> profiles(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, PROFILES);
  }

  public static Dataset<Row> consents(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, CONSENT);
  }
}
