package org.marketingengine.recommend;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.marketingengine.Columns.Items;
import org.marketingengine.Columns.Recommendations;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.interactions.ContentVectors;
import org.marketingengine.interactions.Interactions;

/**
 * The recommender: implicit-feedback ALS blended with the cosine of user and item content vectors
 * and with an item-to-item model ({@link ItemNeighbours}), scored on a candidate set per user (ALS
 * top candidates, the item model's best, popular items of the user's top categories, of the user's
 * segment, and trending ones) so that the cost grows with users x candidates, not users x catalog.
 */
public final class Recommender {
  public static final String USER_ID = Recommendations.USER_ID;
  public static final String ITEM_ID = Recommendations.ITEM_ID;
  public static final String SEGMENT = "segment";
  public static final String ALS_SCORE = Recommendations.ALS_SCORE;
  public static final String CONTENT_SCORE = Recommendations.CONTENT_SCORE;
  public static final String ITEM_SCORE = Recommendations.ITEM_SCORE;
  public static final String SCORE = Recommendations.SCORE;
  public static final String RANK = Recommendations.RANK;
  public static final String REASON = Recommendations.REASON;
  public static final String SOURCE = "source";
  static final String PRIOR = "prior";
  static final String IN_STOCK = "in_stock";

  /**
   * ALS blocks of users and of items. Fixed rather than taken from the cluster's parallelism: the
   * factors are initialised per block, so the same data gives the same model locally and on any
   * cluster.
   */
  static final int ALS_BLOCKS = 10;

  /** Catalogs up to this many items are broadcast to the candidates when scoring them. */
  static final long BROADCAST_ITEMS = 200_000;

  /** Scores are rounded to this many decimals before ranking, so that ties and reruns agree. */
  static final int SCORE_DECIMALS = 6;

  /** Where a candidate came from, in order of priority when several sources propose it. */
  static final List<String> SOURCES =
      List.of(
          "similar_users", "similar_items", "category_affinity", "popular_in_segment", "trending");

  private Recommender() {}

  /**
   * A fitted recommender: the ALS model with its id maps, the catalog's content vectors (with
   * {@code prior}: log-popularity over the maximum, and {@code in_stock}), the users' profile
   * vectors, the interactions it was fit on, and the item model's neighbours with the histories
   * they are applied to (when there is an item model).
   */
  public record Model(
      ALSModel als,
      Dataset<Row> userIndex,
      Dataset<Row> itemIndex,
      Dataset<Row> items,
      Dataset<Row> userVectors,
      Dataset<Row> interactions,
      List<String> categories,
      Optional<ItemModel> itemModel) {

    /** Releases what {@link #fit} cached. */
    void unpersist() {
      userIndex.unpersist();
      itemIndex.unpersist();
      items.unpersist();
      userVectors.unpersist();
      itemModel.ifPresent(m -> m.neighbours().unpersist());
    }
  }

  /**
   * The item model: the neighbours of each item ({@link ItemNeighbours}) and each user's history
   * they are summed over, with the candidates it adds per user.
   */
  public record ItemModel(Dataset<Row> neighbours, Dataset<Row> histories, int candidates) {}

  /** How a list is ranked: the blend weights and the category cap (the diversity step). */
  public record Ranking(double blendWeight, double itemWeight, int maxPerCategory) {

    /** The configured ranking of {@code settings}. */
    public static Ranking of(RecommendConfig settings) {
      return new Ranking(settings.blendWeight(), settings.itemWeight(), settings.maxPerCategory());
    }
  }

  /**
   * The content side of the recommender: the catalog's content vectors ({@code
   * features/item_vectors}), the users' profile vectors ({@code user_id, profile_vector}) and the
   * catalog (for stock).
   */
  public record Content(Dataset<Row> itemVectors, Dataset<Row> userVectors, Dataset<Row> catalog) {

