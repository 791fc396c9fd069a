package org.marketingengine.config;

/** A configuration or command-line value is wrong. The CLI exits with code 2. */
public class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
