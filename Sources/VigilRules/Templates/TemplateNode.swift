/// A position in template text (1-based line, byte column).
struct TemplatePos: Sendable {
    var line: Int
    var column: Int
}

/// The parse tree of a template (Go's `text/template/parse` nodes, reduced).
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipeline)
    case ifNode(TemplatePipeline, [TemplateNode], [TemplateNode]?)
    case rangeNode(TemplatePipeline, [TemplateNode], [TemplateNode]?)
    case withNode(TemplatePipeline, [TemplateNode], [TemplateNode]?)
    case template(String, TemplatePipeline?, TemplatePos)
    case breakNode
    case continueNode
}

/// `$x := cmd | cmd arg`
struct TemplatePipeline: Sendable {
    var declarations: [String]
    var isAssignment: Bool
    var commands: [TemplateCommand]
    var pos: TemplatePos
    /// The source text of the pipeline, for error messages.
    var source: String
}

/// One stage of a pipeline: a function and its arguments, or a single operand.
struct TemplateCommand: Sendable {
    var args: [TemplateArg]
    var pos: TemplatePos
    /// The command as Go's `CommandNode.String()` prints it, for error messages.
    var source: String
}

/// An operand.
indirect enum TemplateArg: Sendable {
    case dot
    case null
    case literal(TemplateValue)
    /// `.a.b` on dot.
    case field([String])
    /// `$x.a.b`
    case variable(String, [String])
    /// A function name.
    case function(String)
    /// `(pipeline).a.b`
    case pipeline(TemplatePipeline, [String])
}