    /** Computes both sides from interactions, as the features and profile stages do for a date. */
    public static Content of(
        Dataset<Row> interactions,
        Dataset<Row> catalog,
        Optional<Dataset<Row>> market,
        List<String> categories,
        int brandBuckets,
        LocalDate end) {
      Dataset<Row> vectors =
          ContentVectors.items(catalog, interactions, market, categories, brandBuckets, end);
      return new Content(vectors, ContentVectors.users(interactions, vectors), catalog);
    }
  }

  /**
   * Fits ALS and the item model ({@code itemModel}, none for its kind {@code NONE}) on the
   * interactions and joins the content side into a model.
   */
  public static Model fit(
      Dataset<Row> interactions,
      Content content,
      List<String> categories,
      RecommendConfig.Als settings,
      RecommendConfig.ItemModel itemModel) {
    Dataset<Row> userIndex = IdIndex.build(interactions, USER_ID).cache();
    Dataset<Row> itemIndex = IdIndex.build(interactions, ITEM_ID).cache();
    Dataset<Row> ratings =
        interactions
            .join(userIndex, USER_ID)
            .withColumnRenamed(IdIndex.INDEX, "u")
            .join(itemIndex, ITEM_ID)
            .withColumnRenamed(IdIndex.INDEX, "i")
            .select(col("u"), col("i"), col(Interactions.WEIGHT).cast("float").as("r"))
            .repartition(ALS_BLOCKS, col("u"))
            .sortWithinPartitions("u", "i");
    ALSModel als =
        new ALS()
            .setImplicitPrefs(true)
            .setRank(settings.rank())
            .setRegParam(settings.regParam())
            .setAlpha(settings.alpha())
            .setMaxIter(settings.maxIter())
            .setSeed(settings.seed())
            .setNonnegative(false)
            .setUserCol("u")
            .setItemCol("i")
            .setRatingCol("r")
            .setColdStartStrategy("drop")
            .setNumUserBlocks(ALS_BLOCKS)
            .setNumItemBlocks(ALS_BLOCKS)
            .fit(ratings);
    Dataset<Row> vectors = content.itemVectors();
    Dataset<Row> catalog = content.catalog();
    Row maxRow = vectors.agg(max(log1p(col(ContentVectors.POPULARITY)))).first();
    double maxLog = maxRow.isNullAt(0) ? 0 : maxRow.getDouble(0);
    Column inStock =
        Arrays.asList(catalog.columns()).contains(Items.IN_STOCK)
            ? coalesce(col(Items.IN_STOCK).cast("boolean"), lit(true))
            : lit(true);
    Dataset<Row> items =
        vectors
            .join(catalog.select(col(Items.ITEM_ID), inStock.as(IN_STOCK)), Items.ITEM_ID)
            .withColumn(
                PRIOR, maxLog > 0 ? log1p(col(ContentVectors.POPULARITY)).divide(maxLog) : lit(0.0))
            .cache();
    Optional<ItemModel> neighbours =
        ItemNeighbours.fit(interactions, itemModel)
            .map(
                n ->
                    new ItemModel(
                        n,
                        ItemNeighbours.histories(interactions, itemModel.maxItemsPerUser()),
                        itemModel.candidates()));
    return new Model(
        als,
        userIndex,
        itemIndex,
        items,
        content.userVectors().cache(),
        interactions,
        categories,
        neighbours);
  }

  /**
   * Candidate (user, item, source) pairs for {@code users} ({@code user_id}, {@code segment}); see
   * {@link Candidates}.
   */
  public static Dataset<Row> candidates(Model model, Dataset<Row> users, RecommendConfig config) {
    return Candidates.of(model, users, config);
  }

