package org.marketingengine.interactions;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.marketingengine.testing.SparkExtension;
import scala.jdk.javaapi.CollectionConverters;

@ExtendWith(SparkExtension.class)
class SparseVectorsTest {

  private static scala.collection.Seq<Row> entries(Object[]... pairs) {
    List<Row> rows = new ArrayList<>();
    for (Object[] p : pairs) {
      rows.add(RowFactory.create(p));
    }
    return CollectionConverters.asScala(rows).toSeq();
  }

  @Test
  void entriesAreSortedSummedAndOutOfRangeOrEmptyOnesSkipped() {
    Vector v =
        SparseVectors.build(
            5,
            entries(
                new Object[] {3, 1.0},
                new Object[] {1, 2.0},
                new Object[] {3, 0.5},
                new Object[] {-1, 9.0},
                new Object[] {5, 9.0},
                new Object[] {null, 9.0},
                new Object[] {2, null},
                new Object[] {4, 0.0}));

    assertThat(v).isInstanceOf(SparseVector.class);
    assertThat(((SparseVector) v).indices()).containsExactly(1, 3);
    assertThat(v.toArray()).containsExactly(0.0, 2.0, 0.0, 1.5, 0.0);
    assertThat(SparseVectors.build(3, null).toArray()).containsExactly(0.0, 0.0, 0.0);
  }

  @Test
  void topPositiveIsLargestFirstWithinTheLimitTiesByPosition() {
    Vector v = Vectors.dense(0.2, 0.0, 0.5, 0.2, -1.0, 0.9);

    assertThat(SparseVectors.topPositive(v, 5, 3)).containsExactly(2, 0, 3);
    assertThat(SparseVectors.topPositive(v, 6, 1)).containsExactly(5);
    assertThat(SparseVectors.topPositive(null, 6, 1)).isEmpty();
  }

  @Test
  void tenThousandSlotsFromAColumnOfEntriesStaySparse(SparkSession spark) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      names.add("c" + i);
    }
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(RowFactory.create("a", "c9999", 0.25), RowFactory.create("b", "none", 1.0)),
            new StructType()
                .add("id", DataTypes.StringType)
                .add("name", DataTypes.StringType)
                .add("share", DataTypes.DoubleType));

    List<Row> vectors =
        rows.join(SparseVectors.positions(spark, names, "name"), "name", "left")
            .select(
                col("id"),
                SparseVectors.of(names.size())
                    .apply(
                        org.apache.spark.sql.functions.array(
                            SparseVectors.entry(col(SparseVectors.INDEX), col("share"))))
                    .as("v"),
                SparseVectors.zeros(names.size()).as("zero"))
            .orderBy("id")
            .collectAsList();

    SparseVector a = (SparseVector) vectors.get(0).<Vector>getAs("v");
    assertThat(a.size()).isEqualTo(10_000);
    assertThat(a.indices()).containsExactly(9_999);
    assertThat(a.values()).containsExactly(0.25);
    assertThat(vectors.get(1).<Vector>getAs("v").numActives()).as("unknown name").isZero();
    assertThat(vectors.get(1).<Vector>getAs("zero").numNonzeros()).isZero();
    assertThat(vectors.get(1).<Vector>getAs("zero").size()).isEqualTo(10_000);
  }
}
