package org.marketingengine.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.io.ColumnSpec;
import org.marketingengine.io.ColumnType;
import org.marketingengine.io.InputSchema;
import org.marketingengine.io.RawInput;

/**
 * Types the raw text of an input and gives every row that cannot be used a reason.
 *
 * <p>Reads a {@link RawInput}'s rows (text columns under our names); returns the typed columns of
 * the {@link InputSchema} (absent optional columns as typed nulls), the source's extra columns as
 * text, {@code raw_record}, {@code source_file} and {@code reason} (null for a valid row). One
 * reason per row, the first rule that fails: malformed line, invalid encoding (bytes the file's
 * encoding cannot decode, e.g. Latin-1 in a UTF-8 file), then per column in schema order missing
 * value, wrong type (or unparseable timestamp/date), epoch seconds where milliseconds are expected,
 * unknown value, negative value or out of range, future timestamp. Narrow transformation: no
 * shuffle, no action.
 */
public final class IngestValidation {
  private IngestValidation() {}

  public static final String MALFORMED_LINE = "malformed_line";
  public static final String MISSING_VALUE = "missing_value";
  public static final String WRONG_TYPE = "wrong_type";
  public static final String UNPARSEABLE_TIMESTAMP = "unparseable_timestamp";
  public static final String UNPARSEABLE_DATE = "unparseable_date";
  public static final String UNKNOWN_VALUE = "unknown_value";
  public static final String NEGATIVE_VALUE = "negative_value";
  public static final String OUT_OF_RANGE = "out_of_range";
  public static final String FUTURE_TIMESTAMP = "future_timestamp";
  public static final String INVALID_ENCODING = "invalid_encoding";
  public static final String EPOCH_SECONDS = "epoch_seconds";

  /** What a decoder puts for bytes that are not valid in the file's encoding. */
  private static final String REPLACEMENT_CHARACTER = "\uFFFD";

  /**
   * Whole numbers in a timestamp column are epoch milliseconds; one of at most 11 digits would be a
   * time before March 1973, and is almost always epoch seconds read with the wrong unit.
   */
  private static final String EPOCH_SECONDS_TEXT = "^[0-9]{1,11}$";

  private static final List<String> TRUE_WORDS = List.of("true", "t", "yes", "y", "1");
  private static final List<String> FALSE_WORDS = List.of("false", "f", "no", "n", "0");

  /**
   * Types and checks every row.
   *
   * @param runDate timestamps at or after the end of this date (UTC) plus the tolerance are in the
   *     future
   */
  public static Dataset<Row> apply(
      Dataset<Row> raw, InputSchema schema, LocalDate runDate, int futureToleranceHours) {
    Set<String> present = new HashSet<>(Arrays.asList(raw.columns()));
    Timestamp futureFrom =
        Timestamp.from(
            runDate
                .plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .plus(Duration.ofHours(futureToleranceHours)));

    List<Column> typed = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    Set<String> specNames = new HashSet<>();
    for (Rule rule : rules(schema, present, futureFrom)) {
      reasons.add(when(rule.fails(), lit(rule.reason())));
    }
    for (ColumnSpec spec : schema.columns()) {
      specNames.add(spec.name());
      typed.add(typedValue(spec, present).cast(spec.type().sparkType()).as(spec.name()));
    }
    List<Column> output = new ArrayList<>(typed);
    for (String name : raw.columns()) {
      if (!specNames.contains(name) && !isBookkeeping(name)) {
        output.add(Columns.quoted(name));
      }
    }
    output.add(col(Quarantine.RAW_RECORD));
    output.add(col(Quarantine.SOURCE_FILE));
    output.add(coalesce(reasons.toArray(Column[]::new)).as(Quarantine.REASON));
    return raw.select(output.toArray(Column[]::new));
  }

  /** Every reason {@link #apply} can give rows of this input, in the order rules are checked. */
  public static List<String> possibleReasons(InputSchema schema) {
    Set<String> all = new HashSet<>();
    for (ColumnSpec spec : schema.columns()) {
      all.add(spec.name());
    }
    return rules(schema, all, new Timestamp(0)).stream().map(Rule::reason).toList();
  }

  /**
   * The validated rows with {@code raw_record} only where the row is rejected: a valid row goes to
   * bronze without it, so a cache of the rows need not hold every row's text twice.
   */
  public static Dataset<Row> rawRecordOfRejectedOnly(Dataset<Row> validated) {
    return validated.withColumn(
        Quarantine.RAW_RECORD,
        when(col(Quarantine.REASON).isNotNull(), col(Quarantine.RAW_RECORD)));
  }

