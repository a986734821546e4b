import VigilCore
import VigilQuery

extension RuleFileContext {
    mutating func readRule(_ node: YAMLNode, index: Int, group: String, groupLabels: Labels) -> Rule? {
        let allowed: Set<String> = ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]
        let r = reader
        guard let entries = attempt({ () throws(ConfigError) in
            try r.mapping(node, "type rulefmt.RuleNode", allowed: allowed)
        }) else { return nil }
        var values: [String: (mark: SourceMark, keyMark: SourceMark, node: YAMLNode)] = [:]
        for e in entries { values[e.key] = (e.value.mark, e.keyMark, e.value) }
        func text(_ key: String) -> String? { values[key]?.node.scalar }

        let record = text("record")
        let alert = text("alert")
        let name = record ?? alert ?? ""
        let prefix = "group \"\(group)\", rule \(index), \"\(name)\""
        var ok = true
        if record != nil && alert != nil {
            fail(values["record"]?.keyMark ?? node.mark, "\(prefix): only one of 'record' and 'alert' must be set")
            ok = false
        } else if record == nil && alert == nil {
            fail(node.mark, "\(prefix): one of 'record' or 'alert' must be set")
            ok = false
        }
        if let record, let v = values["record"], !RuleFileLoader.isValidMetricName(record) {
            fail(v.mark, "\(prefix): invalid recording rule name: \(record)")
            ok = false
        }
        if let alert, let v = values["alert"], alert.isEmpty {
            fail(v.mark, "\(prefix): alert name must not be empty")
            ok = false
        }

        var expr: Expr?
        var query = ""
        if let v = values["expr"], let q = v.node.scalar, !q.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            query = q.trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                let parsed = try parseExpr(q)
                expr = parsed
                query = parsed.description
            } catch {
                fail(exprMark(v.mark, error), "\(prefix): could not parse expression: \(error.description)")
                ok = false
            }
        } else {
            fail(values["expr"]?.mark ?? node.mark, "\(prefix): field 'expr' must be set in rule")
            ok = false
        }

        var holdDuration: Int64 = 0
        var keepFiringFor: Int64 = 0
        // A key with no value means its zero value, as in Go's YAML decoding.
        values = values.filter { !$0.value.node.isNull || $0.key == "record" || $0.key == "alert" }
        if let v = values["for"] {
            if let d = attempt({ () throws(ConfigError) in try r.duration(v.node, "for") }) {
                holdDuration = d
            } else {
                ok = false
            }
        }
        if let v = values["keep_firing_for"] {
            if let d = attempt({ () throws(ConfigError) in try r.duration(v.node, "keep_firing_for") }) {
                keepFiringFor = d
            } else {
                ok = false
            }
        }
        if record != nil {
            for key in ["for", "keep_firing_for", "annotations"] {
                if let v = values[key] {
                    fail(v.keyMark, "\(prefix): invalid field '\(key)' in recording rule")
                    ok = false
                }
            }
        }

        let labelFields = readFields(values["labels"]?.node, kind: "label", prefix: prefix, alert: alert,
                                     groupLabels: groupLabels, ok: &ok)
        let annotationFields = readFields(values["annotations"]?.node, kind: "annotation", prefix: prefix,
                                          alert: alert, groupLabels: Labels(), ok: &ok)
        guard ok, let expr else { return nil }
        if let record {
            let labels = Labels(labelFields.map { Label($0.name, $0.text) })
            return .recording(RecordingRule(name: record, expr: expr, query: query, labels: labels))
        }
        return .alerting(AlertingRule(name: name, expr: expr, query: query, holdDuration: holdDuration,
                                      keepFiringFor: keepFiringFor, labels: labelFields,
                                      annotations: annotationFields))
    }

    /// Reads labels or annotations; for alerting rules each value is compiled as a template.
    private mutating func readFields(_ node: YAMLNode?, kind: String, prefix: String, alert: String?,
                                     groupLabels: Labels, ok: inout Bool) -> [TemplatedField] {
        let r = reader
        var merged: [(name: String, text: String, mark: SourceMark?)] = groupLabels.pairs.map {
            ($0.name, $0.value, nil)
        }
        if let node, let entries = attempt({ () throws(ConfigError) in try r.mapping(node, kind + "s") }) {
            for e in entries {
                guard let v = attempt({ () throws(ConfigError) in try r.string(e.value, "\(kind)s.\(e.key)") })
                else {
                    ok = false
                    continue
                }
                if !RuleFileLoader.isValidLabelName(e.key) || (kind == "label" && e.key == LabelName.metricName) {
                    fail(e.keyMark, "\(prefix): invalid \(kind) name: \(e.key)")
                    ok = false
                    continue
                }
                merged.removeAll { $0.name == e.key }
                merged.append((e.key, v, e.value.mark))
            }
        }
        var out: [TemplatedField] = []
        for m in merged {
            guard let alert else {
                out.append(TemplatedField(name: m.name, text: m.text, template: constantTemplate(m.text)))
                continue
            }
            do {
                let t = try RuleFileLoader.alertTemplate(m.text, alertName: alert)
                let userPart = try? Template.parse(m.text, name: "__alert_" + alert,
                                                   variables: RuleFileLoader.templateVariables)
                if kind == "label", userPart?.references(variable: "$value", field: "Value") == true {
                    warnings.append(ConfigWarning(
                        file: file, mark: m.mark,
                        message: "\(prefix): label \"\(m.name)\" uses $value (or .Value) in its template: "
                            + "the alert's identity changes whenever the value does, so its 'for' timer restarts "
                            + "and it may never fire; put the value in an annotation instead"))
                }
                out.append(TemplatedField(name: m.name, text: m.text, template: t))
            } catch {
                fail(m.mark, "\(prefix): \(kind) \"\(m.name)\": \(error.description)")
                ok = false
            }
        }
        return out
    }

    private func constantTemplate(_ text: String) -> Template {
        // Recording rule labels are not templates; a template of plain text renders them unchanged.
        Template(name: "", root: [.text(text)], definitions: [:])
    }

    /// Where in the file a PromQL parse error points: the expression's position moved by the error's line and
    /// column, allowing for block (`|`, `>`) and quoted scalars.
    func exprMark(_ mark: SourceMark, _ error: ParseError) -> SourceMark {
        guard mark.line - 1 < lines.count else { return mark }
        let line = Array(lines[mark.line - 1].utf8)
        let first: UInt8 = mark.column - 1 < line.count ? line[mark.column - 1] : 0
        if first == UInt8(ascii: "|") || first == UInt8(ascii: ">") {
            let target = mark.line + error.line
            guard target - 1 < lines.count else { return mark }
            let indent = lines[target - 1].prefix { $0 == " " }.count
            return SourceMark(line: target, column: indent + error.column)
        }
        let quoted = first == UInt8(ascii: "\"") || first == UInt8(ascii: "'")
        if error.line <= 1 {
            return SourceMark(line: mark.line, column: mark.column + (quoted ? 1 : 0) + error.column - 1)
        }
        let target = mark.line + error.line - 1
        guard target - 1 < lines.count else { return mark }
        let indent = lines[target - 1].prefix { $0 == " " }.count
        return SourceMark(line: target, column: indent + error.column)
    }
}
