package org.marketingengine.clean;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Events;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Responses;
import org.marketingengine.Columns.Social;
import org.marketingengine.Columns.Users;
import org.marketingengine.config.CleanConfig.MissingPolicy;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.InputSchemas;

/**
 * What the clean rules need to know about each input: the order inputs are cleaned in, keys,
 * categorical columns, amount columns, where personal data can live, and which reasons its rows can
 * be removed for.
 */
final class InputRules {
  private InputRules() {}

  /** Users and items first: events, social and responses are checked against them. */
  static final List<String> ORDER =
      List.of(
          InputSchemas.USERS,
          InputSchemas.ITEMS,
          InputSchemas.MARKET,
          InputSchemas.EVENTS,
          InputSchemas.SOCIAL,
          InputSchemas.RESPONSES);

  /**
   * {@link #ORDER} in two waves whose inputs are cleaned at the same time: events, social and
   * responses read silver users and items, so those come first.
   */
  static final List<List<String>> WAVES =
      List.of(
          List.of(InputSchemas.USERS, InputSchemas.ITEMS, InputSchemas.MARKET),
          List.of(InputSchemas.EVENTS, InputSchemas.SOCIAL, InputSchemas.RESPONSES));

  private static final Map<String, List<String>> KEYS =
      Map.of(
          InputSchemas.EVENTS, List.of(Events.EVENT_ID),
          InputSchemas.USERS, List.of(Users.USER_ID),
          InputSchemas.ITEMS, List.of(Items.ITEM_ID),
          InputSchemas.MARKET, List.of(Market.DATE, Market.CATEGORY, Market.REGION),
          InputSchemas.SOCIAL, List.of(),
          InputSchemas.RESPONSES, List.of(Responses.CAMPAIGN_ID, Responses.USER_ID));

  private static final Map<String, Set<String>> CATEGORICAL =
      Map.of(
          InputSchemas.EVENTS, Set.of(Events.EVENT_TYPE, Events.CHANNEL),
          InputSchemas.USERS, Set.of(Users.GENDER, Users.REGION),
          InputSchemas.ITEMS, Set.of(Items.CATEGORY, Items.BRAND),
          InputSchemas.MARKET, Set.of(Market.CATEGORY, Market.REGION),
          InputSchemas.SOCIAL, Set.of(Social.PLATFORM, Social.INTERACTION_TYPE, Social.CATEGORY),
          InputSchemas.RESPONSES, Set.of(Responses.OFFER, Responses.CHANNEL, Responses.GROUP));

  /** The key columns the rows have (empty: exact duplicates only). */
  static List<String> presentKey(Dataset<Row> rows, String input) {
    List<String> key = KEYS.get(input);
    List<String> present = Arrays.asList(rows.columns());
    if (input.equals(InputSchemas.MARKET) && !present.contains(Market.REGION)) {
      return List.of(Market.DATE, Market.CATEGORY);
    }
    return key.stream().allMatch(present::contains) ? key : List.of();
  }

  /**
   * The categorical columns to lower-case: SPEC's, and for users every extra text column that is
   * not personal (a company's own attributes).
   */
  static Set<String> categorical(Dataset<Row> rows, String input, List<String> personal) {
    Set<String> categorical = new LinkedHashSet<>(CATEGORICAL.get(input));
    if (input.equals(InputSchemas.USERS)) {
      Set<String> spec = new LinkedHashSet<>();
      for (ColumnSpec c : InputSchemas.byName(input).columns()) {
        spec.add(c.name());
      }
      Arrays.stream(rows.schema().fields())
          .filter(f -> f.dataType().equals(DataTypes.StringType))
          .map(f -> f.name())
          .filter(name -> !spec.contains(name) && !personal.contains(name))
          .forEach(categorical::add);
    }
    return categorical;
  }

  /** The money columns of an input, converted to the base currency. */
  static List<String> amountColumns(String input) {
    return switch (input) {
      case InputSchemas.EVENTS -> List.of(Events.PRICE);
      case InputSchemas.ITEMS -> List.of(Items.PRICE);
      case InputSchemas.RESPONSES -> List.of(Responses.REVENUE);
      default -> List.of();
    };
  }

  /** Every reason the rules of this input can give, for counting. */
  static List<String> possibleReasons(String input, Map<String, MissingPolicy> missing) {
    List<String> reasons = new ArrayList<>();
    reasons.add(CleanRules.DUPLICATE);
    if (!amountColumns(input).isEmpty()) {
      reasons.add(CleanRules.UNKNOWN_CURRENCY);
    }
    missing.forEach(
        (column, policy) -> {
          if (policy.kind() == MissingPolicy.Kind.DROP) {
            reasons.add(CleanRules.MISSING_VALUE + ":" + column);
          }
        });
    switch (input) {
      case InputSchemas.USERS -> {
        reasons.add(CleanRules.AGE_OUT_OF_RANGE);
        reasons.add(CleanRules.NEGATIVE_INCOME);
      }
      case InputSchemas.ITEMS -> reasons.add(CleanRules.PRICE_OUTLIER);
      case InputSchemas.EVENTS ->
          reasons.addAll(
              List.of(
                  CleanRules.PRICE_OUTLIER,
                  CleanRules.BOT,
                  CleanRules.UNKNOWN_USER,
                  CleanRules.UNKNOWN_ITEM));
      case InputSchemas.SOCIAL, InputSchemas.RESPONSES -> reasons.add(CleanRules.UNKNOWN_USER);
      default -> {}
    }
    return reasons;
  }
}
