package org.marketingengine.features;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.features.FeatureExpressions.LABEL_START;
import static org.marketingengine.features.FeatureExpressions.optional;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.FeaturesConfig;

/** User attributes as of each anchor's window, and the labels of training anchors. */
final class UserAttributes {
  private UserAttributes() {}

  /** User attributes as of the window: SPEC attributes, tenure, indicators and extra columns. */
  static Dataset<Row> attributes(
      Dataset<Row> rows, Optional<Dataset<Row>> users, FeaturesConfig config) {
    List<String> numeric = new ArrayList<>(List.of(Users.AGE, Users.INCOME));
    List<String> categorical = new ArrayList<>(List.of(Users.GENDER, Users.REGION));
    List<String> flags = List.of(Users.EMAIL_OPT_IN, Users.SMS_OPT_IN, Users.PUSH_OPT_IN);
    List<String> indicators = List.of(Users.AGE + "_is_missing", Users.INCOME + "_is_missing");
    if (users.isEmpty()) {
      Dataset<Row> result = rows;
      for (String c : numeric) {
        result = result.withColumn(c, lit(null).cast(DataTypes.DoubleType));
      }
      for (String c : categorical) {
        result = result.withColumn(c, lit(null).cast(DataTypes.StringType));
      }
      for (String c : flags) {
        result = result.withColumn(c, lit(null).cast(DataTypes.BooleanType));
      }
      for (String c : indicators) {
        result = result.withColumn(c, lit(0));
      }
      for (String c : config.extraNumeric()) {
        result = result.withColumn(c, lit(null).cast(DataTypes.DoubleType));
      }
      for (String c : config.extraCategorical()) {
        result = result.withColumn(c, lit(null).cast(DataTypes.StringType));
      }
      return result.withColumn(Features.TENURE_DAYS, lit(null).cast(DataTypes.IntegerType));
    }
    Dataset<Row> u = users.get();
    List<Column> selected = new ArrayList<>();
    selected.add(col(Users.USER_ID).as("_a_user"));
    for (String c : numeric) {
      selected.add(optional(u, c).cast(DataTypes.DoubleType).as(c));
    }
    for (String c : categorical) {
      selected.add(optional(u, c).cast(DataTypes.StringType).as(c));
    }
    for (String c : flags) {
      selected.add(optional(u, c).cast(DataTypes.BooleanType).as(c));
    }
    for (String c : indicators) {
      selected.add(coalesce(optional(u, c).cast(DataTypes.IntegerType), lit(0)).as(c));
    }
    for (String c : config.extraNumeric()) {
      selected.add(col(c).try_cast(DataTypes.DoubleType).as(c));
    }
    for (String c : config.extraCategorical()) {
      selected.add(col(c).cast(DataTypes.StringType).as(c));
    }
    selected.add(optional(u, Users.SIGNUP_DATE).cast(DataTypes.DateType).as("_signup"));
    Dataset<Row> attributes = u.select(selected.toArray(Column[]::new));
    Dataset<Row> joined =
        rows.join(attributes, col(Features.USER_ID).equalTo(col("_a_user")), "left");
    for (String c : indicators) {
      joined = joined.withColumn(c, coalesce(col(c), lit(0)));
    }
    return joined
        .withColumn(
            Features.TENURE_DAYS, datediff(to_date(col(Features.WINDOW_END)), col("_signup")))
        .drop("_a_user", "_signup");
  }

  /** For training anchors: any purchase, and spend, in the label window. */
  static Dataset<Row> labels(Dataset<Row> events, Dataset<Row> anchors) {
    Dataset<Row> training =
        anchors
            .where(col(Features.PURPOSE).equalTo(UserFeatures.TRAINING))
            .select(
                col(Features.ANCHOR_ID),
                col(Features.USER_ID).as("_anchor_user"),
                col(Features.WINDOW_END).as(LABEL_START),
                col(Features.LABEL_END));
    Column time = col(Events.EVENT_TIME);
    Column purchase = col(Events.EVENT_TYPE).equalTo("purchase");
    Column amount =
        coalesce(col(Events.PRICE), lit(0.0)).multiply(coalesce(col(Events.QUANTITY), lit(1L)));
    return events
        .join(training, col(Events.USER_ID).equalTo(col("_anchor_user")))
        .where(time.geq(col(LABEL_START)).and(time.lt(col(Features.LABEL_END))))
        .groupBy(col(Features.ANCHOR_ID))
        .agg(
            max(when(purchase, 1).otherwise(0)).as(Features.PURCHASED),
            sum(when(purchase, amount).otherwise(0.0)).as(Features.SPEND));
  }
}
