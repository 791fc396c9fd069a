package org.marketingengine.config;

/** Defaults of the generate-data command. */
public record GenerateConfig(
    long users,
    int items,
    int days,
    long seed,
    FileFormat format,
    double badRowsRate,
    int categories) {}
