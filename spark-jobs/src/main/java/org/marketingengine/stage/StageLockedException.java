package org.marketingengine.stage;

/** Another run of the same stage and date holds its {@link StageLock}. */
public final class StageLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StageLockedException(String message) {
    super(message);
  }
}
