package org.marketingengine.strategy;

import org.apache.spark.sql.types.StructType;

/** The hand-made profile schema of the strategy tests, for tests of other packages. */
public final class StrategyJobTestAccess {
  public static final StructType PROFILES = StrategyJobTest.PROFILES;

  private StrategyJobTestAccess() {}
}
