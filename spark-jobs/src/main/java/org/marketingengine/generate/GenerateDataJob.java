package org.marketingengine.generate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.Columns.Market;
import org.marketingengine.Columns.Social;
import org.marketingengine.config.FileFormat;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.InputSchemas;
import org.marketingengine.quality.StageCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generate-data command: writes the six inputs of a synthetic data set under one directory, as
 * {@code <input>/part-*.csv} or {@code <input>/part-*.parquet}, plus {@code _generation.json}
 * (parameters, planted uplift, rows and injected bad rows per input and reason).
 *
 * <p>Each table is computed once, on the executors; row and bad-row counts are collected with an
 * {@link Observation} during the write, not by a second pass.
 */
public final class GenerateDataJob {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateDataJob.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The manifest written next to the generated inputs. */
  public static final String MANIFEST = "_generation.json";

  private GenerateDataJob() {}

  /** What was written for one input. */
  public record Written(
      String input, long rows, Map<String, Long> badRowsByReason, Map<String, Long> planted) {}

  /** Generates every input under {@code outputDir} and returns the counts per input. */
  public static List<Written> run(SparkSession spark, GeneratorParams params, String outputDir) {
    long started = System.nanoTime();
    spark.sparkContext().setJobGroup("generate-data", "generate-data " + params, false);
    SyntheticData data = new SyntheticData(spark, params);
    SeededRandom random = new SeededRandom(params.seed());
    Map<String, List<BadRows.Kind>> kinds = BadRows.kinds(params.endDate());
    List<Table> tables =
        List.of(
            new Table(InputSchemas.USERS, data.users(), SyntheticData.userColumns(), List.of()),
            new Table(InputSchemas.ITEMS, data.items(), specColumns(InputSchemas.ITEMS), List.of()),
            new Table(InputSchemas.MARKET, data.market(), marketColumns(), List.of()),
            new Table(
                InputSchemas.EVENTS, data.events(), specColumns(InputSchemas.EVENTS), List.of()),
            new Table(
                InputSchemas.SOCIAL,
                data.social(),
                specColumns(InputSchemas.SOCIAL),
                List.of(Social.EVENT_TIME)),
            new Table(
                InputSchemas.RESPONSES,
                data.responses(),
                specColumns(InputSchemas.RESPONSES),
                List.of()));
    List<Written> written = new ArrayList<>();
    for (Table table : tables) {
      written.add(write(spark, params, outputDir, table, kinds.get(table.input()), random));
    }
    writeManifest(spark, params, outputDir, written);
    LOG.info(
        "generate-data done in {}: {} rows in {} inputs under {}",
        StageCounts.elapsed(started),
        written.stream().mapToLong(Written::rows).sum(),
        written.size(),
        outputDir);
    return written;
  }

  /**
   * One generated input.
   *
   * @param columns the columns written, in order
   * @param epochMillisColumns timestamp columns written as epoch milliseconds in CSV, to exercise
   *     that input format
   */
  private record Table(
      String input, Dataset<Row> rows, List<String> columns, List<String> epochMillisColumns) {}

  private static List<String> specColumns(String input) {
    return InputSchemas.byName(input).columns().stream().map(ColumnSpec::name).toList();
  }

  /** The market data has no region: trends are national. */
  private static List<String> marketColumns() {
    return specColumns(InputSchemas.MARKET).stream()
        .filter(name -> !name.equals(Market.REGION))
        .toList();
  }

