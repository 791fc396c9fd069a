package org.marketingengine.model;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.zip_with;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.feature.UnivariateFeatureSelectorModel;
import org.apache.spark.ml.feature.VarianceThresholdSelectorModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Why a model scores users high: global importance of each input (standardised coefficients of the
 * linear models: the effect of one standard deviation; the split-gain share of tree ensembles) and,
 * per user, the inputs that pushed the score up most (coefficient x standardised value).
 */
public final class Explanations {
  private Explanations() {}

  public static final String IMPORTANCE = "metrics/feature_importance";

  /** The names of the model's inputs after selection, in the order of its feature vector. */
  public static List<String> featureNames(
      PipelineModel model, Dataset<Row> sample, List<String> categorical) {
    Dataset<Row> transformed = model.transform(sample.limit(1));
    AttributeGroup group =
        AttributeGroup.fromStructField(transformed.schema().apply(ModelPipelines.ASSEMBLED));
    List<String> names = new ArrayList<>();
    Attribute[] attributes =
        group.attributes().isDefined() ? group.attributes().get() : new Attribute[0];
    for (int i = 0; i < group.size(); i++) {
      String name =
          i < attributes.length && attributes[i].name().isDefined()
              ? attributes[i].name().get()
              : "f" + i;
      names.add(readable(name, categorical));
    }
    for (Transformer stage : model.stages()) {
      int[] selected = null;
      if (stage instanceof VarianceThresholdSelectorModel variance) {
        selected = variance.selectedFeatures();
      } else if (stage instanceof UnivariateFeatureSelectorModel univariate) {
        selected = univariate.selectedFeatures();
      }
      if (selected != null) {
        List<String> kept = new ArrayList<>();
        for (int index : selected) {
          kept.add(names.get(index));
        }
        names = kept;
      }
    }
    return names;
  }

  /**
   * {@code _imp_age} -> {@code age}, {@code _never_pdays} -> {@code pdays_never}, {@code
   * _ohe_top_category_music} -> {@code top_category=music} (the categorical column is matched by
   * name, since names hold {@code _}), {@code _bin_recency_days_3.0, 9.0} -> {@code recency_days in
   * [3.0, 9.0)}.
   */
  static String readable(String name, List<String> categorical) {
    if (name.startsWith("_imp_")) {
      return name.substring("_imp_".length());
    }
    if (name.startsWith(ModelPipelines.BUCKETS)) {
      // _bin_<feature>_<bucket>: the bucket's range is after the last underscore.
      String rest = name.substring(ModelPipelines.BUCKETS.length());
      int cut = rest.lastIndexOf('_');
      return cut < 0 ? rest : rest.substring(0, cut) + " in [" + rest.substring(cut + 1) + ")";
    }
    if (name.startsWith(ModelPipelines.NEVER)) {
      return name.substring(ModelPipelines.NEVER.length()) + "_never";
    }
    if (name.startsWith("_ohe_")) {
      String rest = name.substring("_ohe_".length());
      for (String column : categorical) {
        if (rest.startsWith(column + "_")) {
          return column + "=" + rest.substring(column.length() + 1);
        }
      }
      return rest;
    }
    return name;
  }

  /** The coefficients of a linear model's last stage (null for other estimators). */
  public static Vector coefficients(PipelineModel model) {
    Transformer last = model.stages()[model.stages().length - 1];
    if (last instanceof LogisticRegressionModel logistic) {
      return logistic.coefficients();
    }
    if (last instanceof LinearRegressionModel linear) {
      return linear.coefficients();
    }
    return null;
  }

  /**
   * The importance of each input of a tree ensemble's last stage (each input's share of the trees'
   * total split gain, summing to 1); null for other estimators.
   */
  public static Vector treeImportances(PipelineModel model) {
    Transformer last = model.stages()[model.stages().length - 1];
    if (last instanceof GBTClassificationModel gbt) {
      return gbt.featureImportances();
    }
    if (last instanceof RandomForestClassificationModel forest) {
      return forest.featureImportances();
    }
    return null;
  }

  /**
   * One row per input of a model whose importance can be read off it: model, feature, coefficient
   * and importance (|coefficient|) of a linear model, no coefficient and the split-gain share of a
   * tree ensemble; null for other models.
   */
  public static Dataset<Row> importance(
      SparkSession spark, String modelName, List<String> names, PipelineModel model) {
    Vector coefficients = coefficients(model);
    if (coefficients != null) {
      return importance(spark, modelName, names, coefficients);
    }
    Vector trees = treeImportances(model);
    if (trees == null) {
      return null;
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < names.size() && i < trees.size(); i++) {
      rows.add(RowFactory.create(modelName, names.get(i), null, trees.apply(i)));
    }
    return spark.createDataFrame(rows, importanceSchema());
  }

  private static StructType importanceSchema() {
    return new StructType()
        .add("model", DataTypes.StringType)
        .add("feature", DataTypes.StringType)
        .add("coefficient", DataTypes.DoubleType)
        .add("importance", DataTypes.DoubleType);
  }

  /**
   * One row per input of a linear model: model, feature, coefficient, importance (|coefficient|).
   */
  public static Dataset<Row> importance(
      SparkSession spark, String modelName, List<String> names, Vector coefficients) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < names.size() && i < coefficients.size(); i++) {
      double c = coefficients.apply(i);
      rows.add(RowFactory.create(modelName, names.get(i), c, Math.abs(c)));
    }
    return spark.createDataFrame(rows, importanceSchema());
  }

  /**
   * The {@code k} inputs that pushed each row's score up most: coefficient x standardised value,
   * positive contributions only, largest first. Reads the model's standardised {@code features}
   * column.
   */
  public static Column topDrivers(List<String> names, Vector coefficients, int k) {
    Column namesArray = array(names.stream().map(n -> lit(n)).toArray(Column[]::new));
    Column coefficientArray =
        array(Arrays.stream(coefficients.toArray()).mapToObj(c -> lit(c)).toArray(Column[]::new));
    Column values = vector_to_array(col(ModelPipelines.FEATURES), "float64");
    Column contributions = zip_with(values, coefficientArray, (v, c) -> v.multiply(c));
    Column pairs =
        zip_with(
            contributions, namesArray, (c, n) -> struct(c.as("contribution"), n.as("feature")));
    Column positive = filter(pairs, p -> p.getField("contribution").gt(0));
    Column strongestFirst = sort_array(positive, false);
    return transform(slice(strongestFirst, 1, k), p -> p.getField("feature"));
  }
}
