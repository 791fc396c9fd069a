package org.marketingengine.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven by Selenium, for pages the jobs write. The network is cut off (every
 * host name resolves to nothing and every request goes to a dead proxy), so a page that needs
 * anything from elsewhere shows it. Debian's chromium and chromium-driver are installed by {@code
 * scripts/ci/chromium.sh} when missing.
 */
public final class Browser implements AutoCloseable {
  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  public static Browser open() throws IOException, InterruptedException {
    Process install =
        new ProcessBuilder(
                "bash", TestConfigs.repoRoot().resolve("scripts/ci/chromium.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<String> paths =
        new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .toList();
    if (install.waitFor() != 0 || paths.size() < 2) {
      throw new IllegalStateException("scripts/ci/chromium.sh found no chromium: " + paths);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(paths.get(0));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--window-size=1300,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(paths.get(1)))
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options));
  }

  /** Opens a file and waits until {@code document.body.dataset[doneFlag]} is "true". */
  public void load(Path file, String doneFlag) throws InterruptedException {
    driver.get(file.toUri().toString());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!"true".equals(script("return document.body.dataset." + doneFlag + ";"))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(file + ": the page did not finish within 60 s");
      }
      Thread.sleep(100);
    }
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public WebElement one(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  /** The console messages at SEVERE level (errors) since the last call. */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** The width and height of an element's box, in CSS pixels. */
  @SuppressWarnings("unchecked")
  public Map<String, Number> size(WebElement element) {
    return (Map<String, Number>)
        script(
            "var r = arguments[0].getBoundingClientRect(); return {width: r.width, height: r.height};",
            element);
  }

  /** A screenshot of the whole page (the window is made as tall as the page first). */
  public void screenshot(Path png) throws IOException {
    Number height = (Number) script("return document.documentElement.scrollHeight;");
    driver.manage().window().setSize(new Dimension(1300, Math.min(height.intValue() + 40, 16000)));
    Files.createDirectories(png.getParent());
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
