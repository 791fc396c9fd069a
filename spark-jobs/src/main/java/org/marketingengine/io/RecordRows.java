package org.marketingengine.io;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small driver-side tables from Java records: one column per record component, in declaration
 * order, named in snake_case ({@code treatmentUsers} becomes {@code treatment_users}). The schema
 * and the values come from the same declaration, so a column cannot be mislabelled by reordering.
 * Every column is nullable, as with {@code StructType.add}. Spark's bean encoder needs getters and
 * setters and orders columns by name, hence this.
 */
public final class RecordRows {
  private static final Map<Class<?>, DataType> TYPES =
      Map.ofEntries(
          Map.entry(String.class, DataTypes.StringType),
          Map.entry(long.class, DataTypes.LongType),
          Map.entry(Long.class, DataTypes.LongType),
          Map.entry(int.class, DataTypes.IntegerType),
          Map.entry(Integer.class, DataTypes.IntegerType),
          Map.entry(double.class, DataTypes.DoubleType),
          Map.entry(Double.class, DataTypes.DoubleType),
          Map.entry(boolean.class, DataTypes.BooleanType),
          Map.entry(Boolean.class, DataTypes.BooleanType),
          Map.entry(String[].class, DataTypes.createArrayType(DataTypes.StringType)));

  private RecordRows() {}

  /** The schema of a table of {@code type} records. */
  public static StructType schema(Class<? extends Record> type) {
    StructType schema = new StructType();
    for (RecordComponent component : type.getRecordComponents()) {
      DataType dataType = TYPES.get(component.getType());
      if (dataType == null) {
        throw new IllegalArgumentException(
            type.getSimpleName()
                + "."
                + component.getName()
                + ": no column type for "
                + component.getType().getSimpleName());
      }
      schema = schema.add(snakeCase(component.getName()), dataType);
    }
    return schema;
  }

  /** The record's components as a row of {@link #schema}. */
  public static Row row(Record record) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      try {
        Method accessor = components[i].getAccessor();
        // Records of a stage are often package-private; their accessors are read from here.
        accessor.setAccessible(true);
        values[i] = accessor.invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("Cannot read " + components[i].getName(), e);
      }
    }
    return RowFactory.create(values);
  }

  /** A DataFrame of the records (empty, with the schema, when there are none). */
  public static <T extends Record> Dataset<Row> dataFrame(
      SparkSession spark, List<T> records, Class<T> type) {
    return spark.createDataFrame(records.stream().map(RecordRows::row).toList(), schema(type));
  }

  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
