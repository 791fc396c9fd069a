package org.marketingengine.profile;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns.Features;
import org.marketingengine.Columns.Profiles;
import org.marketingengine.config.ProfileConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learned behaviour clusters: {@code KMeans} on the standardised behaviour features, k chosen by
 * the silhouette over {@code [k-min, k-max]}. Fit on a seeded sample (the silhouette of every k
 * costs a pass per k), applied to every user.
 */
public final class Clusters {
  private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);
  public static final String CLUSTER = Profiles.CLUSTER;
  static final String RAW = "_cluster_raw";
  static final String SCALED = "_cluster_scaled";
  private static final String USER_ID = Features.USER_ID;
  private static final long SAMPLE_BUCKETS = 1_000_000;
  private static final int SAMPLE_PARTITIONS = 8;
  private static final int PARALLEL_FITS = 4;

  private Clusters() {}

  /** The fitted model, the silhouette of each k tried, and each cluster's main traits. */
  public record Fitted(
      PipelineModel model, int k, Map<Integer, Double> silhouettes, List<String> traits) {}

  /** Missing values of the cluster features count as 0 (no activity). */
  public static Dataset<Row> withFilledFeatures(Dataset<Row> users, List<String> features) {
    Dataset<Row> result = users;
    for (String f : features) {
      result = result.withColumn(f, coalesce(col(f).cast("double"), lit(0.0)));
    }
    return result;
  }

  public static Fitted fit(Dataset<Row> users, ProfileConfig config) {
    List<String> features = config.clusterFeatures();
    Dataset<Row> filled = withFilledFeatures(users, features);
    long rows = filled.count();
    // Sampled by a hash of the user and laid out in fixed partitions sorted by user, so that the
    // sample, the KMeans initialisation and the result are the same on every run and cluster.
    Dataset<Row> sampled =
        rows > config.clusterSampleRows()
            ? filled.where(
                pmod(xxhash64(lit(config.seed()), col(USER_ID)), lit(SAMPLE_BUCKETS))
                    .lt(
                        (long)
                            Math.ceil(SAMPLE_BUCKETS * config.clusterSampleRows() / (double) rows)))
            : filled;
    Dataset<Row> sample =
        sampled.repartition(SAMPLE_PARTITIONS, col(USER_ID)).sortWithinPartitions(USER_ID).cache();
    // Each k is fitted on the same sample independently (KMeans is seeded, so running them at the
    // same time changes nothing but the wall time: each iteration is a small Spark job).
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_FITS);
    try {
      ClusteringEvaluator evaluator =
          new ClusteringEvaluator().setFeaturesCol(SCALED).setPredictionCol(CLUSTER);
      Map<Integer, Future<PipelineModel>> fits = new LinkedHashMap<>();
      for (int k = config.kMin(); k <= config.kMax(); k++) {
        Pipeline pipeline = pipeline(features, k, config.seed());
        fits.put(k, pool.submit(() -> pipeline.fit(sample)));
      }
      Map<Integer, Double> silhouettes = new LinkedHashMap<>();
      PipelineModel best = null;
      int bestK = 0;
      for (Map.Entry<Integer, Future<PipelineModel>> fit : fits.entrySet()) {
        int k = fit.getKey();
        PipelineModel model = fit.getValue().get();
        double silhouette = evaluator.evaluate(model.transform(sample));
        silhouettes.put(k, silhouette);
        LOG.info("profile: KMeans k={} silhouette {}", k, String.format("%.3f", silhouette));
        if (best == null || silhouette > silhouettes.get(bestK)) {
          best = model;
          bestK = k;
        }
      }
      return new Fitted(best, bestK, silhouettes, traits(best, features));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while clustering users", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Cannot cluster users: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      sample.unpersist();
    }
  }

  static Pipeline pipeline(List<String> features, int k, long seed) {
    return new Pipeline()
        .setStages(
            new PipelineStage[] {
              new VectorAssembler()
                  .setInputCols(features.toArray(String[]::new))
                  .setOutputCol(RAW)
                  .setHandleInvalid("keep"),
              new StandardScaler()
                  .setInputCol(RAW)
                  .setOutputCol(SCALED)
                  .setWithMean(true)
                  .setWithStd(true),
              new KMeans().setK(k).setSeed(seed).setFeaturesCol(SCALED).setPredictionCol(CLUSTER)
            });
  }

  /**
   * Per cluster its two most distinctive features: those whose standardised centre is furthest from
   * the mean, e.g. {@code "high frequency, low recency_days"}.
   */
  static List<String> traits(PipelineModel model, List<String> features) {
    KMeansModel kmeans = (KMeansModel) model.stages()[2];
    List<String> traits = new ArrayList<>();
    for (Vector centre : kmeans.clusterCenters()) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < features.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingDouble(i -> -Math.abs(centre.apply(i))));
      List<String> parts = new ArrayList<>();
      for (int i : order.subList(0, Math.min(2, order.size()))) {
        parts.add((centre.apply(i) >= 0 ? "high " : "low ") + features.get(i));
      }
      traits.add(String.join(", ", parts));
    }
    return traits;
  }
}
