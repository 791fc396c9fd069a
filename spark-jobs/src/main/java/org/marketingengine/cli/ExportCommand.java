package org.marketingengine.cli;

import java.util.concurrent.Callable;
import org.marketingengine.config.JobConfig;
import org.marketingengine.export.ExportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code export}: the run date's strategy into PostgreSQL. */
@Command(
    name = "export",
    header = "Export strategy/user_strategy of the run date to PostgreSQL (idempotent).",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the run date's user_strategy rows to marketing.export.table at",
      "marketing.export.jdbc-url, replacing that run date's rows in one transaction. The password",
      "is read from the environment variable named by marketing.export.password-env."
    })
final class ExportCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JobConfig config = global.load();
    try (SparkSessions.JobSession session = SparkSessions.create(config, global.masterFromJob())) {
      long rows = ExportJob.run(session.spark(), config);
      spec.commandLine()
          .getOut()
          .printf(
              "%d rows of %s exported to %s%n", rows, config.runDate(), config.evaluate().table());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
