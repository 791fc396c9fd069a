package org.marketingengine.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;
import java.io.File;

/**
 * Makes every {@code include} of a config file required: HOCON skips a missing include silently, so
 * a typo in an included file name would run the job on the defaults. Here it is a config error
 * naming the file (exit 2).
 */
final class RequiredIncludes implements ConfigIncluder, ConfigIncluderFile {

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this;
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    ConfigParseable relative = context.relativeTo(what);
    if (relative == null) {
      throw new InvalidConfigException("Config include '" + what + "' cannot be resolved");
    }
    return relative.parse(context.parseOptions().setAllowMissing(false));
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File file) {
    return ConfigFactory.parseFile(file, context.parseOptions().setAllowMissing(false)).root();
  }
}
