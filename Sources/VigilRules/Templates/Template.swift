/// A compiled Go `text/template` (the subset Prometheus alert and notification templates use).
///
/// Parse once, render many times: `try Template.parse(text, name: "x").render(data: d, functions: f)`.
public struct Template: Sendable {
    /// The template's name, as used in error messages.
    public let name: String
    let root: [TemplateNode]
    let definitions: [String: [TemplateNode]]

    /// Parses `text`; `functions` names the functions it may call and `variables` the variables predeclared
    /// before the text (Prometheus's `$labels`, `$value`, …).
    public static func parse(_ text: String, name: String,
                             functions: Set<String> = TemplateFunctions.prometheusNames,
                             variables: [String] = []) throws(TemplateError) -> Template {
        var lexer = TemplateLexer(text, name: name)
        let items = try lexer.items()
        var parser = TemplateParser(items: items, name: name, functionNames: functions, predeclared: variables)
        parser.endLine = lexer.line
        let root = try parser.parseRoot()
        return Template(name: name, root: root, definitions: parser.definitions)
    }

    /// True when the template is plain text without actions.
    public var isConstant: Bool {
        root.allSatisfy { if case .text = $0 { true } else { false } }
    }

    /// Executes the template with `data` as dot and `variables` predeclared.
    public func render(data: TemplateValue, functions: TemplateFunctions,
                       variables: [String: TemplateValue] = [:]) throws(TemplateError) -> String {
        var exec = TemplateExecutor(template: self, functions: functions)
        exec.vars.append(("$", data))
        for (k, v) in variables.sorted(by: { $0.key < $1.key }) { exec.vars.append((k, v)) }
        var out = ""
        _ = try exec.walk(root, dot: data, into: &out)
        return out
    }

    /// Which predeclared variables and dot fields the template reads (for load-time lint such as `$value` in
    /// alert labels).
    public func references(variable: String, field: String) -> Bool {
        func pipeRefs(_ p: TemplatePipeline) -> Bool { p.commands.contains { $0.args.contains(where: argRefs) } }
        func argRefs(_ a: TemplateArg) -> Bool {
            switch a {
            case .variable(let v, let fs): v == variable || (v == "$" && fs.first == field)
            case .field(let fs): fs.first == field
            case .pipeline(let p, _): pipeRefs(p)
            default: false
            }
        }
        func nodeRefs(_ n: TemplateNode) -> Bool {
            switch n {
            case .text, .breakNode, .continueNode: false
            case .action(let p): pipeRefs(p)
            case .ifNode(let p, let a, let b), .rangeNode(let p, let a, let b), .withNode(let p, let a, let b):
                pipeRefs(p) || a.contains(where: nodeRefs) || (b?.contains(where: nodeRefs) ?? false)
            case .template(_, let p, _): p.map(pipeRefs) ?? false
            }
        }
        return root.contains(where: nodeRefs) || definitions.values.contains { $0.contains(where: nodeRefs) }
    }
}
