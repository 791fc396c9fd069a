package org.marketingengine.io;

import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.marketingengine.Columns;
import org.marketingengine.Columns.Quarantine;
import org.marketingengine.config.CleanConfig;

/**
 * Personal data (the columns of {@code marketing.clean.personal-data.columns}) is pseudonymised or
 * dropped as it is read, before anything is written: bronze holds pseudonyms, and a quarantined
 * row's raw record is rebuilt from its parsed fields with the personal ones replaced, so no file
 * the jobs write holds a personal value. Items and market rows describe products and markets, not
 * people (an item's {@code name} is a product name), and are left alone.
 */
public final class PersonalColumns {
  private PersonalColumns() {}

  private static final Set<String> PERSONAL_INPUTS =
      Set.of(InputSchemas.USERS, InputSchemas.EVENTS, InputSchemas.SOCIAL, InputSchemas.RESPONSES);

  /**
   * An input's text rows with personal columns protected and raw records rebuilt without them; the
   * rows unchanged if the input has none. Asks for the key only when there is something to hash.
   */
  static Dataset<Row> protect(Dataset<Row> text, String input, CleanConfig.PersonalData personal) {
    List<String> present =
        personal.columns().stream().filter(Arrays.asList(text.columns())::contains).toList();
    if (!PERSONAL_INPUTS.contains(input) || present.isEmpty()) {
      return text;
    }
    UserDefinedFunction hash =
        personal.mode() == CleanConfig.PersonalDataMode.DROP
            ? null
            : KeyedHash.udfFor(personal.requireSecret());
    Dataset<Row> protectedRows = protect(text, present, hash);
    Column[] data =
        Arrays.stream(protectedRows.columns())
            .filter(c -> !c.equals(Quarantine.RAW_RECORD))
            .filter(c -> !c.equals(Quarantine.SOURCE_FILE))
            .filter(c -> !c.equals(RawInput.MALFORMED))
            .map(Columns::quoted)
            .toArray(Column[]::new);
    return protectedRows.withColumn(Quarantine.RAW_RECORD, to_json(struct(data)));
  }

  /**
   * Replaces personal columns by a keyed hash (HMAC-SHA256, so that joins on them still work and
   * nobody without the key can reverse or recompute them), or drops them when {@code keyedHash} is
   * null.
   */
  public static Dataset<Row> protect(
      Dataset<Row> rows, List<String> personalColumns, UserDefinedFunction keyedHash) {
    Dataset<Row> result = rows;
    for (String column : personalColumns) {
      if (Arrays.asList(result.columns()).contains(column)) {
        result =
            keyedHash == null
                ? result.drop(column)
                : result.withColumn(column, keyedHash.apply(Columns.quoted(column).cast("string")));
      }
    }
    return result;
  }
}
