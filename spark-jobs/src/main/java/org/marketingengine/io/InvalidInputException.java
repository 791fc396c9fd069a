package org.marketingengine.io;

/** Input data cannot be used as a whole: missing file or column, wrong type. Exit code 3. */
public class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
