package org.marketingengine.io;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.CleanConfig;
import org.marketingengine.config.FileFormat;
import org.marketingengine.config.InputConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and reads one input as a {@link RawInput}: every column as text under our names.
 *
 * <p>CSV is read with an all-text schema built from the header, in PERMISSIVE mode with a
 * corrupt-record column, so that no line is dropped: lines that do not split into the header's
 * columns are marked malformed. Parquet columns are checked for types that can hold the expected
 * values, then turned into text so that both formats go through the same validation. Column-name
 * mappings and constants from the config are applied here. File-level problems (no such path, a
 * required column missing, an incompatible Parquet type) are {@link InvalidInputException}s.
 */
public final class InputReader {
  private static final Logger LOG = LoggerFactory.getLogger(InputReader.class);
  private static final String CORRUPT = "_corrupt_record";
  private static final String MULTI_LINE = "multiLine";

  private final SparkSession spark;
  private final CleanConfig.PersonalData personalData;

  /**
   * @param personalData the personal columns, pseudonymised or dropped as they are read
   */
  public InputReader(SparkSession spark, CleanConfig.PersonalData personalData) {
    this.spark = spark;
    this.personalData = personalData;
  }

  /**
   * Reads an input, or returns empty when an optional input has no source.
   *
   * @param inputRoot directory under which the input is looked up by name, if no explicit path
   */
  public Optional<RawInput> read(
      InputConfig config, InputSchema schema, Optional<String> inputRoot) {
    Optional<InputLocator.Located> located =
        new InputLocator(spark).locate(config, schema, inputRoot);
    if (located.isEmpty()) {
      return Optional.empty();
    }
    InputLocator.Located source = located.get();
    Dataset<Row> text =
        source.format() == FileFormat.CSV
            ? readCsv(config, source.path())
            : readParquet(config, schema, source.path());
    return Optional.of(
        new RawInput(
            schema.name(),
            source.path(),
            source.format(),
            PersonalColumns.protect(text, schema.name(), personalData)));
  }

  private Dataset<Row> readCsv(InputConfig config, String path) {
    Map<String, String> options = new LinkedHashMap<>(config.csv().sparkOptions());
    if (options.keySet().stream().noneMatch(MULTI_LINE::equalsIgnoreCase)) {
      boolean multiLine = QuotedLineBreaks.present(spark, path, config.csv());
      LOG.info(
          multiLine
              ? "{}: a quoted field in '{}' holds a line break; each file is read by one task"
                  + " (multiLine)"
              : "{}: no quoted field in '{}' holds a line break; files are split between tasks",
          config.name(),
          path);
      options.put(MULTI_LINE, Boolean.toString(multiLine));
    }
    String[] header =
        spark
            .read()
            .options(options)
            .option("inferSchema", "false")
            .csv(firstDataFile(path))
            .columns();
    if (header.length == 0) {
      throw new InvalidInputException(
          "Cannot read " + config.name() + " from '" + path + "': the file has no header row");
    }
    List<StructField> fields = new ArrayList<>();
    for (String column : header) {
      fields.add(DataTypes.createStructField(column, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
    Dataset<Row> rows =
        spark
            .read()
            .options(options)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT)
            .schema(DataTypes.createStructType(fields))
            .csv(path);
    List<Column> sourceColumns = new ArrayList<>();
    for (String column : header) {
      sourceColumns.add(Columns.quoted(column));
    }
    Dataset<Row> text =
        rows.select(
            withBookkeeping(
                sourceColumns,
                coalesce(col(CORRUPT), to_json(struct(sourceColumns.toArray(Column[]::new)))),
                col(CORRUPT).isNotNull()));
    return mapColumns(config, path, text, header);
  }

  /**
   * The file whose header names the columns: the path itself, or the first non-empty data file of a
   * directory in name order (every other file's header is checked against it).
   */
  private String firstDataFile(String path) {
    try {
      Path dir = new Path(path);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.getFileStatus(dir).isDirectory()) {
        return path;
      }
      FileStatus[] files = fs.listStatus(dir);
      Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
      for (FileStatus file : files) {
        String name = file.getPath().getName();
        if (file.isFile() && file.getLen() > 0 && !name.startsWith("_") && !name.startsWith(".")) {
          return file.getPath().toString();
        }
      }
      return path;
    } catch (IOException e) {
      throw new InvalidInputException("Cannot list '" + path + "': " + e.getMessage(), e);
    }
  }

  private Dataset<Row> readParquet(InputConfig config, InputSchema schema, String path) {
    Dataset<Row> rows;
    try {
      rows = spark.read().option("mergeSchema", "true").parquet(path);
    } catch (Exception e) {
      throw new InvalidInputException(
          "Cannot read "
              + config.name()
              + " from '"
              + path
              + "' as Parquet: "
              + ParquetSchemas.typeConflict(spark, path).orElseGet(() -> ReadFailures.causes(e))
              + ". Check marketing.inputs."
              + config.name()
              + ".format, and that every file of the input has the same column types",
          e);
    }
    StructType sourceSchema = rows.schema();
    Map<String, String> ourNameOf = new LinkedHashMap<>();
    config.columnMapping().forEach((ours, theirs) -> ourNameOf.put(theirs, ours));
    for (StructField field : sourceSchema.fields()) {
      String ours = ourNameOf.getOrDefault(field.name(), field.name());
      schema
          .column(ours)
          .filter(spec -> !config.constants().containsKey(ours))
          .ifPresent(spec -> checkType(config.name(), path, field, spec));
    }
    List<Column> sourceColumns = new ArrayList<>();
    List<Column> asText = new ArrayList<>();
    for (StructField field : sourceSchema.fields()) {
      Column column = Columns.quoted(field.name());
      sourceColumns.add(column);
      asText.add(toText(column, field.dataType()).as(field.name()));
    }
    Dataset<Row> text =
        rows.select(
            withBookkeeping(
                asText, to_json(struct(sourceColumns.toArray(Column[]::new))), lit(false)));
    return mapColumns(config, path, text, sourceSchema.fieldNames());
  }

  private static Column[] withBookkeeping(
      List<Column> columns, Column rawRecord, Column malformed) {
    List<Column> all = new ArrayList<>(columns);
    all.add(rawRecord.as(Quarantine.RAW_RECORD));
    all.add(col("_metadata.file_path").as(Quarantine.SOURCE_FILE));
    all.add(malformed.as(RawInput.MALFORMED));
    return all.toArray(Column[]::new);
  }

  private static Column toText(Column column, DataType type) {
    if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) {
      return to_json(column);
    }
    return column.cast(DataTypes.StringType);
  }

