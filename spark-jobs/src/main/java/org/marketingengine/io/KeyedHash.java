package org.marketingengine.io;

import static org.apache.spark.sql.functions.udf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * HMAC-SHA256 of a text value, hex-encoded: the pseudonym of a personal value. A UDF rather than
 * {@code sha2(concat(key, value))} so that the key never appears in query plans, the Spark UI or
 * logs.
 */
public final class KeyedHash implements UDF1<String, String> {
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] key;
  private transient Mac mac;

  private KeyedHash(byte[] key) {
    this.key = key.clone();
  }

  /** The UDF for a secret key; deterministic, so equal values get equal pseudonyms. */
  public static UserDefinedFunction udfFor(String secret) {
    return udf(new KeyedHash(secret.getBytes(StandardCharsets.UTF_8)), DataTypes.StringType);
  }

  @Override
  public String call(String value) throws GeneralSecurityException {
    if (value == null) {
      return null;
    }
    if (mac == null) {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
    }
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }
}
