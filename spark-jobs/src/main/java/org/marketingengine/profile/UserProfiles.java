package org.marketingengine.profile;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.ProfileConfig;
import org.marketingengine.interactions.ContentVectors;
import org.marketingengine.io.InvalidInputException;

/**
 * The columns of a user profile, as functions of DataFrames: the profile's feature columns, main
 * and preferred channel, margin rate of the user's top category, and the content profile vector.
 */
final class UserProfiles {
  private UserProfiles() {}

  /** The feature columns a profile carries (and the cluster features), one row per user. */
  static Column[] columns(Dataset<Row> users, ProfileConfig settings) {
    List<String> wanted =
        new ArrayList<>(
            List.of(
                Features.USER_ID,
                Features.RECENCY_DAYS,
                Features.FREQUENCY,
                Features.MONETARY,
                Features.TENURE_DAYS,
                Features.TOP_CATEGORY,
                Features.CATEGORY_AFFINITY,
                Users.REGION,
                Profiles.MAIN_CHANNEL));
    for (String f : settings.clusterFeatures()) {
      if (!wanted.contains(f)) {
        wanted.add(f);
      }
    }
    List<String> have = new ArrayList<>(Arrays.asList(users.columns()));
    have.add(Profiles.MAIN_CHANNEL);
    List<Column> columns = new ArrayList<>();
    for (String name : wanted) {
      if (have.contains(name)) {
        columns.add(col(name));
      } else if (settings.clusterFeatures().contains(name)) {
        throw new InvalidInputException(
            "Cannot profile: cluster feature '"
                + name
                + "' (marketing.profile.clusters.features) is not a column of"
                + " features/user_features");
      } else {
        columns.add(lit(null).cast(DataTypes.StringType).as(name));
      }
    }
    return columns.toArray(Column[]::new);
  }

  /** The event channel with the largest share of the user's events; "unknown" without events. */
  static Column mainChannel(Dataset<Row> users, List<String> channels) {
    List<String> have = Arrays.asList(users.columns());
    Column best = lit("unknown");
    Column bestShare = lit(0.0);
    for (String c : channels) {
      String share = Features.CHANNEL_SHARE_PREFIX + c;
      if (have.contains(share)) {
        Column s = coalesce(col(share), lit(0.0));
        best = when(s.gt(bestShare), lit(c)).otherwise(best);
        bestShare = greatest(s, bestShare);
      }
    }
    return best;
  }

  /** Mean margin rate of the user's top category, else of the catalog, else the default. */
  static Dataset<Row> withMargin(
      Dataset<Row> profiles, Optional<Dataset<Row>> items, ProfileConfig settings) {
    if (items.isEmpty() || !Arrays.asList(items.get().columns()).contains(Items.MARGIN_RATE)) {
      return profiles.withColumn(Profiles.MARGIN_RATE, lit(settings.defaultMargin()));
    }
    Dataset<Row> byCategory =
        items
            .get()
            .groupBy(col(Items.CATEGORY).as(Features.TOP_CATEGORY))
            .agg(avg(col(Items.MARGIN_RATE)).as("_category_margin"));
    Row overall = items.get().agg(avg(col(Items.MARGIN_RATE))).first();
    double catalog = overall.isNullAt(0) ? settings.defaultMargin() : overall.getDouble(0);
    return profiles
        .join(byCategory, Features.TOP_CATEGORY, "left")
        .withColumn(Profiles.MARGIN_RATE, coalesce(col("_category_margin"), lit(catalog)))
        .drop("_category_margin");
  }

  /**
   * The contact channel with the best engagement (opened, clicked or converted; Laplace-smoothed
   * rate, ties to more contacts, then to the channel listed first in {@link
   * ProfileConfig#CONTACT_CHANNELS}, so the choice never depends on row order) in the user's
   * campaign history; without history, the channel configured for the user's main event channel.
   */
  static Dataset<Row> withPreferredChannel(
      Dataset<Row> profiles, Optional<Dataset<Row>> responses, ProfileConfig settings) {
    Column fallback = lit(settings.contactChannelByBehaviour().getOrDefault("unknown", "email"));
    for (Map.Entry<String, String> e : settings.contactChannelByBehaviour().entrySet()) {
      fallback =
          when(col(Profiles.MAIN_CHANNEL).equalTo(e.getKey()), lit(e.getValue()))
              .otherwise(fallback);
    }
    if (responses.isEmpty()) {
      return profiles.withColumn(Profiles.PREFERRED_CHANNEL, fallback);
    }
    Column engaged =
        coalesce(col(Responses.OPENED), lit(false))
            .or(coalesce(col(Responses.CLICKED), lit(false)))
            .or(coalesce(col(Responses.CONVERTED), lit(false)));
    Column listedFirst = lit(0);
    for (int i = 0; i < ProfileConfig.CONTACT_CHANNELS.size(); i++) {
      String channel = ProfileConfig.CONTACT_CHANNELS.get(i);
      listedFirst = when(col(Responses.CHANNEL).equalTo(channel), lit(-i)).otherwise(listedFirst);
    }
    Dataset<Row> byChannel =
        responses
            .get()
            .where(col(Responses.CHANNEL).isin(ProfileConfig.CONTACT_CHANNELS.toArray()))
            .groupBy(col(Responses.USER_ID), col(Responses.CHANNEL))
            .agg(count(lit(1)).as("_contacts"), sum(when(engaged, 1).otherwise(0)).as("_engaged"))
            .withColumn("_rate", col("_engaged").plus(1.0).divide(col("_contacts").plus(2.0)))
            .withColumn("_listed_first", listedFirst)
            .groupBy(col(Responses.USER_ID))
            .agg(
                max_by(
                        col(Responses.CHANNEL),
                        struct(col("_rate"), col("_contacts"), col("_listed_first")))
                    .as("_history_channel"));
    return profiles
        .join(byChannel, Features.USER_ID, "left")
        .withColumn(Profiles.PREFERRED_CHANNEL, coalesce(col("_history_channel"), fallback))
        .drop("_history_channel");
  }

  /**
   * {@code user_id, profile_vector}: the interaction-weighted mean of the content vectors of each
   * user's items; empty without interactions or item vectors.
   */
  static Dataset<Row> profileVectors(
      SparkSession spark, Optional<Dataset<Row>> interactions, Optional<Dataset<Row>> itemVectors) {
    if (interactions.isEmpty() || itemVectors.isEmpty()) {
      StructType schema =
          new StructType()
              .add(Features.USER_ID, DataTypes.StringType)
              .add(Profiles.PROFILE_VECTOR, new VectorUDT());
      return spark.createDataFrame(List.of(), schema);
    }
    return ContentVectors.users(interactions.get(), itemVectors.get());
  }
}
