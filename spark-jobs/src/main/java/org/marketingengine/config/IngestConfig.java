package org.marketingengine.config;

/**
 * Settings of the ingest stage.
 *
 * @param futureToleranceHours timestamps up to this long after the run date's end are accepted
 * @param maxQuarantineShare above this share of quarantined rows the input is rejected as a whole
 * @param requireEvents a missing {@code events} input is an error; when false, a data set of user
 *     attributes and campaign responses alone runs through clean, features and the response models
 */
public record IngestConfig(
    int futureToleranceHours, double maxQuarantineShare, boolean requireEvents) {}