  /**
   * Scores the candidates: {@code als_score} (dot product of the ALS factors, 0 for a user or item
   * ALS does not know), {@code content_score} (cosine of profile and content vector, 0 without a
   * profile vector), {@code item_score} (the item model's, from the candidates), with the item's
   * category, prior and stock.
   */
  public static Dataset<Row> score(Model model, Dataset<Row> candidates) {
    Dataset<Row> userFactors =
        model
            .userIndex()
            .join(model.als().userFactors().withColumnRenamed("id", IdIndex.INDEX), IdIndex.INDEX)
            .select(col(USER_ID), array_to_vector(col("features")).as("_uf"));
    Dataset<Row> itemFactors =
        model
            .itemIndex()
            .join(model.als().itemFactors().withColumnRenamed("id", IdIndex.INDEX), IdIndex.INDEX)
            .select(col(ITEM_ID), array_to_vector(col("features")).as("_if"));
    // Each side once: the candidates (partitioned by user) meet one row per user, sorted by user
    // while still narrow, then the broadcast catalog; the pairs are shuffled once and carry no
    // vector past the scores.
    Dataset<Row> users = model.userVectors().join(userFactors, USER_ID, "full_outer");
    Dataset<Row> items =
        model
            .items()
            .select(ITEM_ID, Items.CATEGORY, ContentVectors.CONTENT_VECTOR, PRIOR, IN_STOCK)
            .join(itemFactors, ITEM_ID, "left");
    return candidates
        .join(users, USER_ID, "left")
        .join(model.items().count() <= BROADCAST_ITEMS ? broadcast(items) : items, ITEM_ID)
        .withColumn(
            ALS_SCORE, round(CandidateScores.DOT.apply(col("_uf"), col("_if")), SCORE_DECIMALS))
        .withColumn(
            CONTENT_SCORE,
            round(
                ContentVectors.COSINE.apply(
                    col(ContentVectors.PROFILE_VECTOR), col(ContentVectors.CONTENT_VECTOR)),
                SCORE_DECIMALS))
        .withColumn(ITEM_SCORE, round(col(ITEM_SCORE), SCORE_DECIMALS))
        .drop("_uf", "_if", ContentVectors.PROFILE_VECTOR, ContentVectors.CONTENT_VECTOR);
  }

  /**
   * The top {@code n} per user by the blend {@code (1 - v) x (w x ALS / user's max ALS + (1 - w) x
   * content) + v x item score / user's max item score} (plus 0.001 x prior to break ties toward
   * popular items; for a cold user the prior alone orders the fallback candidates), with {@code w}
   * and {@code v} the ranking's blend and item weights, after removing {@code exclusions} ({@code
   * user_id, item_id}) and out-of-stock items, and keeping at most the ranking's cap per category.
   */
  public static Dataset<Row> rank(
      Dataset<Row> scored, Dataset<Row> exclusions, Ranking ranking, int n) {
    return rank(
        eligible(scored, exclusions),
        lit(ranking.blendWeight()),
        lit(ranking.itemWeight()),
        lit(ranking.maxPerCategory()),
        n,
        List.of());
  }

  /**
   * The scored candidates that may be recommended (in stock, not in {@code exclusions}), with the
   * ALS and item scores over the user's highest ({@code _als_norm}, {@code _item_norm}): what every
   * ranking of them shares.
   */
  static Dataset<Row> eligible(Dataset<Row> scored, Dataset<Row> exclusions) {
    // One set of exclusions per user, joined on the user alone: the scored pairs stay partitioned
    // by user for the per-user windows that follow instead of being shuffled by pair and back.
    Dataset<Row> excluded =
        exclusions.groupBy(col(USER_ID)).agg(collect_set(col(ITEM_ID)).as("_excluded"));
    return scored
        .where(col(IN_STOCK))
        .join(excluded, USER_ID, "left")
        .where(coalesce(not(array_contains(col("_excluded"), col(ITEM_ID))), lit(true)))
        .drop("_excluded")
        .withColumn("_als_norm", perUserMax(ALS_SCORE))
        .withColumn("_item_norm", perUserMax(ITEM_SCORE));
  }

