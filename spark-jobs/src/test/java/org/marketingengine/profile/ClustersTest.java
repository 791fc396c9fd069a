package org.marketingengine.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.ProfileConfig;
import org.marketingengine.testing.SparkExtension;
import org.marketingengine.testing.TestConfigs;

@ExtendWith(SparkExtension.class)
class ClustersTest {
  @TempDir Path out;

  /** Three planted groups: frequent small buyers, rare big spenders, and the inactive. */
  static Dataset<Row> users(SparkSession spark) {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    String[] groups = {"frequent", "big", "inactive"};
    double[][] centres = {{2, 20, 40}, {30, 2, 400}, {200, 0.5, 5}};
    for (int i = 0; i < 900; i++) {
      int g = i % 3;
      rows.add(
          RowFactory.create(
              "u" + i,
              groups[g],
              centres[g][0] * (1 + 0.1 * random.nextGaussian()),
              centres[g][1] * (1 + 0.1 * random.nextGaussian()),
              // A missing value counts as no activity.
              g == 2 && i % 10 == 2 ? null : centres[g][2] * (1 + 0.1 * random.nextGaussian())));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add("user_id", DataTypes.StringType)
            .add("planted", DataTypes.StringType)
            .add("recency_days", DataTypes.DoubleType)
            .add("frequency", DataTypes.DoubleType)
            .add("monetary", DataTypes.DoubleType));
  }

  ProfileConfig config(String... sets) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "marketing.profile.clusters.features=[recency_days,frequency,monetary]",
                "marketing.profile.clusters.k-min=2",
                "marketing.profile.clusters.k-max=5"));
    all.addAll(List.of(sets));
    return TestConfigs.config(
            null, out.toString(), LocalDate.of(2026, 11, 1), all.toArray(String[]::new))
        .profile();
  }

  @Test
  void theSilhouettePicksThePlantedGroupsAndTheTraitsNameThem(SparkSession spark) {
    Dataset<Row> users = users(spark);
    ProfileConfig settings = config();

    Clusters.Fitted fitted = Clusters.fit(users, settings);
    Dataset<Row> assigned =
        fitted
            .model()
            .transform(Clusters.withFilledFeatures(users, settings.clusterFeatures()))
            .cache();

    assertThat(fitted.k()).isEqualTo(3);
    assertThat(fitted.silhouettes()).containsOnlyKeys(2, 3, 4, 5);
    // Each planted group is one cluster, and no two groups share one.
    assertThat(
            assigned
                .groupBy("planted")
                .agg(countDistinct(col(Clusters.CLUSTER)).as("n"))
                .where(col("n").gt(1))
                .count())
        .isZero();
    assertThat(assigned.select(Clusters.CLUSTER).distinct().count()).isEqualTo(3);
    int big = assigned.where(col("planted").equalTo("big")).first().getAs(Clusters.CLUSTER);
    int inactive =
        assigned.where(col("planted").equalTo("inactive")).first().getAs(Clusters.CLUSTER);
    assertThat(fitted.traits().get(big)).contains("high monetary");
    assertThat(fitted.traits().get(inactive)).startsWith("high recency_days");
  }

  @Test
  void aSampleGivesTheSameClustersOnEveryRun(SparkSession spark) {
    Dataset<Row> users = users(spark);
    ProfileConfig sampled = config("marketing.profile.clusters.sample-rows=300");

    Clusters.Fitted first = Clusters.fit(users, sampled);
    Clusters.Fitted again = Clusters.fit(users, sampled);

    assertThat(first.k()).isEqualTo(3);
    assertThat(again.silhouettes()).isEqualTo(first.silhouettes());
    assertThat(again.traits()).isEqualTo(first.traits());
  }
}
