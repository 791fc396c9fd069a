package org.marketingengine;

/** Every column name the jobs read or write, grouped by table (SPEC section 2 and 3). */
public final class Columns {
  private Columns() {}

  /**
   * A reference to a column by its exact name, also when the name holds dots, spaces or backticks
   * (source files bring such names).
   */
  public static org.apache.spark.sql.Column quoted(String name) {
    return org.apache.spark.sql.functions.col("`" + name.replace("`", "``") + "`");
  }

  /** Partition column of every output table. */
  public static final String RUN_DATE = "run_date";

  /** Behavioural events. */
  public static final class Events {
    private Events() {}

    public static final String EVENT_ID = "event_id";
    public static final String USER_ID = "user_id";
    public static final String ITEM_ID = "item_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String EVENT_TIME = "event_time";
    public static final String QUANTITY = "quantity";
    public static final String PRICE = "price";
    public static final String RATING = "rating";
    public static final String CHANNEL = "channel";
    public static final String SESSION_ID = "session_id";

    /** The event types of SPEC section 2, in funnel order. */
    public static final java.util.List<String> TYPES =
        java.util.List.of("view", "click", "cart", "favorite", "purchase", "review");
  }

  /** User attributes. */
  public static final class Users {
    private Users() {}

    public static final String USER_ID = "user_id";
    public static final String AGE = "age";
    public static final String INCOME = "income";
    public static final String GENDER = "gender";
    public static final String REGION = "region";
    public static final String SIGNUP_DATE = "signup_date";
    public static final String EMAIL_OPT_IN = "email_opt_in";
    public static final String SMS_OPT_IN = "sms_opt_in";
    public static final String PUSH_OPT_IN = "push_opt_in";
  }

  /** Product catalog. */
  public static final class Items {
    private Items() {}

    public static final String ITEM_ID = "item_id";
    public static final String NAME = "name";
    public static final String CATEGORY = "category";
    public static final String BRAND = "brand";
    public static final String PRICE = "price";
    public static final String MARGIN_RATE = "margin_rate";
    public static final String IN_STOCK = "in_stock";
  }

  /** Market environment per date and category. */
  public static final class Market {
    private Market() {}

    public static final String DATE = "date";
    public static final String CATEGORY = "category";
    public static final String REGION = "region";
    public static final String TREND_INDEX = "trend_index";
    public static final String COMPETITOR_PRICE_INDEX = "competitor_price_index";
    public static final String PROMO_INTENSITY = "promo_intensity";
  }

  /** Social-media interactions. */
  public static final class Social {
    private Social() {}

    public static final String USER_ID = "user_id";
    public static final String PLATFORM = "platform";
    public static final String INTERACTION_TYPE = "interaction_type";
    public static final String EVENT_TIME = "event_time";
    public static final String SENTIMENT = "sentiment";
    public static final String ITEM_ID = "item_id";
    public static final String CATEGORY = "category";
  }

  /** Campaign responses. */
  public static final class Responses {
    private Responses() {}

    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String USER_ID = "user_id";
    public static final String OFFER = "offer";
    public static final String CHANNEL = "channel";
    public static final String GROUP = "group";
    public static final String SENT_TIME = "sent_time";
    public static final String OPENED = "opened";
    public static final String CLICKED = "clicked";
    public static final String CONVERTED = "converted";
    public static final String REVENUE = "revenue";
  }

  /** {@code features/user_features}: one row per user and purpose (and campaign contact). */
  public static final class Features {
    private Features() {}

    /** Identity of a row: purpose, campaign and user. */
    public static final String ANCHOR_ID = "anchor_id";

    public static final String USER_ID = "user_id";

    /** training (labelled), scoring (features up to the run date), response (per contact). */
    public static final String PURPOSE = "purpose";

    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";
    public static final String LABEL_END = "label_end";

    public static final String RECENCY_DAYS = "recency_days";
    public static final String FREQUENCY = "frequency";
    public static final String MONETARY = "monetary";
    public static final String EVENTS = "n_events";
    public static final String AVG_ORDER_VALUE = "avg_order_value";
    public static final String VIEW_TO_PURCHASE = "view_to_purchase";
    public static final String DAYS_ACTIVE = "days_active";
    public static final String DISTINCT_ITEMS = "distinct_items";
    public static final String DISTINCT_CATEGORIES = "distinct_categories";
    public static final String ACTIVITY_TREND = "activity_trend";
    public static final String AVG_RATING = "avg_rating";
    public static final String CATEGORY_AFFINITY = "category_affinity";
    public static final String TOP_CATEGORY = "top_category";
    public static final String SOCIAL_INTERACTIONS = "n_social";
    public static final String SENTIMENT = "mean_sentiment";
    public static final String SOCIAL_TOP_CATEGORY_SHARE = "social_top_category_share";
    public static final String MARKET_TREND = "market_trend";
    public static final String MARKET_COMPETITOR_PRICE = "market_competitor_price";
    public static final String MARKET_PROMO = "market_promo";
    public static final String TENURE_DAYS = "tenure_days";

