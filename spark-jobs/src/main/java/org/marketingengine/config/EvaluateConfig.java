package org.marketingengine.config;

import java.util.Optional;

/**
 * Settings of the evaluate and export stages.
 *
 * @param minGroupSize treatment or control groups smaller than this are flagged
 * @param segmentSql a SQL expression over silver/users columns that defines the segments
 * @param jdbcUrl the PostgreSQL database of the export, if any
 * @param table the export table
 * @param user the database user
 * @param passwordEnv the environment variable that holds the database password
 */
public record EvaluateConfig(
    int minGroupSize,
    Optional<String> segmentSql,
    Optional<String> jdbcUrl,
    String table,
    Optional<String> user,
    String passwordEnv) {}
