package org.marketingengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final LocalDate DAY = LocalDate.of(2026, 11, 1);

  @TempDir Path dir;

  private static JobConfig load(Optional<Path> file, List<String> sets) {
    return ConfigLoader.load(
        new ConfigLoader.Overrides(
            file, sets, Optional.empty(), Optional.empty(), Optional.empty(), DAY),
        ConfigFactory.empty(),
        name -> null);
  }

  private Path file(String hocon) throws IOException {
    Path path = dir.resolve("test.conf");
    Files.writeString(path, hocon);
    return path;
  }

  @Test
  void defaultsComeFromReferenceConf() {
    JobConfig config = load(Optional.empty(), List.of());

    assertThat(config.runDate()).isEqualTo(DAY);
    assertThat(config.outputRoot()).isEqualTo("output");
    assertThat(config.inputRoot()).isEmpty();
    assertThat(config.tableFormat()).isEqualTo(TableFormat.PARQUET);
    assertThat(config.master()).isEqualTo("local[*]");
    assertThat(config.inputs())
        .containsOnlyKeys("events", "users", "items", "market", "social", "responses");
    assertThat(config.input("events").csv().delimiter()).isEqualTo(",");
    assertThat(config.input("events").path()).isEmpty();
    assertThat(config.ingest().maxQuarantineShare()).isEqualTo(0.5);
    assertThat(config.sparkSettings()).containsEntry("spark.sql.session.timeZone", "UTC");
  }

  @Test
  void layersOverrideInOrderFileEnvironmentSetCli() throws IOException {
    Path conf =
        file(
            """
            marketing.output-root = "from-file"
            marketing.ingest.future-tolerance-hours = 3
            marketing.inputs.users.csv.delimiter = ";"
            spark.sql.shuffle.partitions = 7
            """);
    JobConfig config =
        ConfigLoader.load(
            new ConfigLoader.Overrides(
                Optional.of(conf),
                List.of("marketing.ingest.future-tolerance-hours=5"),
                Optional.of("in"),
                Optional.empty(),
                Optional.of("local[3]"),
                DAY),
            ConfigFactory.parseMap(Map.of("marketing.output-root", "from-env")),
            name -> null);

    assertThat(config.outputRoot()).isEqualTo("from-env");
    assertThat(config.ingest().futureToleranceHours()).isEqualTo(5);
    assertThat(config.inputRoot()).contains("in");
    assertThat(config.master()).isEqualTo("local[3]");
    assertThat(config.input("users").csv().delimiter()).isEqualTo(";");
    assertThat(config.input("events").csv().delimiter()).isEqualTo(",");
    assertThat(config.sparkSettings()).containsEntry("spark.sql.shuffle.partitions", "7");
  }

  @Test
  void inputDefaultsApplyToEveryInput() throws IOException {
    JobConfig config =
        load(Optional.of(file("marketing.input-defaults.csv.delimiter = \"|\"")), List.of());

    assertThat(config.inputs().values()).allMatch(i -> i.csv().delimiter().equals("|"));
  }

  @Test
  void columnMappingsConstantsAndCsvOptionsAreFreeForm() throws IOException {
    JobConfig config =
        load(
            Optional.of(
                file(
                    """
                    marketing.inputs.events {
                      path = "/data/tx.csv"
                      format = csv
                      columns { user_id = "CustomerID", item_id = "StockCode" }
                      constants { event_type = "purchase" }
                      csv.options { dateFormat = "dd/MM/yyyy" }
                    }
                    """)),
            List.of());

    InputConfig events = config.input("events");
    assertThat(events.path()).contains("/data/tx.csv");
    assertThat(events.format()).contains(FileFormat.CSV);
    assertThat(events.columnMapping())
        .containsEntry("user_id", "CustomerID")
        .containsEntry("item_id", "StockCode");
    assertThat(events.constants()).containsEntry("event_type", "purchase");
    assertThat(events.csv().sparkOptions()).containsEntry("dateFormat", "dd/MM/yyyy");
  }

  @Test
  void unknownKeyIsRejectedByName() throws IOException {
    Path conf = file("marketing.ingest.max-quarantine-shar = 0.2");

    assertThatThrownBy(() -> load(Optional.of(conf), List.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Unknown config key 'marketing.ingest.max-quarantine-shar'");
  }

  @Test
  void unknownInputIsRejected() {
    assertThatThrownBy(() -> load(Optional.empty(), List.of("marketing.inputs.orders.path=x")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.inputs.orders.path");
  }

  @Test
  void outOfRangeValueNamesKeyAndRange() {
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.ingest.max-quarantine-share=1.5")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.ingest.max-quarantine-share")
        .hasMessageContaining("1.5")
        .hasMessageContaining("at most 1.0");
  }

  @Test
  void wrongTypeNamesKey() {
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.ingest.future-tolerance-hours=soon")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'marketing.ingest.future-tolerance-hours' must be a whole number");
  }

  /** The leaf keys of reference.conf under marketing, with their value types. */
  private static Map<String, com.typesafe.config.ConfigValueType> referenceKeys() {
    Map<String, com.typesafe.config.ConfigValueType> keys = new java.util.TreeMap<>();
    com.typesafe.config.Config reference =
        ConfigFactory.defaultReference().resolve().getConfig("marketing");
    for (Map.Entry<String, com.typesafe.config.ConfigValue> e : reference.entrySet()) {
      keys.put("marketing." + e.getKey(), e.getValue().valueType());
    }
    return keys;
  }

  private static Optional<String> rejection(String set) {
    try {
      load(Optional.empty(), List.of(set));
      return Optional.empty();
    } catch (InvalidConfigException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Test
  void everyNumberAndSwitchIsCheckedForTypeAndSignBeforeAnyDataIsRead() {
    List<String> unchecked = new java.util.ArrayList<>();
    int typeChecked = 0;
    int signChecked = 0;
    for (Map.Entry<String, com.typesafe.config.ConfigValueType> key : referenceKeys().entrySet()) {
      String name = key.getKey();
      if (name.startsWith("marketing.spark.")) {
        continue; // passed to Spark as they are
      }
      // input-defaults reach the loader as marketing.inputs.<input>.<key>, named so in the error
      String named = name.replace("marketing.input-defaults.", ".");
      switch (key.getValue()) {
        case NUMBER, BOOLEAN -> {
          Optional<String> wrongType = rejection(name + "=\"not-a-value\"");
          if (wrongType.isEmpty() || !wrongType.get().contains(named)) {
            unchecked.add(name + " accepts text: " + wrongType);
          }
          typeChecked++;
          if (key.getValue() == com.typesafe.config.ConfigValueType.NUMBER
              && !NEGATIVE_ALLOWED.contains(name)) {
            Optional<String> negative = rejection(name + "=-7");
            if (negative.isEmpty() || !negative.get().contains(named)) {
              unchecked.add(name + " accepts -7: " + negative);
            }
            signChecked++;
          }
        }
        default -> {}
      }
    }
    assertThat(unchecked).isEmpty();
    assertThat(typeChecked).isGreaterThan(50);
    org.marketingengine.testing.ReliabilityLog.passed(
        "12 wrong config values",
        "each of the "
            + typeChecked
            + " number and true/false keys of reference.conf set to text, each of "
            + signChecked
            + " numbers set to -7; an unknown key; a value out of its range",
        "exit 2 naming the key, before any data is read",
        "all rejected by the config loader (InvalidConfigException, exit 2) with the key named;"
            + " the loader runs before Spark starts");
  }

  /** Numbers for which a negative value means something: random seeds. */
  private static final java.util.Set<String> NEGATIVE_ALLOWED =
      java.util.Set.of(
          "marketing.generate.seed",
          "marketing.profile.clusters.seed",
          "marketing.recommend.als.seed",
          "marketing.recommend.evaluation.seed",
          "marketing.recommend.tune.seed",
          "marketing.train.seed");

  @Test
  void badEnumValuesAreRejected() {
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.output.table-format=iceberg")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.output.table-format")
        .hasMessageContaining("parquet or delta");
    assertThatThrownBy(() -> load(Optional.empty(), List.of("marketing.inputs.events.format=json")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.inputs.events.format");
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.train.challengers=[gbt, xgboost]")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.train.challengers")
        .hasMessageContaining("[gbt] or []");
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.train.grids.gbt.max-depth=[4, 0]")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.train.grids.gbt.max-depth")
        .hasMessageContaining("from 1 to 30");
    assertThat(
            load(Optional.empty(), List.of("marketing.train.challengers=[]")).train().challengers())
        .isEmpty();
    assertThat(load(Optional.empty(), List.of()).train().tolerance()).isEqualTo(1e-6);
    assertThat(load(Optional.empty(), List.of()).train().maxTrainingRows()).isEqualTo(250_000);
    assertThat(
            load(Optional.empty(), List.of("marketing.train.max-training-rows=0"))
                .train()
                .maxTrainingRows())
        .isZero();
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.train.max-training-rows=100")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.train.max-training-rows' is 100")
        .hasMessageContaining("at least marketing.train.min-rows (200)");
    assertThat(
            load(Optional.empty(), List.of("marketing.train.tolerance=1e-4")).train().tolerance())
        .isEqualTo(1e-4);
    assertThatThrownBy(() -> load(Optional.empty(), List.of("marketing.train.tolerance=0")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.train.tolerance");
    assertThat(
            load(Optional.empty(), List.of("marketing.train.sentinels={ pdays = 999 }"))
                .train()
                .sentinels())
        .containsEntry("pdays", 999.0);
    assertThatThrownBy(
            () -> load(Optional.empty(), List.of("marketing.train.sentinels={ pdays = never }")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.train.sentinels");
    String mine =
        "marketing.recommend.tune.event-weight-profiles.mine="
            + "{ view = 0, click = 1, cart = 2, favorite = 1, purchase = 9, review = 1 }";
    assertThat(load(Optional.empty(), List.of(mine)).recommend().tune().weightProfiles())
        .containsKeys("mine", "uniform", "intent");
    assertThatThrownBy(
            () ->
                load(
                    Optional.empty(),
                    List.of("marketing.recommend.tune.event-weight-profiles.mine={ view = 1 }")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("event-weight-profiles.mine.click");
    assertThatThrownBy(() -> load(Optional.empty(), List.of("marketing.recommend.tune.refine=8")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("marketing.recommend.tune.refine");
  }

  @Test
  void setMustBeKeyEqualsValueInOurNamespace() {
    assertThatThrownBy(() -> load(Optional.empty(), List.of("output-root")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("is not key=value");
    assertThatThrownBy(() -> load(Optional.empty(), List.of("output-root=x")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("keys start with 'marketing.' or 'spark.'");
  }

  @Test
  void missingOrInvalidConfFileIsAConfigError() throws IOException {
    assertThatThrownBy(() -> load(Optional.of(dir.resolve("nope.conf")), List.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("nope.conf' does not exist");
    Path broken = file("marketing { output-root = ");
    assertThatThrownBy(() -> load(Optional.of(broken), List.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("is not valid HOCON");
  }

  @Test
  void anIncludeOfAMissingFileIsAConfigErrorNamingIt() throws IOException {
    Path included = dir.resolve("included.conf");
    Files.writeString(included, "marketing.train.seed = 7\n");
    Path good = file("include \"included.conf\"\n");
    assertThat(load(Optional.of(good), List.of()).train().seed()).isEqualTo(7);

    Path conf = file("include \"does-not-exist.conf\"\nmarketing.train.seed = 7\n");
    assertThatThrownBy(() -> load(Optional.of(conf), List.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("includes a file that cannot be read")
        .hasMessageContaining("does-not-exist.conf");
    org.marketingengine.testing.ReliabilityLog.passed(
        "12 include of a missing file",
        "a --conf file whose include names a file that does not exist",
        "exit 2 naming the file, before any data is read (HOCON itself skips it silently)",
        "InvalidConfigException (exit 2) naming does-not-exist.conf; an existing include still"
            + " applies");
  }

  @Test
  void shippedConfFilesAreValid() {
    Path root = Path.of(System.getProperty("marketing.repo.root", ".."));
    for (String name : List.of("local.conf", "cluster.conf", "examples/online-retail.conf")) {
      JobConfig config = load(Optional.of(root.resolve("conf").resolve(name)), List.of());
      assertThat(config.outputRoot()).isNotBlank();
    }
  }
}