  private static void checkType(String input, String path, StructField field, ColumnSpec spec) {
    DataType type = field.dataType();
    boolean text = type instanceof StringType;
    boolean compatible =
        switch (spec.type()) {
          case STRING, ENUM -> text || type instanceof NumericType || type instanceof BooleanType;
          case LONG, DOUBLE -> text || type instanceof NumericType;
          case BOOLEAN -> text || type instanceof BooleanType || isIntegral(type);
          case DATE -> text || type instanceof DateType || type instanceof TimestampType;
          case TIMESTAMP ->
              text
                  || type instanceof TimestampType
                  || type instanceof TimestampNTZType
                  || type instanceof DateType
                  || isIntegral(type);
        };
    if (!compatible || type instanceof BinaryType) {
      throw new InvalidInputException(
          "Cannot read "
              + input
              + " from '"
              + path
              + "': column '"
              + field.name()
              + "' has type "
              + type.simpleString()
              + ", expected "
              + spec.type().description()
              + ". Fix the export or map another column with marketing.inputs."
              + input
              + ".columns."
              + spec.name());
    }
  }

  private static boolean isIntegral(DataType type) {
    return type.equals(DataTypes.LongType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType);
  }

  /** Renames mapped columns, adds constants, and checks the required columns are there. */
  private static Dataset<Row> mapColumns(
      InputConfig config, String path, Dataset<Row> text, String[] sourceColumns) {
    List<String> found = Arrays.asList(sourceColumns);
    Dataset<Row> mapped = text;
    for (Map.Entry<String, String> mapping : config.columnMapping().entrySet()) {
      String ours = mapping.getKey();
      String theirs = mapping.getValue();
      if (!found.contains(theirs)) {
        throw new InvalidInputException(
            "Cannot read "
                + config.name()
                + " from '"
                + path
                + "': column '"
                + theirs
                + "' (mapped to "
                + ours
                + " by marketing.inputs."
                + config.name()
                + ".columns."
                + ours
                + ") is missing (found: "
                + String.join(", ", found)
                + ")");
      }
      if (!ours.equals(theirs) && found.contains(ours)) {
        mapped = mapped.drop(ours);
      }
      mapped = mapped.withColumnRenamed(theirs, ours);
    }
    for (Map.Entry<String, String> constant : config.constants().entrySet()) {
      mapped = mapped.withColumn(constant.getKey(), lit(constant.getValue()));
    }
    List<String> have = Arrays.asList(mapped.columns());
    for (ColumnSpec spec : InputSchemas.byName(config.name()).columns()) {
      if (spec.required() && !have.contains(spec.name())) {
        throw new InvalidInputException(
            "Cannot read "
                + config.name()
                + " from '"
                + path
                + "': column '"
                + spec.name()
                + "' is missing (found: "
                + String.join(", ", found)
                + "). Map it with marketing.inputs."
                + config.name()
                + ".columns."
                + spec.name()
                + " = \"<source column>\" or give a constant with marketing.inputs."
                + config.name()
                + ".constants."
                + spec.name());
      }
    }
    return mapped;
  }
}
