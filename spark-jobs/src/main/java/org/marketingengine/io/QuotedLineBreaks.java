package org.marketingengine.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.marketingengine.config.CsvOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a CSV input has a quoted field holding a line break, which only Spark's {@code multiLine}
 * mode reads as one record. That mode reads each file in one task, so one large file is parsed on
 * one core (a 190 MB events file of 2.4M rows: two minutes, twice, in ingest); without it Spark
 * splits files between tasks. One parallel pass over the lines decides: a record whose quoted field
 * spans lines leaves an odd number of quote characters on its first line (escaped quotes aside), a
 * record on one line an even number. A line with an odd count for another reason (a stray quote in
 * an unquoted field) only costs the faster mode, never a record.
 */
final class QuotedLineBreaks {
  private static final Logger LOG = LoggerFactory.getLogger(QuotedLineBreaks.class);

  /** Encodings in which the quote character is the one byte it is in ASCII. */
  private static final Set<Charset> ASCII_COMPATIBLE =
      Set.of(
          StandardCharsets.UTF_8,
          StandardCharsets.US_ASCII,
          StandardCharsets.ISO_8859_1,
          Charset.forName("windows-1252"));

  private QuotedLineBreaks() {}

  /** True when some line of the files under {@code path} opens a quoted field it does not close. */
  static boolean present(SparkSession spark, String path, CsvOptions csv) {
    String quote = csv.quote();
    if (quote.isEmpty() || quote.equals("\u0000")) {
      return false; // quoting is off: a line break always ends a record
    }
    if (!asciiCompatible(csv.encoding())) {
      return true; // cannot count quote bytes in this encoding: the safe mode
    }
    Column line = col("value");
    String escape = csv.escape();
    if (!escape.isEmpty() && !escape.equals(quote)) {
      // An escaped escape, then an escaped quote, are text; a doubled quote counts two, even.
      line = regexp_replace(line, Pattern.quote(escape + escape), "");
      line = regexp_replace(line, Pattern.quote(escape + quote), "");
    }
    Column quotes = length(line).minus(length(regexp_replace(line, Pattern.quote(quote), "")));
    try {
      return !spark.read().text(path).where(pmod(quotes, lit(2)).equalTo(1)).isEmpty();
    } catch (Exception e) { // SparkException is checked, but thrown from Scala undeclared
      // A file that cannot be read (say, a .gz that is not gzip) fails the real read next, where
      // ingest turns it into one line naming the file; here it only means the safe mode.
      LOG.debug("Cannot count the quotes of '{}'; reading it with multiLine", path, e);
      return true;
    }
  }

  private static boolean asciiCompatible(String encoding) {
    try {
      return ASCII_COMPATIBLE.contains(Charset.forName(encoding.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
