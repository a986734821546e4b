import Testing
import VigilCore
@testable import VigilQuery

/// Invalid queries fail with Prometheus's message and position (cases from Prometheus's `parse_test.go`).
struct ParserErrorTests {
    static let cases: [(String, String)] = [
        ("", "1:1: parse error: no expression found in input"),
        ("1+", "1:3: parse error: unexpected end of input"),
        ("(", "1:2: parse error: unclosed left parenthesis"),
        (")", "1:1: parse error: unexpected right parenthesis ')'"),
        ("-", "1:2: parse error: unexpected end of input"),
        ("1 ==", "1:5: parse error: unexpected end of input"),
        ("1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"),
        ("1 unless 1", "1:1: parse error: set operator \"unless\" not allowed in binary scalar expression"),
        ("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
        ("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
        ("-\"string\"", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
            + "vector, got \"string\""),
        ("-test[5m]", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
            + "vector, got \"range vector\""),
        ("*test", "1:1: parse error: unexpected <op:*>"),
        ("1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range "
            + "vector selector or a subquery"),
        ("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        ("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
        ("foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("1 and foo", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"),
        ("foo + group_left(baz) bar", "1:7: parse error: unexpected <group_left>"),
        ("foo and on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
        ("foo and on(bar) group_right(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
        ("foo or on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"or\" operation"),
        ("foo unless on(bar) group_left(baz) bar",
         "1:1: parse error: no grouping allowed for \"unless\" operation"),
        ("http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}",
         "1:35: parse error: label \"instance\" must not occur in ON and GROUP clause at once"),
        ("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("foo + bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("foo{", "1:5: parse error: unexpected end of input inside braces"),
        ("{", "1:2: parse error: unexpected end of input inside braces"),
        ("}", "1:1: parse error: unexpected character: '}'"),
        ("some}", "1:5: parse error: unexpected character: '}'"),
        ("some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string"),
        ("some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'"),
        ("foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'"),
        ("foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"),
        ("foo{gibberish}", "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        ("foo{1}", "1:5: parse error: unexpected character inside braces: '1'"),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ("foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
        ("foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
        ("foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
        ("foo{__name__=\"bar\" lol}",
         "1:20: parse error: unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""),
        ("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
        ("foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\""),
        ("foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\""),
        ("foo[5y1hs]", "1:5: parse error: not a valid duration string: \"5y1hs\""),
        ("foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\""),
        ("foo[5m1m]", "1:5: parse error: not a valid duration string: \"5m1m\""),
        ("foo[0m]", "1:5: parse error: duration must be greater than 0"),
        ("foo[\"5m\"]", "1:5: parse error: unexpected character inside brackets: '\"'"),
        ("foo[]", "1:5: parse error: unexpected \"]\" in subquery selector, expected number or duration"),
        ("some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""),
        ("some_metric[5m] OFFSET", "1:23: parse error: unexpected end of input in offset, expected number or duration"),
        ("some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"),
        ("some_metric[5m] @ 1m", "1:19: parse error: unexpected duration \"1m\" in @, expected timestamp"),
        ("some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp"),
        ("some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range"),
        ("(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"),
        ("sum without(==)(some_metric)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label"),
        ("sum without(,)(some_metric)", "1:13: parse error: unexpected \",\" in grouping opts, expected label"),
        ("sum without(foo,,)(some_metric)", "1:17: parse error: unexpected \",\" in grouping opts, expected label"),
        ("sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\" in aggregation"),
        ("sum (some_metric) by test",
         "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""),
        ("sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided"),
        ("MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\" in aggregation"),
        ("MIN (some_metric) keep_common", "1:19: parse error: unexpected identifier \"keep_common\""),
        ("sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"),
        ("sum without (test) (some_metric) by (test)", "1:34: parse error: unexpected <by>"),
        ("topk(some_metric)", "1:1: parse error: wrong number of arguments for aggregate expression provided, "
            + "expected 2, got 1"),
        ("topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"),
        ("topk(some_metric, other_metric)",
         "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        ("count_values(5, other_metric)",
         "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        ("rate(some_metric[5m]) @ 1234", "1:1: parse error: @ modifier must be preceded by an instant vector "
            + "selector or range vector selector or a subquery"),
        ("floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"),
        ("floor(some_metric, other_metric)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        ("floor(some_metric, 1)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        ("floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
        ("hour(some_metric, some_metric, some_metric)",
         "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"),
        ("time(some_metric)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
        ("non_existent_function_far_bar()",
         "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""),
        ("rate(some_metric)",
         "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("label_join(x)", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1"),
        ("-=", "1:2: parse error: unexpected \"=\""),
        ("++-++-+-+-<", "1:11: parse error: unexpected <op:<>"),
        ("e-+=/(0)", "1:4: parse error: unexpected \"=\""),
        ("a>b()", "1:3: parse error: unknown function with name \"b\""),
        ("rate(avg)", "1:9: parse error: unexpected \")\" in aggregation"),
        ("sum(sum)", "1:8: parse error: unexpected \")\" in aggregation"),
        ("a + sum", "1:8: parse error: unexpected end of input in aggregation"),
        ("test[5d] OFFSET 10s [10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        ("(foo + bar{nm=\"val\"})[5m:][10m:5s]",
         "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        ("rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"),
        ("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        ("foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"),
        ("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
        ("sum by (\"foo)(some_metric{})", "1:9: parse error: unterminated quoted string"),
        ("sum(rate(", "1:10: parse error: unclosed left parenthesis"),
        ("foo bar", "1:5: parse error: unexpected identifier \"bar\""),
        ("foo[5m", "1:7: parse error: unclosed left bracket"),
        ("foo]", "1:4: parse error: unexpected right bracket ']'"),
        ("\"foo", "1:1: parse error: unterminated quoted string"),
        ("`foo", "1:1: parse error: unterminated raw string"),
        ("\"\\q\"", "1:1: parse error: unknown escape sequence U+0071 'q'"),
        ("1 +\n  foo bar", "2:7: parse error: unexpected identifier \"bar\""),
        ("rate(x[5m]) + rate(y)", "1:20: parse error: expected type range vector in call to function \"rate\", "
            + "got instant vector"),
        ("sum(x) + )", "1:10: parse error: unexpected right parenthesis ')'"),
        ("foo{a=\"b\"} by (x)", "1:12: parse error: unexpected <by>"),
        ("foo ^ \"a\"", "1:7: parse error: binary expression must contain only scalar and instant vector types"),
        ("x[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        ("(1)[5m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got scalar instead"),
        // Go's lexer reports the bytes it consumed: only the digit.
        ("5x", "1:1: parse error: bad number or duration syntax: \"5\""),
    ]

    @Test func invalidRegexIsAParseErrorAtTheLabel() {
        #expect(throws: ParseError.self) { try Parser.parse("foo{a=~\"(\"}") }
        do {
            _ = try Parser.parse("foo{a=~\"(\"}")
        } catch {
            #expect(error.column == 5)
            #expect(error.message.hasPrefix("error parsing regexp: "))
        }
    }

    @Test(arguments: cases)
    func reportsPrometheusMessage(query: String, message: String) {
        do {
            let expr = try Parser.parse(query)
            Issue.record("\(query) parsed as \(expr)")
        } catch {
            #expect(error.description == message, "\(query)")
        }
    }
}
