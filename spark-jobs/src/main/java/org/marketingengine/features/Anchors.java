package org.marketingengine.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.features.FeatureExpressions.midnight;
import static org.marketingengine.features.FeatureExpressions.optional;

import java.sql.Timestamp;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.FeaturesConfig;

/** The anchors of the features: a user, a purpose and a time window per output row. */
final class Anchors {
  private Anchors() {}

  /** Training and scoring anchors for every known user, and response anchors per contact. */
  static Dataset<Row> anchors(
      UserFeatures.Sources sources, LocalDate runDate, FeaturesConfig config) {
    Timestamp end = midnight(runDate);
    Timestamp trainingEnd = midnight(runDate.minusDays(config.labelDays()));
    Dataset<Row> userIds = knownUsers(sources);
    Column signup = col(Users.SIGNUP_DATE);
    Dataset<Row> training =
        userIds
            .where(signup.isNull().or(signup.lt(to_date(lit(trainingEnd)))))
            .select(
                col(Users.USER_ID),
                lit(UserFeatures.TRAINING).as(Features.PURPOSE),
                lit(null).cast(DataTypes.StringType).as(Features.CAMPAIGN_ID),
                lit(midnight(runDate.minusDays(config.labelDays() + (long) config.featureDays())))
                    .as(Features.WINDOW_START),
                lit(trainingEnd).as(Features.WINDOW_END),
                lit(end).as(Features.LABEL_END));
    Dataset<Row> scoring =
        userIds.select(
            col(Users.USER_ID),
            lit(UserFeatures.SCORING).as(Features.PURPOSE),
            lit(null).cast(DataTypes.StringType).as(Features.CAMPAIGN_ID),
            lit(midnight(runDate.minusDays(config.featureDays()))).as(Features.WINDOW_START),
            lit(end).as(Features.WINDOW_END),
            lit(null).cast(DataTypes.TimestampType).as(Features.LABEL_END));
    Dataset<Row> anchors = addContactColumns(training).unionByName(addContactColumns(scoring));
    if (sources.responses().isPresent()) {
      Column sent = col(Responses.SENT_TIME);
      Dataset<Row> contacts =
          sources
              .responses()
              .get()
              .where(sent.lt(lit(end)))
              .select(
                  col(Responses.USER_ID),
                  lit(UserFeatures.RESPONSE).as(Features.PURPOSE),
                  col(Responses.CAMPAIGN_ID),
                  expr("sent_time - make_interval(0, 0, 0, " + config.featureDays() + ")")
                      .as(Features.WINDOW_START),
                  sent.as(Features.WINDOW_END),
                  lit(null).cast(DataTypes.TimestampType).as(Features.LABEL_END),
                  optional(sources.responses().get(), Responses.OFFER).as(Features.OFFER),
                  optional(sources.responses().get(), Responses.CHANNEL)
                      .as(Features.CONTACT_CHANNEL),
                  col(Responses.GROUP).as(Features.CONTACT_GROUP),
                  when(col(Responses.CONVERTED), 1).otherwise(0).as(Features.RESPONDED));
      anchors = anchors.unionByName(contacts);
    }
    return anchors.withColumn(
        Features.ANCHOR_ID,
        concat_ws(
            "|",
            col(Features.PURPOSE),
            coalesce(col(Features.CAMPAIGN_ID), lit("")),
            col(Features.USER_ID)));
  }

  static Dataset<Row> addContactColumns(Dataset<Row> anchors) {
    return anchors
        .withColumn(Features.OFFER, lit(null).cast(DataTypes.StringType))
        .withColumn(Features.CONTACT_CHANNEL, lit(null).cast(DataTypes.StringType))
        .withColumn(Features.CONTACT_GROUP, lit(null).cast(DataTypes.StringType))
        .withColumn(Features.RESPONDED, lit(null).cast(DataTypes.IntegerType));
  }

  /** Users of the users table and users seen in events, with their signup date if known. */
  static Dataset<Row> knownUsers(UserFeatures.Sources sources) {
    Dataset<Row> fromEvents = sources.events().select(col(Events.USER_ID)).distinct();
    if (sources.users().isEmpty()) {
      return fromEvents.withColumn(Users.SIGNUP_DATE, lit(null).cast(DataTypes.DateType));
    }
    Dataset<Row> users =
        sources
            .users()
            .get()
            .select(
                col(Users.USER_ID),
                optional(sources.users().get(), Users.SIGNUP_DATE)
                    .cast(DataTypes.DateType)
                    .as(Users.SIGNUP_DATE));
    return users.unionByName(
        fromEvents
            .join(users, Users.USER_ID, "left_anti")
            .withColumn(Users.SIGNUP_DATE, lit(null).cast(DataTypes.DateType)));
  }
}
