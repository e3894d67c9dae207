package dev.cycletrack.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to find the series selectors in an expression: {@code name{label="v",...}}
 * (a bare name counts as a selector with no matchers). Function and aggregation names, keywords,
 * grouping label lists, range durations and string arguments are skipped.
 */
final class PromQl {

    /** One label matcher: {@code label op "value"}, op one of = != =~ !~. */
    record LabelMatcher(String label, String op, String value) {
        boolean test(String actual) {
            String a = actual == null ? "" : actual;
            return switch (op) {
                case "=" -> a.equals(value);
                case "!=" -> !a.equals(value);
                case "=~" -> a.matches(value);
                case "!~" -> !a.matches(value);
                default -> throw new IllegalArgumentException("unknown matcher op " + op);
            };
        }
    }

    /** A series selector: a metric name and its label matchers. */
    record Selector(String metric, List<LabelMatcher> matchers) {
        @Override
        public String toString() {
            if (matchers.isEmpty()) {
                return metric;
            }
            StringBuilder b = new StringBuilder(metric).append('{');
            for (int i = 0; i < matchers.size(); i++) {
                LabelMatcher m = matchers.get(i);
                b.append(i == 0 ? "" : ",")
                        .append(m.label())
                        .append(m.op())
                        .append('"')
                        .append(m.value())
                        .append('"');
            }
            return b.append('}').toString();
        }
    }

    // Words that are followed by a label list, not an expression: by (a, b), on (c) ...
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    // Binary operators and modifiers spelled as words.
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern MATCHER =
            Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PromQl() {}

    /** Every selector of {@code expr}, in order. */
    static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '[') {
                i = skipTo(expr, i, ']'); // range or subquery duration
            } else if (c == '{') {
                // A selector with no name: its metric is the __name__ matcher.
                int end = skipTo(expr, i, '}');
                List<LabelMatcher> ms = matchers(expr.substring(i + 1, end - 1));
                String name = ms.stream()
                        .filter(m -> m.label().equals("__name__") && m.op().equals("="))
                        .map(LabelMatcher::value)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("a selector without a metric name in " + expr));
                out.add(new Selector(
                        name,
                        ms.stream().filter(m -> !m.label().equals("__name__")).toList()));
                i = end;
            } else if (isIdentStart(c) && (i == 0 || !isIdentPart(expr.charAt(i - 1)) && expr.charAt(i - 1) != '$')) {
                int start = i;
                while (i < n && isIdentPart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                if (GROUPING.contains(word)) {
                    i = next < n && expr.charAt(next) == '(' ? skipTo(expr, next, ')') : next;
                } else if (KEYWORDS.contains(word.toLowerCase())
                        || (next < n && expr.charAt(next) == '(')
                        || GROUPING.contains(wordAt(expr, next))) {
                    i = next; // an operator, a function, or an aggregation (sum by (x) (...) included)
                } else if (next < n && expr.charAt(next) == '{') {
                    int end = skipTo(expr, next, '}');
                    out.add(new Selector(word, matchers(expr.substring(next + 1, end - 1))));
                    i = end;
                } else {
                    out.add(new Selector(word, List.of()));
                }
            } else if (isIdentPart(c) || c == '$') {
                // Inside a number (1e3), a duration (5m) or a Grafana variable ($__rate_interval).
                i++;
                while (i < n && isIdentPart(expr.charAt(i))) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return out;
    }

    private static List<LabelMatcher> matchers(String inside) {
        List<LabelMatcher> out = new ArrayList<>();
        Matcher m = MATCHER.matcher(inside);
        while (m.find()) {
            out.add(new LabelMatcher(m.group(1), m.group(2), m.group(3).replace("\\\"", "\"")));
        }
        return out;
    }

    private static String wordAt(String s, int i) {
        int end = i;
        while (end < s.length() && isIdentPart(s.charAt(end))) {
            end++;
        }
        return s.substring(i, end);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index after the {@code close} that ends the bracket at {@code open}, strings skipped. */
    private static int skipTo(String s, int open, char close) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
            } else if (c == close) {
                return i + 1;
            } else if (c == '(' && close == ')') {
                i = skipTo(s, i, ')');
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unbalanced '" + s.charAt(open) + "' in " + s);
    }

    private static int skipString(String s, int open) {
        char q = s.charAt(open);
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && q != '`') {
                i += 2;
            } else if (c == q) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated string in " + s);
    }
}