  private static Written write(
      SparkSession spark,
      GeneratorParams params,
      String outputDir,
      Table table,
      List<BadRows.Kind> kinds,
      SeededRandom random) {
    String input = table.input();
    long started = System.nanoTime();
    spark.sparkContext().setJobDescription("generate " + input);
    Dataset<Row> rows =
        BadRows.inject(
            table.rows(),
            input,
            table.columns(),
            table.epochMillisColumns(),
            kinds,
            params.format(),
            params.badRowsRate(),
            random);
    rows = DirtyRows.plant(spark, input, rows, params);
    List<String> reasons =
        kinds.stream()
            .filter(k -> params.format() == FileFormat.CSV || k.fitsParquet())
            .map(BadRows.Kind::reason)
            .toList();
    List<Column> metrics = new ArrayList<>();
    metrics.add(count(lit(1)).as("rows"));
    for (String reason : reasons) {
      metrics.add(StageCounts.countWhere(col(BadRows.EXPECTED_REASON).equalTo(reason)).as(reason));
    }
    List<String> planted = DirtyRows.kinds(input);
    for (String kind : planted) {
      metrics.add(
          StageCounts.countWhere(col(DirtyRows.PLANTED).equalTo(kind)).as("planted:" + kind));
    }
    Observation observation = new Observation(input);
    Dataset<Row> observedRows =
        rows.observe(
            observation, metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new));
    String dir = new Path(outputDir, input).toString();
    if (params.format() == FileFormat.PARQUET) {
      observedRows
          .drop(BadRows.EXPECTED_REASON, DirtyRows.PLANTED)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(dir);
    } else {
      writeCsv(observedRows, table.columns(), dir);
    }
    tidy(spark, dir, params.format());
    Map<String, Long> observed = StageCounts.observed(observation, input);
    long total = observed.getOrDefault("rows", 0L);
    Map<String, Long> bad = new LinkedHashMap<>();
    for (String reason : reasons) {
      long n = observed.getOrDefault(reason, 0L);
      if (n > 0) {
        bad.put(reason, n);
      }
    }
    Map<String, Long> plantedRows = new LinkedHashMap<>();
    for (String kind : planted) {
      long n = observed.getOrDefault("planted:" + kind, 0L);
      if (n > 0) {
        plantedRows.put(kind, n);
      }
    }
    LOG.info(
        "generated {}: {} rows, {} bad, {} noise, in {}",
        input,
        total,
        bad.values().stream().mapToLong(Long::longValue).sum(),
        plantedRows.values().stream().mapToLong(Long::longValue).sum(),
        StageCounts.elapsed(started));
    return new Written(input, total, bad, plantedRows);
  }

  /**
   * Writes text lines with a header in every file. Malformed rows get extra fields, which a CSV
   * reader cannot match to the header.
   */
  private static void writeCsv(Dataset<Row> rows, List<String> columns, String dir) {
    List<Column> fields = new ArrayList<>();
    for (String name : columns) {
      fields.add(csvField(col(name)));
    }
    Column line =
        concat(
            concat_ws(",", fields.toArray(Column[]::new)),
            when(col(BadRows.EXPECTED_REASON).equalTo(BadRows.MALFORMED_LINE), lit(",x"))
                .otherwise(lit("")));
    String header = String.join(",", columns);
    rows.select(line.as("value"))
        .as(Encoders.STRING())
        .mapPartitions(new WithHeader(header), Encoders.STRING())
        .write()
        .mode(SaveMode.Overwrite)
        .text(dir);
  }

  private static Column csvField(Column value) {
    Column text = coalesce(value, lit(""));
    return when(
            text.contains(",").or(text.contains("\"")).or(text.contains("\n")),
            concat(lit("\""), regexp_replace(text, "\"", "\"\""), lit("\"")))
        .otherwise(text);
  }

  /** Puts the header line before a partition's lines. */
  private static final class WithHeader implements MapPartitionsFunction<String, String> {
    private final String header;

    WithHeader(String header) {
      this.header = header;
    }

    @Override
    public Iterator<String> call(Iterator<String> lines) {
      if (!lines.hasNext()) {
        return Collections.emptyIterator();
      }
      return new Iterator<>() {
        private boolean headerDone;

        @Override
        public boolean hasNext() {
          return !headerDone || lines.hasNext();
        }

        @Override
        public String next() {
          if (!headerDone) {
            headerDone = true;
            return header;
          }
          return lines.next();
        }
      };
    }
  }

  /** Names text parts {@code .csv} and removes Spark's marker and checksum files. */
  private static void tidy(SparkSession spark, String dir, FileFormat format) {
    try {
      Path path = new Path(dir);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs instanceof ChecksumFileSystem checksummed) {
        // The checksum file system hides .crc files from listings; tidy them on the raw one.
        fs = checksummed.getRawFileSystem();
      }
      for (FileStatus file : fs.listStatus(path)) {
        String name = file.getPath().getName();
        if (format == FileFormat.CSV && name.startsWith("part-") && name.endsWith(".txt")) {
          String renamed = name.substring(0, name.length() - ".txt".length()) + ".csv";
          fs.rename(file.getPath(), new Path(path, renamed));
        }
      }
      for (FileStatus file : fs.listStatus(path)) {
        String name = file.getPath().getName();
        if (name.startsWith(".") || name.equals("_SUCCESS")) {
          fs.delete(file.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot tidy " + dir, e);
    }
  }

  private static void writeManifest(
      SparkSession spark, GeneratorParams params, String outputDir, List<Written> written) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("users", params.users());
    parameters.put("items", params.items());
    parameters.put("days", params.days());
    parameters.put("seed", params.seed());
    parameters.put("start_date", params.startDate().toString());
    parameters.put("end_date_exclusive", params.endDate().toString());
    parameters.put("format", params.format().sparkName());
    parameters.put("bad_rows_rate", params.badRowsRate());
    parameters.put("categories", params.categories());
    parameters.put("noise_rate", params.noiseRate());
    manifest.put("parameters", parameters);
    Map<String, Object> uplift = new LinkedHashMap<>();
    for (int o = 0; o < SyntheticData.OFFERS.size(); o++) {
      Map<String, Double> bySegment = new LinkedHashMap<>();
      for (int s = 0; s < SyntheticData.SEGMENTS.size(); s++) {
        bySegment.put(SyntheticData.SEGMENTS.get(s), SyntheticData.TRUE_UPLIFT[o][s]);
      }
      uplift.put(SyntheticData.OFFERS.get(o), bySegment);
    }
    manifest.put("true_uplift", uplift);
    Map<String, Double> base = new LinkedHashMap<>();
    for (int s = 0; s < SyntheticData.SEGMENTS.size(); s++) {
      base.put(SyntheticData.SEGMENTS.get(s), SyntheticData.BASE_CONVERSION[s]);
    }
    manifest.put("control_conversion", base);
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (Written w : written) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("rows", w.rows());
      entry.put("bad_rows_by_reason", w.badRowsByReason());
      entry.put("planted", w.planted());
      inputs.put(w.input(), entry);
    }
    manifest.put("inputs", inputs);
    Path path = new Path(outputDir, MANIFEST);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(path, true)) {
        JSON.writeValue(out, manifest);
      }
      if (fs instanceof ChecksumFileSystem checksummed) {
        checksummed.getRawFileSystem().delete(new Path(outputDir, "." + MANIFEST + ".crc"), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path, e);
    }
  }
}