  /**
   * As {@link #rank(Dataset, Dataset, Ranking, int)} on {@link #eligible} candidates, the blend
   * weight, item weight and category cap read from columns and one list per user and value of each
   * of {@code keys} (columns of {@code eligible}, kept in the output): {@code tune-recs} ranks
   * every variant of a fit in one pass.
   */
  static Dataset<Row> rank(
      Dataset<Row> eligible, Column w, Column v, Column maxPerCategory, int n, List<String> keys) {
    List<Column> byUser = new ArrayList<>();
    keys.forEach(k -> byUser.add(col(k)));
    byUser.add(col(USER_ID));
    List<Column> byCategory = new ArrayList<>(byUser);
    byCategory.add(col(Items.CATEGORY));
    Column rest = lit(1.0).minus(v);
    Dataset<Row> kept =
        eligible
            .withColumn("_als", col("_als_norm").multiply(w).multiply(rest))
            .withColumn("_content", col(CONTENT_SCORE).multiply(lit(1.0).minus(w)).multiply(rest))
            .withColumn("_item", col("_item_norm").multiply(v))
            .withColumn(
                SCORE,
                round(
                    col("_als")
                        .plus(col("_content"))
                        .plus(col("_item"))
                        .plus(col(PRIOR).multiply(0.001)),
                    SCORE_DECIMALS));
    Dataset<Row> capped =
        kept.withColumn(
                "_in_category",
                row_number()
                    .over(
                        Window.partitionBy(byCategory.toArray(Column[]::new))
                            .orderBy(col(SCORE).desc(), col(ITEM_ID))))
            .where(col("_in_category").leq(maxPerCategory));
    Column reason =
        when(
                col("_als")
                    .gt(0)
                    .and(col("_als").geq(col("_content")))
                    .and(col("_als").geq(col("_item"))),
                lit("similar_users"))
            .when(col("_item").gt(0).and(col("_item").geq(col("_content"))), lit("similar_items"))
            .when(col("_content").gt(0), lit("category_affinity"))
            .when(
                col(SOURCE).isin("similar_users", "similar_items", "category_affinity"),
                lit("popular"))
            .otherwise(col(SOURCE));
    List<Column> out = new ArrayList<>();
    keys.forEach(k -> out.add(col(k)));
    Stream.of(
            USER_ID,
            RANK,
            ITEM_ID,
            Items.CATEGORY,
            SCORE,
            ALS_SCORE,
            CONTENT_SCORE,
            ITEM_SCORE,
            REASON)
        .forEach(c -> out.add(col(c)));
    return capped
        .withColumn(
            RANK,
            row_number()
                .over(
                    Window.partitionBy(byUser.toArray(Column[]::new))
                        .orderBy(col(SCORE).desc(), col(ITEM_ID))))
        .where(col(RANK).leq(n))
        .withColumn(REASON, reason)
        .select(out.toArray(Column[]::new));
  }

  /** A positive score over the user's highest, 0 when either is not positive. */
  private static Column perUserMax(String score) {
    Column max = max(col(score)).over(Window.partitionBy(col(USER_ID)));
    return when(max.gt(0).and(col(score).gt(0)), col(score).divide(max)).otherwise(lit(0.0));
  }

  /**
   * The most-popular baseline: the {@code n} items with the most interaction weight that the user
   * has not interacted with, the same ranking for everyone.
   */
  public static Dataset<Row> mostPopular(
      Model model, Dataset<Row> users, Dataset<Row> exclusions, int n, int headroom) {
    Dataset<Row> top =
        model
            .items()
            .where(col(IN_STOCK))
            .orderBy(col(ContentVectors.POPULARITY).desc(), col(ITEM_ID))
            .limit(n + headroom)
            .select(ITEM_ID, ContentVectors.POPULARITY);
    return users
        .select(USER_ID)
        .crossJoin(top)
        .join(exclusions.select(USER_ID, ITEM_ID), new String[] {USER_ID, ITEM_ID}, "left_anti")
        .withColumn(
            RANK,
            row_number()
                .over(
                    Window.partitionBy(col(USER_ID))
                        .orderBy(col(ContentVectors.POPULARITY).desc(), col(ITEM_ID))))
        .where(col(RANK).leq(n))
        .select(USER_ID, RANK, ITEM_ID);
  }
}
