package org.marketingengine.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.config.ProfileConfig;
import org.marketingengine.stage.SessionSetting;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class UserProfilesTest {
  private static final ProfileConfig SETTINGS =
      new ProfileConfig(
          30, List.of("frequency"), 2, 3, 1000, 7L, 1.0, Map.of("web", "email", "app", "push"));

  @Test
  void preferredChannelIsTheBestEngagedThenTheMostContactedThenTheFirstListed(SparkSession spark) {
    List<Row> responses = new ArrayList<>();
    // "tie": one unanswered sms and one unanswered push, the same rate and contacts: sms is
    // listed before push, whatever order the rows come in.
    responses.add(response("tie", "push", false));
    responses.add(response("tie", "sms", false));
    // "rate": push answered once in one contact beats two unanswered emails.
    responses.add(response("rate", "email", false));
    responses.add(response("rate", "email", false));
    responses.add(response("rate", "push", true));
    // "contacts": sms 1 of 2 and in_app 2 of 4 both smooth to 1/2: in_app, contacted more, wins
    // although sms is listed first.
    responses.add(response("contacts", "sms", true));
    responses.add(response("contacts", "sms", false));
    for (int i = 0; i < 4; i++) {
      responses.add(response("contacts", "in_app", i < 2));
    }

    // The rows meet in another order with each number of partitions.
    for (int partitions = 1; partitions <= 6; partitions++) {
      for (List<Row> order : List.of(responses, reversed(responses))) {
        int n = partitions;
        Map<String, String> chosen =
            SessionSetting.replacing(
                spark,
                "spark.sql.shuffle.partitions",
                String.valueOf(n),
                () -> preferred(spark, order, n));
        assertThat(chosen)
            .as("%d partitions", n)
            .containsEntry("tie", "sms")
            .containsEntry("rate", "push")
            .containsEntry("contacts", "in_app")
            .containsEntry("no_history_app", "push")
            .containsEntry("no_history_store", "email");
      }
    }
  }

  private static Map<String, String> preferred(
      SparkSession spark, List<Row> responses, int partitions) {
    StructType profileSchema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("main_channel", DataTypes.StringType);
    Dataset<Row> profiles =
        spark.createDataFrame(
            List.of(
                RowFactory.create("tie", "web"),
                RowFactory.create("rate", "web"),
                RowFactory.create("contacts", "web"),
                RowFactory.create("no_history_app", "app"),
                RowFactory.create("no_history_store", "store")),
            profileSchema);
    StructType responseSchema =
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("channel", DataTypes.StringType)
            .add("opened", DataTypes.BooleanType)
            .add("clicked", DataTypes.BooleanType)
            .add("converted", DataTypes.BooleanType);
    Dataset<Row> rows = spark.createDataFrame(responses, responseSchema).repartition(partitions);
    return UserProfiles.withPreferredChannel(profiles, Optional.of(rows), SETTINGS)
        .collectAsList()
        .stream()
        .collect(
            Collectors.toMap(
                r -> r.<String>getAs("user_id"), r -> r.<String>getAs("preferred_channel")));
  }

  private static Row response(String user, String channel, boolean opened) {
    return RowFactory.create(user, channel, opened, null, false);
  }

  private static List<Row> reversed(List<Row> rows) {
    List<Row> copy = new ArrayList<>(rows);
    Collections.reverse(copy);
    return copy;
  }
}
