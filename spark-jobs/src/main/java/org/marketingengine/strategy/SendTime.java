package org.marketingengine.strategy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_timestamp;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.year;

import java.time.DayOfWeek;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.marketingengine.config.StrategyConfig;

/**
 * When to send: on the first day from the campaign's start that falls on the user's usual day of
 * the week, at the user's usual hour (UTC); without activity, on the start day at the default hour.
 */
final class SendTime {
  private SendTime() {}

  /** Spark's {@code dayofweek}: 1 = Sunday ... 7 = Saturday. */
  private static int sparkDayOfWeek(DayOfWeek day) {
    return day.getValue() % 7 + 1;
  }

  static Column sendAt(StrategyConfig settings, LocalDate start) {
    Column sendDow = coalesce(col(UserBase.USUAL_DOW), lit(sparkDayOfWeek(DayOfWeek.from(start))));
    Column sendHour = coalesce(col(UserBase.USUAL_HOUR), lit(settings.defaultSendHour()));
    Column startDow = lit(sparkDayOfWeek(start.getDayOfWeek()));
    Column sendDate =
        date_add(
            lit(java.sql.Date.valueOf(start)), pmod(sendDow.minus(startDow), lit(7)).cast("int"));
    return make_timestamp(
        year(sendDate),
        month(sendDate),
        dayofmonth(sendDate),
        sendHour,
        lit(0),
        lit(0),
        lit("UTC"));
  }
}
