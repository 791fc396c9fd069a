package org.marketingengine.config;

import java.util.Optional;

/**
 * Settings of the export stage ({@code marketing.export}).
 *
 * @param jdbcUrl the PostgreSQL database of the export, if any
 * @param table the export table
 * @param user the database user
 * @param passwordEnv the environment variable that holds the database password
 * @param password the password, read from {@code passwordEnv} when the configuration was loaded;
 *     never printed ({@link #toString} hides it)
 */
public record ExportConfig(
    Optional<String> jdbcUrl,
    String table,
    Optional<String> user,
    String passwordEnv,
    Optional<String> password) {

  /** Reads {@code marketing.export}. */
  public static ExportConfig from(ConfigValues v) {
    String base = "marketing.export";
    return new ExportConfig(
        v.optionalString(base + ".jdbc-url"),
        v.string(base + ".table"),
        v.optionalString(base + ".user"),
        v.string(base + ".password-env"),
        v.secretFromEnvironment(base + ".password-env"));
  }

  @Override
  public String toString() {
    return "ExportConfig[jdbcUrl="
        + jdbcUrl.orElse("(not set)")
        + ", table="
        + table
        + ", user="
        + user.orElse("(default)")
        + ", passwordEnv="
        + passwordEnv
        + ", password="
        + (password.isPresent() ? "(set)" : "(not set)")
        + "]";
  }
}