    /** Contact of a response row: what was offered, how, and to which group. */
    public static final String OFFER = "offer";

    public static final String CONTACT_CHANNEL = "contact_channel";
    public static final String CONTACT_GROUP = "contact_group";

    /** Labels. */
    public static final String PURCHASED = "purchased";

    public static final String SPEND = "spend";
    public static final String RESPONDED = "responded";

    /** Prefixes of per-type, per-channel and per-platform columns. */
    public static final String COUNT_PREFIX = "n_";

    public static final String RATE_PREFIX = "rate_";
    public static final String CHANNEL_SHARE_PREFIX = "share_";
    public static final String SOCIAL_PREFIX = "social_";
  }

  /** {@code scores/user_scores}: the champions' scores of each user. */
  public static final class Scores {
    private Scores() {}

    public static final String PURCHASE_PROPENSITY = "purchase_propensity";
    public static final String RESPONSE_PROPENSITY = "response_propensity";
    public static final String PREDICTED_SPEND = "predicted_spend";
    public static final String TOP_DRIVERS = "top_drivers";
    public static final String MODEL_DATE = "model_date";
  }

  /** {@code profiles/user_profiles}: one row per user (besides the features and scores). */
  public static final class Profiles {
    private Profiles() {}

    public static final String MARGIN_RATE = "margin_rate";
    public static final String EXPECTED_VALUE = "expected_value";
    public static final String MAIN_CHANNEL = "main_channel";
    public static final String PREFERRED_CHANNEL = "preferred_channel";
    public static final String R_SCORE = "r_score";
    public static final String F_SCORE = "f_score";
    public static final String M_SCORE = "m_score";
    public static final String RFM_SEGMENT = "rfm_segment";
    public static final String CLUSTER = "cluster";
    public static final String CLUSTER_TRAITS = "cluster_traits";
    public static final String PROFILE_VECTOR = "profile_vector";
  }

  /** {@code features/item_vectors}: the catalog's content vectors. */
  public static final class ItemVectors {
    private ItemVectors() {}

    public static final String ITEM_ID = "item_id";
    public static final String CATEGORY = "category";
    public static final String POPULARITY = "popularity";
    public static final String TREND = "trend";
    public static final String CONTENT_VECTOR = "content_vector";
  }

  /** {@code recommendations/user_recommendations}: top-N items per user. */
  public static final class Recommendations {
    private Recommendations() {}

    public static final String USER_ID = "user_id";
    public static final String RANK = "rank";
    public static final String ITEM_ID = "item_id";
    public static final String CATEGORY = "category";
    public static final String SCORE = "score";
    public static final String ALS_SCORE = "als_score";
    public static final String CONTENT_SCORE = "content_score";
    public static final String ITEM_SCORE = "item_score";
    public static final String REASON = "reason";
  }

  /** {@code strategy/user_strategy}: one row per user and campaign. */
  public static final class Strategy {
    private Strategy() {}

    public static final String STRATEGY_ID = "strategy_id";
    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String GOAL = "goal";
    public static final String USER_ID = "user_id";
    public static final String SEGMENT = "segment";
    public static final String OBJECTIVE = "objective";
    public static final String OFFER = "offer";
    public static final String PLANNED_OFFER = "planned_offer";
    public static final String CHANNEL = "channel";
    public static final String CONTACTED = "contacted";
    public static final String GROUP = "group";
    public static final String ITEMS = "items";
    public static final String LANGUAGE = "language";
    public static final String MESSAGE = "message";
    public static final String P_RESPONSE_NO_OFFER = "p_response_no_offer";
    public static final String P_RESPONSE_OFFER = "p_response_offer";
    public static final String EXPECTED_VALUE = "expected_value";
    public static final String EXPECTED_COST = "expected_cost";
    public static final String EXPECTED_PROFIT = "expected_profit";
    public static final String PRIORITY = "priority";
    public static final String SEND_AT = "send_at";
    public static final String REASON = "reason";
  }

  /** {@code feedback/offer_priors}: shrunk response rates per offer and segment. */
  public static final class Priors {
    private Priors() {}

    public static final String OFFER = "offer";
    public static final String SEGMENT = "segment";
    public static final String TREATMENT_CONTACTS = "treatment_contacts";
    public static final String CONVERSIONS = "conversions";
    public static final String OBSERVED_RATE = "observed_rate";
    public static final String RESPONSE_RATE = "response_rate";
    public static final String UPLIFT = "uplift";
  }

  /** Rows rejected by a stage, in {@code quarantine/<input>}. */
  public static final class Quarantine {
    private Quarantine() {}

    /** The source row as JSON of its original columns, or the raw line when it was malformed. */
    public static final String RAW_RECORD = "raw_record";

    /** Why the row was rejected, e.g. {@code wrong_type:price}. */
    public static final String REASON = "reason";

    /** The file the row came from (for rows removed by clean: the bronze table). */
    public static final String SOURCE_FILE = "source_file";

    /** The stage that removed the row: ingest or clean. */
    public static final String STAGE = "stage";
  }
}
