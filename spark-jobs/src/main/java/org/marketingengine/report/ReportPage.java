package org.marketingengine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.marketingengine.io.Json;

/**
 * Renders the report page: the FreeMarker template {@code report/report.ftlh} (every value
 * HTML-escaped), with Apache ECharts (from its webjar), the chart script and the summary inlined,
 * so that the one file opens from disk without a network.
 */
public final class ReportPage {
  private ReportPage() {}

  static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  /**
   * The summary as a JSON tree with every non-finite number (a metric of an empty split) made null,
   * so that it is valid JSON for any reader.
   */
  public static JsonNode tree(ReportSummary summary) {
    JsonNode tree = Json.MAPPER.valueToTree(summary);
    return finite(tree);
  }

  private static JsonNode finite(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(finite(field.getValue()));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, finite(node.get(i)));
      }
    } else if (node.isDouble() || node.isFloat()) {
      return Double.isFinite(node.asDouble()) ? node : JsonNodeFactory.instance.nullNode();
    }
    return node;
  }

  /** The labels of the page in {@code language} ({@code en} or {@code zh}). */
  public static Map<String, String> labels(String language) {
    Properties properties = new Properties();
    try (InputStream in = resource("/report/labels_" + language + ".properties")) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the report labels of " + language, e);
    }
    Map<String, String> labels = new TreeMap<>();
    properties.forEach((k, v) -> labels.put((String) k, (String) v));
    return labels;
  }

  /** The page for a summary. */
  public static String render(JsonNode summary, Map<String, String> labels) {
    try {
      Configuration freemarker = new Configuration(Configuration.VERSION_2_3_34);
      freemarker.setClassForTemplateLoading(ReportPage.class, "/report");
      freemarker.setDefaultEncoding("UTF-8");
      freemarker.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
      freemarker.setLogTemplateExceptions(false);
      freemarker.setNumberFormat("computer");
      Template template = freemarker.getTemplate("report.ftlh");
      ObjectNode data = Json.MAPPER.createObjectNode();
      data.set("summary", summary);
      data.set("labels", Json.MAPPER.valueToTree(labels));
      Map<String, Object> model = new HashMap<>();
      model.put("s", Json.MAPPER.convertValue(summary, Map.class));
      model.put("t", labels);
      model.put("data", scriptSafe(Json.MAPPER.writeValueAsString(data)));
      model.put("echarts", text(ECHARTS));
      model.put("charts", text("/report/charts.js"));
      StringWriter out = new StringWriter();
      template.process(model, out);
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the report", e);
    } catch (TemplateException e) {
      throw new IllegalStateException("Cannot render the report: " + e.getMessage(), e);
    }
  }

  /**
   * JSON that can sit inside a {@code <script>} element: {@code <} written as {@code \u003c}, so
   * that no value (a category named {@code </script>}) can end the element.
   */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  private static String text(String path) throws IOException {
    try (InputStream in = resource(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = ReportPage.class.getResourceAsStream(path);
    if (in == null) {
      throw new IOException("Missing resource " + path + " (is the jar complete?)");
    }
    return in;
  }
}
