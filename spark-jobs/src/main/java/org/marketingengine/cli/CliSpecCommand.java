package org.marketingengine.cli;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.marketingengine.io.Json;
import org.marketingengine.pipeline.Pipeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cli-spec}: the pipeline's stage order and every subcommand with its option names, as JSON,
 * for tools that generate or check calls of the CLI (the Airflow DAG check). Hidden from the usage
 * help.
 */
@Command(
    name = "cli-spec",
    hidden = true,
    description = "Print the pipeline's stages and every subcommand's options as JSON.")
final class CliSpecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final Pipeline pipeline;

  CliSpecCommand(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** The JSON document: {@code pipeline} (run-all's stages in order) and {@code subcommands}. */
  record CliSpec(List<String> pipeline, Map<String, TreeSet<String>> subcommands) {}

  /** Subcommand name to its option names, sorted. */
  static Map<String, TreeSet<String>> options(CommandLine root) {
    Map<String, TreeSet<String>> result = new TreeMap<>();
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      TreeSet<String> names = new TreeSet<>();
      for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
        names.addAll(List.of(option.names()));
      }
      result.put(sub.getKey(), names);
    }
    return result;
  }

  @Override
  public Integer call() {
    CliSpec cli = new CliSpec(pipeline.names(), options(spec.parent().commandLine()));
    try {
      spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(cli));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    spec.commandLine().getOut().flush();
    return MarketingCli.OK;
  }
}
