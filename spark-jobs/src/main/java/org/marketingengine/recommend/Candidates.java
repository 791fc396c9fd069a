package org.marketingengine.recommend;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.marketingengine.recommend.Recommender.IN_STOCK;
import static org.marketingengine.recommend.Recommender.ITEM_ID;
import static org.marketingengine.recommend.Recommender.PRIOR;
import static org.marketingengine.recommend.Recommender.SEGMENT;
import static org.marketingengine.recommend.Recommender.SOURCE;
import static org.marketingengine.recommend.Recommender.SOURCES;
import static org.marketingengine.recommend.Recommender.USER_ID;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.marketingengine.Columns.Items;
import org.marketingengine.config.RecommendConfig;
import org.marketingengine.interactions.ContentVectors;
import org.marketingengine.interactions.Interactions;
import org.marketingengine.interactions.SparseVectors;

/**
 * Candidate (user, item, source, item_score) rows per user: ALS top candidates, the item model's
 * best-scored items, the most popular in-stock items of the user's top categories (from the profile
 * vector), the most popular of the user's segment, and trending items. Where several sources
 * propose an item, the first in {@link Recommender#SOURCES} names it. {@code item_score} is the
 * item model's score of every candidate (0 where the user's history does not reach it or there is
 * no item model).
 */
final class Candidates {
  private Candidates() {}

  static Dataset<Row> of(Recommender.Model model, Dataset<Row> users, RecommendConfig config) {
    Dataset<Row> available = model.items().where(col(IN_STOCK));
    Column source = lit(SOURCES.get(SOURCES.size() - 1));
    for (int i = SOURCES.size() - 2; i >= 0; i--) {
      source = when(col("_priority").equalTo(i), lit(SOURCES.get(i))).otherwise(source);
    }
    Dataset<Row> sources =
        als(model, users, config)
            .unionByName(content(model, users, available, config))
            .unionByName(segment(model, users, available, config))
            .unionByName(trending(users, available, config))
            .withColumn(Recommender.ITEM_SCORE, lit(null).cast("double"));
    if (model.itemModel().isPresent()) {
      sources = sources.unionByName(itemScores(model.itemModel().get(), users, available));
    }
    // Partitioned by user, which the pair aggregation accepts as it is, so that scoring and
    // ranking each user's candidates needs no further shuffle of the pairs.
    return sources
        .repartition(col(USER_ID))
        .groupBy(USER_ID, ITEM_ID)
        .agg(
            min(col("_priority")).as("_priority"),
            max(col(Recommender.ITEM_SCORE)).as(Recommender.ITEM_SCORE))
        .where(col("_priority").lt(NOT_A_CANDIDATE))
        .withColumn(SOURCE, source)
        .withColumn(Recommender.ITEM_SCORE, coalesce(col(Recommender.ITEM_SCORE), lit(0.0)))
        .drop("_priority");
  }

  /** The priority of an item the item model scores but does not propose: only its score counts. */
  private static final int NOT_A_CANDIDATE = Integer.MAX_VALUE;

  /**
   * Every available item the item model scores for the users, with its score; the user's best
   * {@code candidates} of them proposed (priority 1), the rest only scored. One pass over the
   * scores serves both the candidates and every candidate's item score.
   */
  private static Dataset<Row> itemScores(
      Recommender.ItemModel items, Dataset<Row> users, Dataset<Row> available) {
    Column rank =
        row_number()
            .over(
                Window.partitionBy(col(USER_ID))
                    .orderBy(col(Recommender.ITEM_SCORE).desc(), col(ITEM_ID)));
    return ItemNeighbours.scores(items.neighbours(), items.histories(), users)
        .join(available.select(ITEM_ID), ITEM_ID)
        .select(
            col(USER_ID),
            col(ITEM_ID),
            when(rank.leq(items.candidates()), lit(1))
                .otherwise(lit(NOT_A_CANDIDATE))
                .as("_priority"),
            col(Recommender.ITEM_SCORE));
  }

  /**
   * ALS: the top candidates over the catalog for the users ALS knows; in one pass over broadcast
   * item factors ({@link AlsTopK}) up to {@link Recommender#BROADCAST_ITEMS} items, with MLlib's
   * blocked top-K beyond.
   */
  private static Dataset<Row> als(
      Recommender.Model model, Dataset<Row> users, RecommendConfig config) {
    return alsTopK(
            model.als(),
            model.userIndex(),
            model.itemIndex(),
            users,
            config.alsCandidates(),
            Recommender.BROADCAST_ITEMS)
        .withColumn("_priority", lit(0));
  }

