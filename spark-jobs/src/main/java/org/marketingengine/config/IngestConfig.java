package org.marketingengine.config;

/**
 * Settings of the ingest stage.
 *
 * @param futureToleranceHours timestamps up to this long after the run date's end are accepted
 * @param maxQuarantineShare above this share of quarantined rows the input is rejected as a whole
 */
public record IngestConfig(int futureToleranceHours, double maxQuarantineShare) {}
