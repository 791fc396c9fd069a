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
    int futureToleranceHours, double maxQuarantineShare, boolean requireEvents) {

  /** Reads {@code marketing.ingest}. */
  public static IngestConfig from(ConfigValues v) {
    return new IngestConfig(
        v.intIn("marketing.ingest.future-tolerance-hours", 0, 24 * 366),
        v.doubleIn("marketing.ingest.max-quarantine-share", 0.0, false, 1.0),
        v.bool("marketing.ingest.require-events"));
  }
}