  /**
   * {@code user_id, item_id}: the {@code k} best items by ALS of each of {@code users} that ALS
   * knows, by {@link AlsTopK} for catalogs up to {@code broadcastItems} items, else by MLlib.
   */
  static Dataset<Row> alsTopK(
      ALSModel als,
      Dataset<Row> userIndex,
      Dataset<Row> itemIndex,
      Dataset<Row> users,
      int k,
      long broadcastItems) {
    Dataset<Row> knownUsers = users.select(USER_ID).join(userIndex, USER_ID);
    if (itemIndex.count() <= broadcastItems) {
      return AlsTopK.of(
          knownUsers.join(factors(als.userFactors()), IdIndex.INDEX),
          itemIndex.join(factors(als.itemFactors()), IdIndex.INDEX),
          k);
    }
    return als.recommendForUserSubset(knownUsers.select(col(IdIndex.INDEX).as("u")), k)
        .select(col("u"), explode(col("recommendations")).as("_rec"))
        .select(col("u"), col("_rec.i").as("i"))
        .join(userIndex.withColumnRenamed(IdIndex.INDEX, "u"), "u")
        .join(itemIndex.withColumnRenamed(IdIndex.INDEX, "i"), "i")
        .select(col(USER_ID), col(ITEM_ID));
  }

  /** ALS's {@code id, features} with the id named as {@link IdIndex#INDEX}. */
  private static Dataset<Row> factors(Dataset<Row> als) {
    return als.withColumnRenamed("id", IdIndex.INDEX);
  }

  /** Content: the most popular available items of each of the user's top categories. */
  private static Dataset<Row> content(
      Recommender.Model model, Dataset<Row> users, Dataset<Row> available, RecommendConfig config) {
    Dataset<Row> perCategory =
        top(
                available,
                col(Items.CATEGORY),
                config.contentCandidatesPerCategory(),
                col(ContentVectors.POPULARITY).desc(),
                col(ITEM_ID))
            .select(col(ITEM_ID), col(Items.CATEGORY));
    return users
        .join(model.userVectors(), USER_ID)
        .select(
            col(USER_ID),
            explode(topCategories(model.categories(), config.topCategories())).as(Items.CATEGORY))
        .join(perCategory, Items.CATEGORY)
        .select(col(USER_ID), col(ITEM_ID), lit(2).as("_priority"));
  }

  /** Popular in the user's segment. */
  private static Dataset<Row> segment(
      Recommender.Model model, Dataset<Row> users, Dataset<Row> available, RecommendConfig config) {
    Dataset<Row> segmentPopular =
        top(
                model
                    .interactions()
                    .join(users.select(USER_ID, SEGMENT), USER_ID)
                    .groupBy(col(SEGMENT), col(ITEM_ID))
                    .agg(sum(col(Interactions.WEIGHT)).as("_weight"))
                    .join(available.select(ITEM_ID), ITEM_ID),
                col(SEGMENT),
                config.popularCandidates(),
                col("_weight").desc(),
                col(ITEM_ID))
            .select(SEGMENT, ITEM_ID);
    return users
        .join(segmentPopular, SEGMENT)
        .select(col(USER_ID), col(ITEM_ID), lit(3).as("_priority"));
  }

  /** Trending: popular items of rising categories, the same few for everyone. */
  private static Dataset<Row> trending(
      Dataset<Row> users, Dataset<Row> available, RecommendConfig config) {
    Dataset<Row> trendingItems =
        available
            .orderBy(
                col(PRIOR).multiply(lit(0.5).plus(col(ContentVectors.TREND))).desc(), col(ITEM_ID))
            .limit(config.popularCandidates())
            .select(ITEM_ID);
    return users
        .select(USER_ID)
        .crossJoin(trendingItems)
        .select(col(USER_ID), col(ITEM_ID), lit(4).as("_priority"));
  }

  /** The first {@code n} rows of each {@code by} group in {@code order}. */
  static Dataset<Row> top(Dataset<Row> rows, Column by, int n, Column... order) {
    return rows.withColumn("_top", row_number().over(Window.partitionBy(by).orderBy(order)))
        .where(col("_top").leq(n))
        .drop("_top");
  }

  /**
   * The names of the user's top categories: the largest positive slots of the category part of the
   * profile vector.
   */
  private static Column topCategories(List<String> categories, int top) {
    String[] names = categories.toArray(String[]::new);
    UDF1<Vector, String[]> named =
        v ->
            Arrays.stream(SparseVectors.topPositive(v, names.length, top))
                .mapToObj(i -> names[i])
                .toArray(String[]::new);
    return udf(named, DataTypes.createArrayType(DataTypes.StringType))
        .apply(col(ContentVectors.PROFILE_VECTOR));
  }
}
