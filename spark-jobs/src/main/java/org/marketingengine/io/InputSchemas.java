package org.marketingengine.io;

import static org.marketingengine.io.ColumnSpec.key;
import static org.marketingengine.io.ColumnSpec.optional;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;

/** The explicit schemas of the six inputs of SPEC section 2. Extra columns are kept as text. */
public final class InputSchemas {
  private InputSchemas() {}

  public static final String EVENTS = "events";
  public static final String USERS = "users";
  public static final String ITEMS = "items";
  public static final String MARKET = "market";
  public static final String SOCIAL = "social";
  public static final String RESPONSES = "responses";

  public static final List<String> EVENT_TYPES = Events.TYPES;
  public static final List<String> INTERACTION_TYPES =
      List.of("like", "share", "comment", "follow", "mention");
  public static final List<String> GROUPS = List.of("treatment", "control");

  private static final ColumnType S = ColumnType.STRING;
  private static final ColumnType L = ColumnType.LONG;
  private static final ColumnType D = ColumnType.DOUBLE;
  private static final ColumnType B = ColumnType.BOOLEAN;
  private static final ColumnType TS = ColumnType.TIMESTAMP;

  public static final InputSchema EVENTS_SCHEMA =
      new InputSchema(
          EVENTS,
          true,
          List.of(
              optional(Events.EVENT_ID, S),
              key(Events.USER_ID, S),
              key(Events.ITEM_ID, S),
              key(Events.EVENT_TYPE, S).withAllowedValues(EVENT_TYPES.toArray(String[]::new)),
              key(Events.EVENT_TIME, TS).rejectingFuture(),
              optional(Events.QUANTITY, L).withRange(1.0, null),
              optional(Events.PRICE, D).withRange(0.0, null),
              optional(Events.RATING, D).withRange(1.0, 5.0),
              optional(Events.CHANNEL, S),
              optional(Events.SESSION_ID, S)));

  public static final InputSchema USERS_SCHEMA =
      new InputSchema(
          USERS,
          false,
          List.of(
              key(Users.USER_ID, S),
              optional(Users.AGE, D),
              optional(Users.INCOME, D),
              optional(Users.GENDER, S),
              optional(Users.REGION, S),
              optional(Users.SIGNUP_DATE, ColumnType.DATE),
              optional(Users.EMAIL_OPT_IN, B),
              optional(Users.SMS_OPT_IN, B),
              optional(Users.PUSH_OPT_IN, B)));

  public static final InputSchema ITEMS_SCHEMA =
      new InputSchema(
          ITEMS,
          false,
          List.of(
              key(Items.ITEM_ID, S),
              optional(Items.NAME, S),
              key(Items.CATEGORY, S),
              optional(Items.BRAND, S),
              optional(Items.PRICE, D).withRange(0.0, null),
              optional(Items.MARGIN_RATE, D).withRange(0.0, 1.0),
              optional(Items.IN_STOCK, B)));

  public static final InputSchema MARKET_SCHEMA =
      new InputSchema(
          MARKET,
          false,
          List.of(
              key(Market.DATE, ColumnType.DATE),
              key(Market.CATEGORY, S),
              optional(Market.REGION, S),
              optional(Market.TREND_INDEX, D).withRange(0.0, null),
              optional(Market.COMPETITOR_PRICE_INDEX, D).withRange(0.0, null),
              optional(Market.PROMO_INTENSITY, D).withRange(0.0, null)));

  public static final InputSchema SOCIAL_SCHEMA =
      new InputSchema(
          SOCIAL,
          false,
          List.of(
              key(Social.USER_ID, S),
              key(Social.PLATFORM, S),
              key(Social.INTERACTION_TYPE, S)
                  .withAllowedValues(INTERACTION_TYPES.toArray(String[]::new)),
              key(Social.EVENT_TIME, TS).rejectingFuture(),
              optional(Social.SENTIMENT, D).withRange(-1.0, 1.0),
              optional(Social.ITEM_ID, S),
              optional(Social.CATEGORY, S)));

  public static final InputSchema RESPONSES_SCHEMA =
      new InputSchema(
          RESPONSES,
          false,
          List.of(
              key(Responses.CAMPAIGN_ID, S),
              key(Responses.USER_ID, S),
              optional(Responses.OFFER, S),
              optional(Responses.CHANNEL, S),
              key(Responses.GROUP, S).withAllowedValues(GROUPS.toArray(String[]::new)),
              key(Responses.SENT_TIME, TS).rejectingFuture(),
              optional(Responses.OPENED, B),
              optional(Responses.CLICKED, B),
              key(Responses.CONVERTED, B),
              optional(Responses.REVENUE, D).withRange(0.0, null)));

  /** All inputs in the order the pipeline reads them. */
  public static final List<InputSchema> ALL =
      List.of(
          EVENTS_SCHEMA,
          USERS_SCHEMA,
          ITEMS_SCHEMA,
          MARKET_SCHEMA,
          SOCIAL_SCHEMA,
          RESPONSES_SCHEMA);

  private static final Map<String, InputSchema> BY_NAME =
      ALL.stream().collect(Collectors.toMap(InputSchema::name, Function.identity()));

  public static InputSchema byName(String name) {
    InputSchema schema = BY_NAME.get(name);
    if (schema == null) {
      throw new IllegalArgumentException("No input named '" + name + "'");
    }
    return schema;
  }
}
