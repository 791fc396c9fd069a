package org.marketingengine.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.marketingengine.testing.TestConfigs;

/**
 * The shape of the main code, checked on every build: no class a newcomer must read whole (at most
 * 400 lines), no method over 80 lines, and packages that follow the data's path: a package imports
 * only packages at or before it in the pipeline, so a reader finds where a column is made by
 * following the pipeline.
 */
class CodeShapeTest {
  static final int MAX_FILE_LINES = 400;
  static final int MAX_METHOD_LINES = 80;

  /** The packages in pipeline order; the root package (Columns) comes first. */
  static final List<String> ORDER =
      List.of(
          "",
          "config",
          "io",
          "quality",
          "stage",
          "generate",
          "ingest",
          "clean",
          "interactions",
          "features",
          "model",
          "profile",
          "recommend",
          "campaign",
          "evaluate",
          "strategy",
          "export",
          "report",
          "pipeline",
          "cli");

  private static final String BASE = "org.marketingengine";
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?org\\.marketingengine\\.([a-z]+)\\.", Pattern.MULTILINE);
  private static final Pattern CONTROL =
      Pattern.compile(
          "\\b(if|for|while|switch|catch|synchronized|try|else|do|return|new)\\b[^;]*$");

  static List<Path> mainSources() throws IOException {
    Path root = TestConfigs.repoRoot().resolve("spark-jobs/src/main/java/org/marketingengine");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  static String pkg(Path file) throws IOException {
    Matcher m =
        Pattern.compile("^package " + Pattern.quote(BASE) + "\\.?([a-z]*);", Pattern.MULTILINE)
            .matcher(Files.readString(file));
    return m.find() ? m.group(1) : "";
  }

  @Test
  void everyPackageIsInThePipelineOrder() throws IOException {
    for (Path file : mainSources()) {
      assertThat(ORDER).as("package of " + file).contains(pkg(file));
    }
  }

  @Test
  void noPackageImportsALaterOne() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : mainSources()) {
      int own = ORDER.indexOf(pkg(file));
      Matcher m = IMPORT.matcher(Files.readString(file));
      while (m.find()) {
        int imported = ORDER.indexOf(m.group(1));
        if (imported > own) {
          violations.add(file.getFileName() + " (" + pkg(file) + ") imports " + m.group(1));
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void noClassIsLongerThanAScreenfulOrTwo() throws IOException {
    List<String> long_ = new ArrayList<>();
    for (Path file : mainSources()) {
      long lines = Files.readAllLines(file).size();
      if (lines > MAX_FILE_LINES) {
        long_.add(file.getFileName() + ": " + lines + " lines");
      }
    }
    assertThat(long_).isEmpty();
  }

  @Test
  void noMethodIsLongerThan80Lines() throws IOException {
    List<String> long_ = new ArrayList<>();
    for (Path file : mainSources()) {
      for (Method m : methods(Files.readString(file))) {
        if (m.lines() > MAX_METHOD_LINES) {
          long_.add(file.getFileName() + ":" + m.line() + " " + m.lines() + " lines");
        }
      }
    }
    assertThat(long_).isEmpty();
  }

  @Test
  void theMethodFinderSeesMethodsAndNotBlocks() {
    String source =
        """
        class A {
          void small() {
            if (x) {
              y();
            }
          }

          static int two(
              int a) throws Exception {
            Runnable r = () -> {
              a();
            };
            return 2;
          }
        }
        """;
    List<Method> found = methods(source);
    assertThat(found).extracting(Method::line).containsExactly(2, 8);
    assertThat(found).extracting(Method::lines).containsExactly(5, 7);
  }

  /** A method or constructor body: the line its declaration starts on and its length. */
  record Method(int line, int lines) {}

  /**
   * Methods by brace matching over the source without strings, characters and comments: a block
   * opened after a closing parenthesis (optionally a throws clause) that is not a control statement
   * or a lambda is a method body.
   */
  static List<Method> methods(String source) {
    String code = stripLiterals(source);
    List<Method> methods = new ArrayList<>();
    List<int[]> open = new ArrayList<>();
    int statementStart = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '{') {
        String head = code.substring(statementStart, i).strip();
        boolean method =
            head.matches("(?s).*\\)\\s*(throws [\\w.,\\s]+)?")
                && !head.contains("->")
                && !head.matches("(?s).*\\b(class|record|interface|enum)\\b.*")
                && !CONTROL.matcher(head.replaceAll("\\s+", " ")).find()
                && !head.matches("(?s).*[=(]\\s*$");
        int startLine = lineOf(code, statementStart + leading(code, statementStart));
        open.add(new int[] {method ? startLine : -1});
        statementStart = i + 1;
      } else if (c == '}') {
        int[] block = open.remove(open.size() - 1);
        if (block[0] > 0) {
          methods.add(new Method(block[0], lineOf(code, i) - block[0] + 1));
        }
        statementStart = i + 1;
      } else if (c == ';') {
        statementStart = i + 1;
      }
    }
    methods.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return methods;
  }

  private static int leading(String code, int from) {
    int n = 0;
    while (from + n < code.length() && Character.isWhitespace(code.charAt(from + n))) {
      n++;
    }
    // Skip annotations and Javadoc left as blanks: the declaration starts at its first token.
    return n;
  }

  private static int lineOf(String code, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The source with comments, strings, text blocks and characters blanked (newlines kept). */
  static String stripLiterals(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        blank(s, i, end, out);
        i = end;
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        end = end < 0 ? s.length() : end + 3;
        blank(s, i, end, out);
        i = end;
      } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        char quote = s.charAt(i);
        int end = i + 1;
        while (end < s.length() && s.charAt(end) != quote) {
          end += s.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(s.length(), end + 1);
        blank(s, i, end, out);
        i = end;
      } else {
        out.append(s.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  private static void blank(String s, int from, int to, StringBuilder out) {
    for (int j = from; j < to; j++) {
      out.append(s.charAt(j) == '\n' ? '\n' : ' ');
    }
  }
}
