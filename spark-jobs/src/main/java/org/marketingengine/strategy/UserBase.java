package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Recommendations;
import org.marketingengine.Columns.Strategy;
import org.marketingengine.config.StrategyConfig;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.io.Tables;
import org.marketingengine.stage.StageContext;

/**
 * One row per user with what every campaign's plan needs: the profile, consent per channel, the
 * channel to use, the usual order value, language and objective, the recommended items and their
 * names, the usual send time, and the contacts already made in the frequency-cap window.
 */
final class UserBase {
  static final String ORDER_VALUE = "order_value";
  static final String OBJECTIVE_RULE = "objective_rule";
  static final String ITEM_NAMES = "item_names";
  static final String USUAL_HOUR = "usual_hour";
  static final String USUAL_DOW = "usual_dow";
  static final String RECENT_CONTACTS = "recent_contacts";
  static final double DEFAULT_ORDER_VALUE = 50.0;

  private UserBase() {}

  static Dataset<Row> of(StageContext context, Dataset<Row> profiles) {
    StrategyConfig settings = context.config().strategy();
    Dataset<Row> users = withConsentColumns(profiles, context, settings);
    for (String channel : settings.channels().keySet()) {
      users =
          users.withColumn(
              StrategyRules.CONSENT_PREFIX + channel,
              StrategyRules.consent(users, settings, channel));
    }
    users = users.withColumn(StrategyRules.CONSENT_ANY, StrategyRules.anyConsent(settings));
    Row meanOrder =
        users
            .where(col(Features.FREQUENCY).gt(0))
            .agg(avg(col(Features.MONETARY).divide(col(Features.FREQUENCY))))
            .first();
    double defaultOrder = meanOrder.isNullAt(0) ? DEFAULT_ORDER_VALUE : meanOrder.getDouble(0);
    users =
        users
            .withColumn(Strategy.CHANNEL, StrategyRules.channel(settings))
            .withColumn(
                ORDER_VALUE,
                when(
                        col(Features.FREQUENCY).gt(0),
                        col(Features.MONETARY).divide(col(Features.FREQUENCY)))
                    .otherwise(lit(defaultOrder)))
            .withColumn(Strategy.LANGUAGE, StrategyRules.language(settings))
            .withColumn(Strategy.OBJECTIVE, StrategyRules.objective(settings))
            .withColumn(OBJECTIVE_RULE, StrategyRules.objectiveRule(settings));
    users = users.join(items(context, settings.items()), Features.USER_ID, "left");
    users = users.join(usualTimes(context), Features.USER_ID, "left");
    users = users.join(recentContacts(context), Features.USER_ID, "left");
    return users.withColumn(RECENT_CONTACTS, coalesce(col(RECENT_CONTACTS), lit(0L)));
  }

  /** The profiles with the users' consent columns (from silver/users, where present). */
  private static Dataset<Row> withConsentColumns(
      Dataset<Row> profiles, StageContext context, StrategyConfig settings) {
    Optional<Dataset<Row>> silverUsers = context.optional(Tables.silver(InputSchemas.USERS));
    if (silverUsers.isEmpty()) {
      return profiles;
    }
    List<String> have = Arrays.asList(silverUsers.get().columns());
    List<Column> select = new ArrayList<>(List.of(col(Features.USER_ID)));
    for (StrategyConfig.Channel c : settings.channels().values()) {
      c.consentColumn().filter(have::contains).ifPresent(name -> select.add(col(name)));
    }
    return profiles.join(
        silverUsers.get().select(select.toArray(Column[]::new)), Features.USER_ID, "left");
  }

  /** The user's top recommended item ids and names, in rank order. */
  private static Dataset<Row> items(StageContext context, int n) {
    Optional<Dataset<Row>> recs = context.optional(Tables.RECOMMENDATIONS);
    if (recs.isEmpty() || n == 0) {
      return context
          .spark()
          .createDataFrame(
              List.of(),
              new StructType()
                  .add(Features.USER_ID, "string")
                  .add(Strategy.ITEMS, "array<string>")
                  .add(ITEM_NAMES, "array<string>"));
    }
    Dataset<Row> names =
        context
            .optional(Tables.silver(InputSchemas.ITEMS))
            .map(
                i ->
                    i.select(
                        col(Items.ITEM_ID).as("_item"),
                        Arrays.asList(i.columns()).contains(Items.NAME)
                            ? col(Items.NAME).as("_name")
                            : lit(null).cast("string").as("_name")))
            .orElseGet(
                () ->
                    context
                        .spark()
                        .createDataFrame(
                            List.of(),
                            new StructType().add("_item", "string").add("_name", "string")));
    Column ranked =
        array_sort(
            collect_list(
                struct(
                    col(Recommendations.RANK),
                    col(Recommendations.ITEM_ID),
                    coalesce(col("_name"), col(Recommendations.ITEM_ID)).as("name"))));
    return recs.get()
        .where(col(Recommendations.RANK).leq(n))
        .join(names, col(Recommendations.ITEM_ID).equalTo(col("_item")), "left")
        .groupBy(Features.USER_ID)
        .agg(
            transform(ranked, s -> s.getField(Recommendations.ITEM_ID)).as(Strategy.ITEMS),
            transform(ranked, s -> s.getField("name")).as(ITEM_NAMES));
  }

  /** The hour of day and day of week with most of the user's events in the feature window. */
  private static Dataset<Row> usualTimes(StageContext context) {
    Optional<Dataset<Row>> events = context.optional(Tables.silver(InputSchemas.EVENTS));
    if (events.isEmpty()) {
      return context
          .spark()
          .createDataFrame(
              List.of(),
              new StructType()
                  .add(Features.USER_ID, "string")
                  .add(USUAL_HOUR, "int")
                  .add(USUAL_DOW, "int"));
    }
    Dataset<Row> recent =
        Interactions.window(
                events.get(), context.runDate(), context.config().features().featureDays())
            .select(
                col(Features.USER_ID),
                hour(col(Events.EVENT_TIME)).as("_hour"),
                dayofweek(col(Events.EVENT_TIME)).as("_dow"));
    return mostFrequent(recent, "_hour", USUAL_HOUR)
        .join(mostFrequent(recent, "_dow", USUAL_DOW), Features.USER_ID);
  }

  /** Per user the most frequent value of {@code column} (ties to the smallest). */
  private static Dataset<Row> mostFrequent(Dataset<Row> rows, String column, String as) {
    return rows.groupBy(Features.USER_ID, column)
        .count()
        .groupBy(Features.USER_ID)
        .agg(max_by(col(column), struct(col("count"), col(column).multiply(-1))).as(as));
  }

  /** Contacts of each user in the frequency-cap window, from earlier runs' strategy tables. */
  private static Dataset<Row> recentContacts(StageContext context) {
    LocalDate runDate = context.runDate();
    int days = context.config().strategy().capDays();
    List<LocalDate> earlier =
        context.tables().dates(Tables.USER_STRATEGY).stream()
            .filter(d -> d.isBefore(runDate) && !d.isBefore(runDate.minusDays(days)))
            .toList();
    if (earlier.isEmpty()) {
      return context
          .spark()
          .createDataFrame(
              List.of(),
              new StructType().add(Features.USER_ID, "string").add(RECENT_CONTACTS, "long"));
    }
    Dataset<Row> contacts =
        context
            .tables()
            .read(Tables.USER_STRATEGY, earlier)
            .where(col(Strategy.CONTACTED))
            .select(Features.USER_ID);
    return contacts.groupBy(Features.USER_ID).agg(count(lit(1)).as(RECENT_CONTACTS));
  }
}
