package org.marketingengine.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.marketingengine.cli.MarketingCli;
import picocli.CommandLine;

/** Runs the {@code marketing} command line in this JVM, as a user would, output discarded. */
public final class Cli {
  private Cli() {}

  /**
   * Runs {@code marketing args...}; its error output goes to {@code err}; returns the exit code.
   */
  public static int run(StringWriter err, String... args) {
    CommandLine cli = MarketingCli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }
}
