package org.marketingengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.marketingengine.config.TableFormat;
import org.marketingengine.io.TableStore;
import org.marketingengine.io.Tables;
import org.marketingengine.testing.Cli;
import org.marketingengine.testing.ReliabilityLog;
import org.marketingengine.testing.SparkExtension;

/**
 * Broken and hostile rows through ingest and clean via the CLI: every row read is kept, quarantined
 * with the expected reason, or removed, and the values that are data (Chinese, emoji, quotes and
 * line breaks inside fields, injection strings) come out unchanged. Files that cannot be read at
 * all stop ingest with exit 3 and one line naming the file.
 */
@ExtendWith(SparkExtension.class)
class HostileInputTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 1);
  private static final String HEADER =
      "event_id,user_id,item_id,event_type,event_time,quantity,price,rating,channel,session_id";
  private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
  private static final String LONG_ITEM = "i" + "x".repeat(10_000);
  private static final List<String> INJECTION_IDS =
      List.of(
          "o'; drop table users; --",
          "</script><script>alert(1)</script>",
          "${jndi:ldap://127.0.0.1/a}",
          "%s%n{offer}");

  @TempDir Path dir;

  private static String event(String id, String user, String time) {
    return id + "," + user + ",i1,view," + time + ",1,10.0,,web,s-" + id;
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\"", "\"\"") + "\"";
  }

  /** Expected outcome per event id: kept, or the quarantine reason. */
  private final Map<String, String> expected = new HashMap<>();

  private Path hostileInput() throws IOException {
    Path in = dir.resolve("in");
    Path events = Files.createDirectories(in.resolve("events"));
    List<String> good = new ArrayList<>(List.of(HEADER));
    for (int i = 0; i < 10; i++) {
      good.add(event("g" + i, "u" + (i % 4), "2026-10-0" + (i % 9 + 1) + "T10:00:00Z"));
      expected.put("g" + i, "kept");
    }
    good.add(event("g0", "u0", "2026-10-01T10:00:00Z")); // an exact duplicate: removed by clean
    for (int i = 0; i < INJECTION_IDS.size(); i++) {
      good.add("x" + i + "," + quoted(INJECTION_IDS.get(i)) + ",i2,view,2026-10-02T10:00:00Z,,,,,");
      expected.put("x" + i, "kept");
    }
    good.add("z1,u1,i1,view,2026-10-25T01:30:00+02:00,1,10.0,,web,s"); // 23:30 UTC the day before
    good.add("z2,u1,i1,view,2026-10-25 01:30:00,1,10.0,,web,s"); // the hour repeated in Europe
    good.add("z3,u1,i1,view,2026-10-25T01:30:00-05:00,1,10.0,,web,s");
    good.add("z4,u1,i1,view,-315619200000,1,10.0,,web,s"); // 1960 in epoch milliseconds
    good.add("z5,u1,i1,view,1761955200000,1,10.0,,web,s"); // 2025-11-01 in epoch milliseconds
    good.add("z6,u1,i1,view,1761955200,1,10.0,,web,s"); // the same in seconds: quarantined
    good.add("z7,u1,i1,view,2100-01-01T00:00:00Z,1,10.0,,web,s");
    good.add("z8,u1,i1,view,2026-10-02T10:00:00Z,1,ten,,web,s"); // text where a number was
    good.add("z9,u1," + LONG_ITEM + ",view,2026-10-02T10:00:00Z,1,10.0,,web,s");
    for (String id : List.of("z1", "z2", "z3", "z4", "z5", "z9")) {
      expected.put(id, "kept");
    }
    expected.put("z6", "epoch_seconds:event_time");
    expected.put("z7", "future_timestamp:event_time");
    expected.put("z8", "wrong_type:price");
    Files.write(events.resolve("a-good.csv"), good, StandardCharsets.UTF_8);

    Files.writeString(
        events.resolve("b-truncated.csv"),
        HEADER + "\n" + event("t1", "u1", "2026-10-02T10:00:00Z") + "\nt2,u2,i1,purch");
    expected.put("t1", "kept");
    expected.put("t2", "malformed_line");
    Files.write(events.resolve("c-empty.csv"), new byte[0]);
    Files.writeString(events.resolve("d-header-only.csv"), HEADER + "\n");

    String crlf =
        HEADER
            + "\r\nb1,用户1,i1,view,2026-10-02T10:00:00Z,1,10.0,,web,\"s 1 \uD83D\uDE00\"\r\n"
            + "b2,u2,i1,view,2026-10-02T10:00:00Z,1,10.0,,web,"
            + quoted("line one\nline \"two\"")
            + "\r\n";
    Files.write(events.resolve("e-bom-crlf.csv"), concat(BOM, crlf));
    expected.put("b1", "kept");
    expected.put("b2", "kept");

    byte[] latin1 =
        (HEADER + "\nl1,u\u00e9t\u00e9,i1,view,2026-10-02T10:00:00Z,1,10.0,,web,s\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(events.resolve("f-latin1.csv"), latin1);
    expected.put("l1", "invalid_encoding");

    Files.write(
        in.resolve("items.csv"),
        List.of(
            "item_id,name,category,brand,price,margin_rate,in_stock",
            "i1,衬衫 \uD83D\uDC55,服装,b,10,0.3,true",
            "i2,\"Cup, \"\"large\"\"\",</script>,b,5,0.2,true",
            LONG_ITEM + ",Long,'; delete from items; --,b,1,0.1,true"),
        StandardCharsets.UTF_8);
    Files.write(
        in.resolve("users.csv"),
        concat(
            BOM,
            "user_id,age,income,gender,region,signup_date,email_opt_in,sms_opt_in,push_opt_in\r\n"
                + "u1,30,100,f,n,1955-03-01,true,true,true\r\n"));
    return in;
  }

  private static byte[] concat(byte[] head, String tail) {
    byte[] text = tail.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + text.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(text, 0, all, head.length, text.length);
    return all;
  }

  private static int cli(StringWriter err, String stage, Path in, Path out) {
    return Cli.run(
        err,
        stage,
        "--input",
        in.toString(),
        "--output",
        out.toString(),
        "--run-date",
        RUN_DATE.toString());
  }

  @Test
  void everyRowIsKeptQuarantinedOrRemovedAndDataComesThroughUnchanged(SparkSession spark)
      throws IOException {
    Path in = hostileInput();
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    assertThat(cli(err, "ingest", in, out)).as(err.toString()).isZero();
    assertThat(cli(err, "clean", in, out)).as(err.toString()).isZero();

    JsonNode report =
        new ObjectMapper().readTree(out.resolve("runs/2026-11-01/data_quality.json").toFile());
    JsonNode summary = report.path("inputs").path("events").path("summary");
    long rowsWritten = expected.size() + 1; // and the duplicate
    assertThat(summary.path("rows_read").asLong()).isEqualTo(rowsWritten);
    assertThat(summary.path("reconciles").asBoolean()).isTrue();
    assertThat(summary.path("duplicates_removed").asLong()).isEqualTo(1);
    for (String input : List.of("users", "items")) {
      assertThat(report.path("inputs").path(input).path("summary").path("reconciles").asBoolean())
          .as(input)
          .isTrue();
    }

    TableStore store = new TableStore(spark, out.toString(), TableFormat.PARQUET);
    Map<String, String> outcome = new HashMap<>();
    for (Row row : store.read(Tables.quarantine("events"), RUN_DATE).collectAsList()) {
      String raw = row.getAs("raw_record");
      expected.keySet().stream()
          .filter(id -> raw.startsWith(id + ",") || raw.contains("\"event_id\":\"" + id + "\""))
          .forEach(id -> outcome.put(id, row.getAs("reason")));
    }
    Map<String, Row> silver = new HashMap<>();
    for (Row row : store.read(Tables.silver("events"), RUN_DATE).collectAsList()) {
      silver.put(row.getAs("event_id"), row);
      outcome.put(row.getAs("event_id"), "kept");
    }
    assertThat(outcome).isEqualTo(expected);
    assertThat(silver).hasSize((int) summary.path("rows_kept").asLong());

    assertThat((String) silver.get("b1").getAs("user_id")).isEqualTo("用户1");
    assertThat((String) silver.get("b1").getAs("session_id")).isEqualTo("s 1 \uD83D\uDE00");
    assertThat((String) silver.get("b2").getAs("session_id")).isEqualTo("line one\nline \"two\"");
    for (int i = 0; i < INJECTION_IDS.size(); i++) {
      assertThat((String) silver.get("x" + i).getAs("user_id")).isEqualTo(INJECTION_IDS.get(i));
    }
    assertThat((String) silver.get("z9").getAs("item_id")).isEqualTo(LONG_ITEM);
    assertThat(time(silver, "z1")).isEqualTo(Instant.parse("2026-10-24T23:30:00Z"));
    assertThat(time(silver, "z2")).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    assertThat(time(silver, "z3")).isEqualTo(Instant.parse("2026-10-25T06:30:00Z"));
    assertThat(time(silver, "z4")).isEqualTo(Instant.parse("1960-01-01T00:00:00Z"));
    assertThat(time(silver, "z5")).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));

    List<String> categories =
        store
            .read(Tables.silver("items"), RUN_DATE)
            .select("category")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(categories).containsExactlyInAnyOrder("服装", "</script>", "'; delete from items; --");
    Row user = store.read(Tables.silver("users"), RUN_DATE).first();
    assertThat((String) user.getAs("user_id")).isEqualTo("u1");

    ReliabilityLog.passed(
        "6-9 broken rows",
        "events as 6 CSV files: a truncated line, an empty file, a header-only file, UTF-8 with BOM"
            + " and CRLF, Latin-1 bytes, quotes and a line break inside a field, Chinese and emoji,"
            + " offsets, the repeated 01:30 of a DST change, epoch ms before 1970, epoch seconds,"
            + " 2100, text in a number column, a duplicate, a 10 kB item id; users with a BOM",
        "read = kept + quarantined + removed; each bad row quarantined with its reason; values"
            + " unchanged",
        rowsWritten
            + " rows read = "
            + summary.path("rows_kept").asLong()
            + " kept + "
            + summary.path("rows_quarantined").asLong()
            + " quarantined ("
            + "malformed_line, invalid_encoding, epoch_seconds, future_timestamp, wrong_type) + 1"
            + " duplicate removed; 用户1, 服装, emoji and the embedded line break unchanged;"
            + " times in UTC");
    ReliabilityLog.passed(
        "11b injection strings as data",
        "user ids and categories holding ', ;, --, </script>, ${jndi:...}, %s and {offer}",
        "kept unchanged as data through ingest and clean",
        INJECTION_IDS.size() + " ids and 2 categories read back byte for byte from silver");
  }

  /** One events directory per unreadable case: file name to its bytes, or a Parquet writer. */
  private Path eventsDir(String name) throws IOException {
    Path events = dir.resolve(name).resolve("events");
    Files.createDirectories(events);
    Files.writeString(
        events.resolve("a-good.csv"),
        HEADER + "\n" + event("g1", "u1", "2026-10-02T10:00:00Z") + "\n");
    return events;
  }

  /** Writes one row as a single Parquet file {@code file}, price of the given SQL type. */
  private void writeParquet(SparkSession spark, Path file, String priceType) throws IOException {
    Path tmp = dir.resolve("spark-" + file.getFileName());
    spark
        .sql(
            "select 'p1' as event_id, 'u1' as user_id, 'i1' as item_id, 'view' as event_type,"
                + " timestamp'2026-10-02 10:00:00' as event_time, cast(10 as "
                + priceType
                + ") as price")
        .coalesce(1)
        .write()
        .parquet(tmp.toString());
    try (java.util.stream.Stream<Path> parts = Files.list(tmp)) {
      Path part = parts.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.createDirectories(file.getParent());
      Files.move(part, file);
    }
  }

  @Test
  void anUnreadableFileStopsIngestWithOneLineNamingIt(SparkSession spark) throws IOException {
    Map<String, Path> cases = new java.util.LinkedHashMap<>();
    Path reordered = eventsDir("reordered");
    Files.writeString(
        reordered.resolve("b-reordered.csv"),
        "user_id,event_id,item_id,event_type,event_time,quantity,price,rating,channel,session_id\n"
            + "u2,r1,i1,view,2026-10-02T10:00:00Z,1,10.0,,web,s\n");
    cases.put("b-reordered.csv", reordered);
    Path gzip = eventsDir("gzip");
    Files.writeString(gzip.resolve("b-not-gzip.csv.gz"), HEADER + "\n");
    cases.put("b-not-gzip.csv.gz", gzip);

    Path parquet = dir.resolve("parquet").resolve("events");
    writeParquet(spark, parquet.resolve("a-good.parquet"), "double");
    byte[] bytes = Files.readAllBytes(parquet.resolve("a-good.parquet"));
    Files.write(
        parquet.resolve("b-truncated.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    cases.put("b-truncated.parquet", parquet);

    Path drift = dir.resolve("drift").resolve("events");
    writeParquet(spark, drift.resolve("day1.parquet"), "double");
    writeParquet(spark, drift.resolve("day2.parquet"), "string");
    cases.put("price", drift);

    Path renamed = dir.resolve("renamed").resolve("events");
    Files.createDirectories(renamed);
    Files.writeString(
        renamed.resolve("events.csv"),
        HEADER.replace("user_id", "customer_id")
            + "\n"
            + event("g1", "u1", "2026-10-02T10:00:00Z"));
    cases.put("user_id", renamed);

    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Path> c : cases.entrySet()) {
      Path out = dir.resolve("out-" + c.getValue().getParent().getFileName());
      StringWriter err = new StringWriter();
      assertThat(cli(err, "ingest", c.getValue().getParent(), out)).as(err.toString()).isEqualTo(3);
      String line = err.toString().trim();
      assertThat(line)
          .doesNotContain("\n")
          .contains(c.getKey())
          .startsWith("marketing: Cannot read events");
      assertThat(out.resolve("bronze/events")).doesNotExist();
      lines.add(line);
    }
    ReliabilityLog.passed(
        "6-7 unreadable files",
        "an events directory holding a CSV file whose columns are in another order, a .csv.gz that"
            + " is not gzip, a Parquet file cut in half, Parquet days whose price changed from"
            + " double to string; a renamed required column",
        "exit 3 and one line naming the file or column, before bronze is written",
        "exit 3 for all 5, bronze/events not written; e.g. \""
            + lines.get(0).replace(dir.toString(), "DIR")
            + "\"");
  }

  private static Instant time(Map<String, Row> rows, String id) {
    return ((Timestamp) rows.get(id).getAs("event_time")).toInstant();
  }
}
