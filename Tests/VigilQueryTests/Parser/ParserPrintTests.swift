import Testing
import VigilCore
@testable import VigilQuery

/// Round trips: query text → parse → Prometheus's canonical print (expected forms from Prometheus's printer tests
/// and its `String()` rules).
struct ParserPrintTests {
    static let cases: [(String, String)] = [
        ("1", "1"),
        ("1.5e3", "1500"),
        ("0x1f", "31"),
        ("017", "15"),
        ("1_000", "1000"),
        ("0x_1f", "31"),
        ("0x1e5", "485"),
        ("1e-3", "0.001"),
        (".5", "0.5"),
        ("5.", "5"),
        ("-1", "-1"),
        ("+Inf", "+Inf"),
        ("-inf", "-Inf"),
        ("NaN", "NaN"),
        ("\"foo\"", "\"foo\""),
        ("'it\\'s'", "\"it's\""),
        ("`a\\b`", "\"a\\\\b\""),
        ("\"\\x41\\u00e9\\n\"", "\"Aé\\n\""),
        ("foo", "foo"),
        ("foo:bar:rate5m", "foo:bar:rate5m"),
        ("foo{}", "foo"),
        ("foo{job=\"a\", instance!~'b.*',}", "foo{instance!~\"b.*\",job=\"a\"}"),
        ("{__name__=~\"foo.*\"}", "{__name__=~\"foo.*\"}"),
        ("{\"my.metric\"}", "{__name__=\"my.metric\"}"),
        ("{\"my.metric\", \"label.x\"=\"v\"}", "{\"label.x\"=\"v\",__name__=\"my.metric\"}"),
        ("foo offset 5m", "foo offset 5m"),
        ("foo offset -1h30m", "foo offset -1h30m"),
        ("foo @ 100", "foo @ 100.000"),
        ("foo @ 1.5 offset 1m", "foo @ 1.500 offset 1m"),
        ("foo offset 1m @ start()", "foo @ start() offset 1m"),
        ("foo @ end()", "foo @ end()"),
        ("foo[5m] @ 1m", "foo[5m] @ 60.000"),
        ("foo[5m]", "foo[5m]"),
        ("foo[1h30m]", "foo[1h30m]"),
        ("foo[5m] offset 1w", "foo[5m] offset 1w"),
        ("foo[90s]", "foo[1m30s]"),
        ("foo[5m:1m]", "foo[5m:1m]"),
        ("foo[30m:]", "foo[30m:]"),
        ("rate(foo[5m])[30m:1m] offset 5m @ 100", "rate(foo[5m])[30m:1m] @ 100.000 offset 5m"),
        ("(foo + bar)[5m:]", "(foo + bar)[5m:]"),
        ("rate(x[5m])", "rate(x[5m])"),
        ("label_join(up, \"foo\", \",\", \"a\", \"b\", \"c\")", "label_join(up, \"foo\", \",\", \"a\", \"b\", \"c\")"),
        ("round(x, 5)", "round(x, 5)"),
        ("time()", "time()"),
        ("sum by (job) (rate(x[5m]))", "sum by (job) (rate(x[5m]))"),
        ("sum(rate(x[5m])) by (job,)", "sum by (job) (rate(x[5m]))"),
        ("SUM WITHOUT (a, b) (x)", "sum without (a, b) (x)"),
        ("sum by () (x)", "sum(x)"),
        ("sum without () (x)", "sum without () (x)"),
        ("sum by (\"label.x\") (x)", "sum by (\"label.x\") (x)"),
        ("topk(5, x)", "topk(5, x)"),
        ("quantile without (a) (0.9, x)", "quantile without (a) (0.9, x)"),
        ("count_values(\"v\", x)", "count_values(\"v\", x)"),
        ("group(x)", "group(x)"),
        ("limitk(2, x)", "limitk(2, x)"),
        ("a + b", "a + b"),
        ("a + on (b) group_left (c) d", "a + on (b) group_left (c) d"),
        ("a + on(b) group_left d", "a + on (b) group_left () d"),
        ("a * ignoring(b, c) group_right(d) e", "a * ignoring (b, c) group_right (d) e"),
        ("a / on() b", "a / on () b"),
        ("a - ignoring() b", "a - b"),
        ("a > bool b", "a > bool b"),
        ("1 == bool 1", "1 == bool 1"),
        ("a and b", "a and b"),
        ("a or on(x) b", "a or on (x) b"),
        ("a unless ignoring(x) b", "a unless ignoring (x) b"),
        ("a atan2 b", "a atan2 b"),
        ("a AND b", "a and b"),
        ("-foo", "-foo"),
        ("-(1)", "-(1)"),
        ("- - 1", "1"),
        ("foo # a comment\n + bar", "foo + bar"),
        ("1m", "60"),
        // Keywords Prometheus also accepts as metric names.
        ("sum(sum)", "sum(sum)"),
        ("a + sum", "a + sum"),
        ("SUM offset 5m", "SUM offset 5m"),
        ("by{a=\"b\"}", "by{a=\"b\"}"),
        ("and", "and"),
        ("without[5m]", "without[5m]"),
        ("start", "start"),
        ("sum by (by, on, bool, offset, and, atan2, sum, group_left, start) (x)",
         "sum by (by, on, bool, offset, and, atan2, sum, group_left, start) (x)"),
        ("a + on(by) b", "a + on (by) b"),
        // info's label selector may match the empty string.
        ("info(metric, {data=~\".*\"})", "info(metric, {data=~\".*\"})"),
    ]

    @Test(arguments: cases)
    func printsCanonicalForm(query: String, printed: String) throws {
        let expr = try Parser.parse(query)
        #expect(expr.description == printed)
    }

    static let structure: [(String, String)] = [
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"),
        ("1 - 2 - 3", "1 - 2 - 3"),
    ]
}

/// Prometheus's `Prettify` rules: split only nodes whose one-line form exceeds 100 bytes, indent two spaces.
struct ParserPrettyTests {
    let m90 = String(repeating: "a", count: 90)
    let m60 = String(repeating: "b", count: 60)

    @Test func shortExpressionsStayOnOneLine() throws {
        #expect(try Parser.parse("sum by (job)(rate(x[5m]))").pretty == "sum by (job) (rate(x[5m]))")
        #expect(try Parser.parse("rate(\(m90)[5m])").pretty == "rate(\(m90)[5m])")
    }

    @Test func longAggregationSplitsAroundItsArgument() throws {
        let e = try Parser.parse("sum by (job) (rate(\(m90)[5m]))")
        #expect(e.pretty == "sum by (job) (\n  rate(\(m90)[5m])\n)")
    }

    @Test func longBinarySplitsAtTheOperator() throws {
        let e = try Parser.parse("\(m60) + on(x) group_left \(m60)")
        #expect(e.pretty == "  \(m60)\n+ on (x) group_left ()\n  \(m60)")
    }

    @Test func longCallSplitsArgumentsOnePerLine() throws {
        let e = try Parser.parse("label_replace(\(m60), \"dst\", \"$1\", \"src\", \"(.*)\")")
        #expect(e.pretty == "label_replace(\n  \(m60),\n  \"dst\",\n  \"$1\",\n  \"src\",\n  \"(.*)\"\n)")
    }

    @Test func topkParameterGetsItsOwnLine() throws {
        let e = try Parser.parse("topk(5, \(m90) * 2)")
        #expect(e.pretty == "topk(\n  5,\n  \(m90) * 2\n)")
    }
}
