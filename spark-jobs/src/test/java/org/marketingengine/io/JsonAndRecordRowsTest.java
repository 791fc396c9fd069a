package org.marketingengine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonAndRecordRowsTest {
  @TempDir Path dir;

  record Card(String modelName, long rowsRead, double aucRoc, boolean champion) {}

  @Test
  void jsonUsesSnakeCaseKeysAndReadsBackWhatItWrote() throws Exception {
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(dir.resolve("card.json").toUri());
    Configuration hadoop = new Configuration();
    Card card = new Card("purchase", 1200, 0.81, true);

    assertThat(Json.exists(hadoop, file)).isFalse();
    Json.write(hadoop, file, card);

    assertThat(Json.exists(hadoop, file)).isTrue();
    assertThat(Files.readString(dir.resolve("card.json")))
        .contains("\"model_name\" : \"purchase\"", "\"rows_read\" : 1200", "\"auc_roc\" : 0.81");
    assertThat(Json.read(hadoop, file, Card.class)).isEqualTo(card);
    // Rewriting replaces the file; nothing staged is left beside it.
    Json.write(hadoop, file, new Card("purchase", 1300, 0.8, false));
    assertThat(Json.read(hadoop, file, Card.class).rowsRead()).isEqualTo(1300);
    try (var files = Files.list(dir);
        var staged = Files.list(dir.resolve(StagedPublish.STAGING))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")))
          .containsExactlyInAnyOrder("card.json", ".card.json.crc");
      assertThat(staged).isEmpty();
    }
  }

  record Effect(String campaignId, long treatmentUsers, Double pValue, boolean smallGroup) {}

  @Test
  void recordRowsNameColumnsInSnakeCaseInDeclarationOrder() {
    StructType schema = RecordRows.schema(Effect.class);

    assertThat(schema.fieldNames())
        .containsExactly("campaign_id", "treatment_users", "p_value", "small_group");
    assertThat(schema.apply("treatment_users").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(schema.apply("p_value").dataType()).isEqualTo(DataTypes.DoubleType);
    Row row = RecordRows.row(new Effect("c1", 10, null, true));
    assertThat(row.getString(0)).isEqualTo("c1");
    assertThat(row.getLong(1)).isEqualTo(10);
    assertThat(row.isNullAt(2)).isTrue();
    assertThat(row.getBoolean(3)).isTrue();
  }

  record Unsupported(LocalDate day, List<String> names) {}

  @Test
  void aComponentWithoutAColumnTypeIsRefusedByName() {
    assertThatThrownBy(() -> RecordRows.schema(Unsupported.class))
        .hasMessageContaining("Unsupported.day");
  }
}
