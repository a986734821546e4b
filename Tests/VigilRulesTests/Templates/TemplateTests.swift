import Foundation
import Testing
import VigilCore
import VigilTesting

@testable import VigilRules

/// Renders like Prometheus's alert templates: `$labels`, `$value`, `$externalLabels`, `$externalURL` predeclared.
private func render(_ text: String, labels: Labels = [:], value: Double = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let vars = ["$labels", "$value", "$externalLabels", "$externalURL"]
    let t = try Template.parse(text, name: "__alert_Test", variables: vars)
    let data = TemplateValue.map([
        "Labels": .labels(labels), "Value": .float(value), "ExternalLabels": .map([:]),
        "ExternalURL": .string("http://vigil.example:9470/prefix"),
    ])
    return try t.render(
        data: data,
        functions: PrometheusTemplateFunctions.functions(externalURL: "http://vigil.example:9470/prefix"),
        variables: [
            "$labels": .labels(labels), "$value": .float(value), "$externalLabels": .map([:]),
            "$externalURL": .string("http://vigil.example:9470/prefix"),
        ])
}

@Suite struct TemplateTests {
    @Test(.enabled(if: SharedFixtures.available, "needs ../shared"))
    func caseC08HumanizersMatchPrometheus() throws {
        let dir = try #require(SharedFixtures.path("cases/C08")).path
        let templates = try String(contentsOfFile: dir + "/templates.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let expectedMd = try String(contentsOfFile: dir + "/expected.md", encoding: .utf8)
        let block = expectedMd.components(separatedBy: "```")[1]
        let expected = block.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(templates.count == expected.count)
        for (t, e) in zip(templates, expected) {
            #expect(try render(t) == e, "\(t)")
        }
    }

    // Right values: Go's fmt and Prometheus's template semantics worked by hand.
    @Test(arguments: [
        ("{{ $labels.instance }} is down", "host1:9100 is down"),
        ("{{ $value }}", "66"),
        ("{{ printf \"%.2f\" $value }}", "66.00"),
        ("{{ $labels.missing }}", "<no value>"),
        ("{{ if gt $value 50.0 }}high{{ else }}low{{ end }}", "high"),
        ("{{ if eq $labels.job \"node\" }}n{{ else if eq $labels.job \"x\" }}x{{ else }}o{{ end }}", "n"),
        ("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}", "instance=host1:9100;job=node;"),
        ("a  {{- \" b \" -}}  c", "a b c"),
        ("{{/* comment */}}x", "x"),
        ("{{ $labels.instance | stripPort }}", "host1"),
        ("{{ \"web-1.example.com:80\" | stripDomain }}", "web-1:80"),
        ("{{ \"hello world\" | title }} {{ \"Ab\" | toUpper }} {{ \"Ab\" | toLower }}", "Hello World AB ab"),
        ("{{ reReplaceAll \"(a+)b\" \"<$1>\" \"aab ab c\" }}", "<aa> <a> c"),
        ("{{ match \"^host\" $labels.instance }}", "true"),
        ("{{ reReplaceAll \"(?P<h>[a-z]+)(\\\\d):(\\\\d+)\" \"${h}-$2/$3$$ $1x\" $labels.instance }}", "host-1/9100$ "),
        ("{{ with $labels.job }}job={{ . }}{{ end }}", "job=node"),
        ("{{ $x := 3 }}{{ $x = 4 }}{{ $x }}", "4"),
        ("{{ len $labels }} {{ index $labels \"job\" }}", "2 node"),
        ("{{ printf \"%d %s %q %v %x %5.1f|%-4s|\" 42 \"s\" \"q\" true 255 3.14159 \"ab\" }}",
         "42 s \"q\" true ff   3.1|ab  |"),
        ("{{ 1234567.0 }} {{ 0.00001 }} {{ 123456.0 }}", "1.234567e+06 1e-05 123456"),
        ("{{ printf \"%e %g\" 1234.5 0.5 }}", "1.2345e+03 0.5"),
        ("{{ 1136239445 | humanizeTimestamp }}", "2006-01-02 22:04:05 +0000 UTC"),
        ("{{ \"1h30m\" | parseDuration }}", "5400"),
        ("{{ \"a b&c\" | urlQueryEscape }}", "a+b%26c"),
        ("{{ externalURL }} {{ pathPrefix }}", "http://vigil.example:9470/prefix /prefix"),
        ("{{ and 1 0 }} {{ or 0 \"x\" }} {{ not false }}", "0 x true"),
        ("{{ .Labels.job }} {{ $.Value }}", "node 66"),
        ("{{ range $labels }}{{ . }},{{ end }}", "host1:9100,node,"),
        ("{{ if not $labels.missing }}absent{{ end }} {{ eq $labels.missing \"\" }}", "absent false"),
        ("{{ printf \"%s|%d\" $labels.missing 1.5 }}", "%!s(<nil>)|%!d(float64=1.5)"),
        ("{{ $labels }}", "map[instance:host1:9100 job:node]"),
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" $labels.job }}", "[node]"),
        ("{{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ -2 }}", "1000 16 97 -2"),
        ("{{ with $labels.missing }}x{{ else }}none{{ end }}", "none"),
        ("{{ \"text\" | printf \"%q\" }}", "\"text\""),
        // Go's time.Duration.String(): hours and minutes only when non-zero, fractions without trailing zeros.
        ("{{ 3723.5 | toDuration }} {{ 0.0015 | toDuration }} {{ 0 | toDuration }} {{ -90 | toDuration }}",
         "1h2m3.5s 1.5ms 0s -1m30s"),
        ("{{ 3600 | toDuration }} {{ 0.000002 | toDuration }}", "1h0m0s 2µs"),
        ("{{ range $k, $v := $labels }}{{ if eq $k \"job\" }}{{ break }}{{ end }}{{ $k }};{{ end }}", "instance;"),
        ("{{ range $labels }}{{ if eq . \"node\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", "host1:9100"),
    ])
    func rendersLikeGo(_ template: String, _ expected: String) throws {
        let labels: Labels = ["instance": "host1:9100", "job": "node"]
        #expect(try render(template, labels: labels, value: 66) == expected)
    }

