package org.marketingengine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.CsvOptions;
import org.marketingengine.testing.SparkExtension;

@ExtendWith(SparkExtension.class)
class QuotedLineBreaksTest {
  private static final CsvOptions RFC =
      new CsvOptions(",", true, "\"", "\"", "UTF-8", "", Map.of());
  private static final CsvOptions BACKSLASH =
      new CsvOptions(",", true, "\"", "\\", "UTF-8", "", Map.of());

  @TempDir Path dir;

  private String write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  @Test
  void aQuotedFieldSpanningLinesIsFound(SparkSession spark) throws IOException {
    String path = write("a.csv", "user_id,note\nu1,\"two\nlines\"\nu2,plain\n");
    assertThat(QuotedLineBreaks.present(spark, path, RFC)).isTrue();
  }

  @Test
  void quotedFieldsOnOneLineAndDoubledQuotesAreNot(SparkSession spark) throws IOException {
    String path =
        write("b.csv", "user_id,note\nu1,\"a, b\"\nu2,\"say \"\"hi\"\"\"\nu3,\"\"\nu4,plain\n");
    assertThat(QuotedLineBreaks.present(spark, path, RFC)).isFalse();
  }

  @Test
  void backslashEscapedQuotesAreText(SparkSession spark) throws IOException {
    String oneLine = write("c.csv", "user_id,note\nu1,\"say \\\"hi\"\nu2,\"back\\\\\"\n");
    assertThat(QuotedLineBreaks.present(spark, oneLine, BACKSLASH)).isFalse();
    String spanning = write("d.csv", "user_id,note\nu1,\"say \\\"hi\nthere\"\n");
    assertThat(QuotedLineBreaks.present(spark, spanning, BACKSLASH)).isTrue();
  }

  @Test
  void everyFileOfADirectoryIsLookedAt(SparkSession spark) throws IOException {
    Files.createDirectories(dir.resolve("events"));
    write("events/part-0.csv", "user_id,note\nu1,plain\n");
    write("events/part-1.csv", "user_id,note\nu2,\"broken\nacross\"\n");
    assertThat(QuotedLineBreaks.present(spark, dir.resolve("events").toString(), RFC)).isTrue();
  }

  @Test
  void withoutQuotingOrInAnotherEncodingTheAnswerNeedsNoPass(SparkSession spark)
      throws IOException {
    String path = write("e.csv", "user_id,note\nu1,\"open\n");
    assertThat(
            QuotedLineBreaks.present(
                spark, path, new CsvOptions(",", true, "", "\"", "UTF-8", "", Map.of())))
        .isFalse();
    assertThat(
            QuotedLineBreaks.present(
                spark, path, new CsvOptions(",", true, "\"", "\"", "UTF-16", "", Map.of())))
        .isTrue();
  }
}