  /** The valid rows: typed and extra columns, without bookkeeping. */
  public static Dataset<Row> valid(Dataset<Row> validated) {
    return validated
        .where(col(Quarantine.REASON).isNull())
        .drop(Quarantine.RAW_RECORD, Quarantine.SOURCE_FILE, Quarantine.REASON);
  }

  /** The rejected rows: raw record, reason, source file and {@code stage = ingest}. */
  public static Dataset<Row> rejected(Dataset<Row> validated) {
    return validated
        .where(col(Quarantine.REASON).isNotNull())
        .select(
            col(Quarantine.RAW_RECORD),
            col(Quarantine.REASON),
            col(Quarantine.SOURCE_FILE),
            lit(IngestJob.STAGE).as(Quarantine.STAGE));
  }

  private static boolean isBookkeeping(String name) {
    return name.equals(RawInput.MALFORMED)
        || name.equals(Quarantine.RAW_RECORD)
        || name.equals(Quarantine.SOURCE_FILE);
  }

  private static Column blankToNull(Column text) {
    return when(text.equalTo(lit("")), lit(null).cast("string")).otherwise(text);
  }

  private static Column convert(Column text, ColumnType type) {
    return switch (type) {
      case STRING -> text;
      case ENUM -> lower(text);
      case LONG -> text.try_cast("bigint");
      case DOUBLE -> finite(text.try_cast("double"));
      case BOOLEAN ->
          when(lower(text).isin(TRUE_WORDS.toArray()), lit(true))
              .when(lower(text).isin(FALSE_WORDS.toArray()), lit(false));
      case DATE -> text.try_cast("date");
      case TIMESTAMP ->
          when(text.rlike("^-?[0-9]{1,15}$"), timestamp_millis(text.try_cast("bigint")))
              .otherwise(text.try_cast("timestamp"));
    };
  }

  private static Column finite(Column number) {
    return when(
            number.isNaN().or(number.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
            lit(null).cast("double"))
        .otherwise(number);
  }

  /** One check: rows for which {@code fails} is true get {@code reason}. */
  private record Rule(String reason, Column fails) {}

  private static Column text(ColumnSpec spec, Set<String> present) {
    return present.contains(spec.name())
        ? blankToNull(trim(Columns.quoted(spec.name())))
        : lit(null).cast("string");
  }

  private static Column typedValue(ColumnSpec spec, Set<String> present) {
    return convert(text(spec, present), spec.type());
  }

  private static List<Rule> rules(InputSchema schema, Set<String> present, Timestamp futureFrom) {
    List<Rule> rules = new ArrayList<>();
    rules.add(new Rule(MALFORMED_LINE, col(RawInput.MALFORMED)));
    rules.add(
        new Rule(INVALID_ENCODING, col(Quarantine.RAW_RECORD).contains(REPLACEMENT_CHARACTER)));
    for (ColumnSpec spec : schema.columns()) {
      Column text = text(spec, present);
      Column value = typedValue(spec, present);
      String name = spec.name();
      if (spec.valueRequired()) {
        rules.add(new Rule(MISSING_VALUE + ":" + name, text.isNull()));
      }
      String unparseable =
          switch (spec.type()) {
            case TIMESTAMP -> UNPARSEABLE_TIMESTAMP;
            case DATE -> UNPARSEABLE_DATE;
            default -> WRONG_TYPE;
          };
      if (spec.type() != ColumnType.STRING && spec.type() != ColumnType.ENUM) {
        rules.add(new Rule(unparseable + ":" + name, text.isNotNull().and(value.isNull())));
      }
      if (spec.type() == ColumnType.TIMESTAMP) {
        rules.add(new Rule(EPOCH_SECONDS + ":" + name, text.rlike(EPOCH_SECONDS_TEXT)));
      }
      if (!spec.allowedValues().isEmpty()) {
        rules.add(
            new Rule(
                UNKNOWN_VALUE + ":" + name,
                value.isNotNull().and(value.isin(spec.allowedValues().toArray()).unary_$bang())));
      }
      if (spec.min().map(m -> m >= 0).orElse(false)) {
        rules.add(new Rule(NEGATIVE_VALUE + ":" + name, value.lt(0)));
      }
      if (spec.min().isPresent() || spec.max().isPresent()) {
        Column outside = lit(false);
        if (spec.min().isPresent()) {
          outside = outside.or(value.lt(spec.min().get()));
        }
        if (spec.max().isPresent()) {
          outside = outside.or(value.gt(spec.max().get()));
        }
        rules.add(new Rule(OUT_OF_RANGE + ":" + name, outside));
      }
      if (spec.notInFuture()) {
        rules.add(new Rule(FUTURE_TIMESTAMP + ":" + name, value.geq(lit(futureFrom))));
      }
    }
    return rules;
  }
}
