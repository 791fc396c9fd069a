package org.marketingengine.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cli-spec}: every subcommand with its option names as JSON, for tools that generate or
 * check calls of the CLI (the Airflow DAG check). Hidden from the usage help.
 */
@Command(
    name = "cli-spec",
    hidden = true,
    description = "Print every subcommand and its options as JSON.")
final class CliSpecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Subcommand name to its option names, sorted. */
  static Map<String, TreeSet<String>> options(CommandLine root) {
    Map<String, TreeSet<String>> result = new TreeMap<>();
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      TreeSet<String> names = new TreeSet<>();
      for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
        names.addAll(java.util.List.of(option.names()));
      }
      result.put(sub.getKey(), names);
    }
    return result;
  }

  @Override
  public Integer call() {
    StringBuilder json = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, TreeSet<String>> e : options(spec.parent().commandLine()).entrySet()) {
      json.append(first ? "" : ",").append("\n  \"").append(e.getKey()).append("\": [");
      json.append(String.join(", ", e.getValue().stream().map(n -> "\"" + n + "\"").toList()));
      json.append("]");
      first = false;
    }
    spec.commandLine().getOut().println(json.append("\n}"));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