    @Test func parseErrorsNameTheLine() {
        #expect(throws: TemplateError.parse(name: "t", line: 2, message: "function \"nofunc\" not defined")) {
            try Template.parse("x\n{{ nofunc }}", name: "t")
        }
        #expect(throws: TemplateError.parse(name: "t", line: 1, message: "missing value for if")) {
            try Template.parse("{{ if }}{{ end }}", name: "t")
        }
        #expect(throws: TemplateError.parse(name: "t", line: 2, message: "unexpected EOF")) {
            try Template.parse("{{ if 1 }}\nx", name: "t")
        }
        #expect(throws: TemplateError.parse(name: "t", line: 1, message: "undefined variable \"$nope\"")) {
            try Template.parse("{{ $nope }}", name: "t")
        }
    }

    @Test func executionErrorsAreReported() throws {
        let t = try Template.parse("{{ humanize \"abc\" }}", name: "t")
        #expect(throws: TemplateError.self) {
            try t.render(data: .null, functions: PrometheusTemplateFunctions.functions())
        }
        do {
            _ = try t.render(data: .null, functions: PrometheusTemplateFunctions.functions())
        } catch {
            #expect(error.description
                == "template: t:1:3: executing \"t\" at <humanize \"abc\">: error calling humanize: "
                + "strconv.ParseFloat: parsing \"abc\": invalid syntax")
        }
    }

    @Test func queryResultsRenderThroughFirstAndValue() throws {
        let fns = PrometheusTemplateFunctions.functions(query: { q in
            #expect(q == "up")
            return [(labels: ["job": "b"], value: 2), (labels: ["job": "a"], value: 1)]
        })
        let t = try Template.parse(
            "{{ with query \"up\" }}{{ . | first | value }}{{ end }} "
            + "{{ range query \"up\" | sortByLabel \"job\" }}{{ label \"job\" . }}{{ end }}", name: "t")
        #expect(try t.render(data: .null, functions: fns) == "2 ab")
    }

    @Test func valueReferencesAreFound() throws {
        #expect(try Template.parse("{{ $value }}", name: "t", variables: ["$value"]).references(
            variable: "$value", field: "Value"))
        #expect(try Template.parse("{{ .Value | humanize }}", name: "t").references(variable: "$value", field: "Value"))
        #expect(try !Template.parse("{{ $labels.x }}", name: "t", variables: ["$labels"]).references(
            variable: "$value", field: "Value"))
    }
}
