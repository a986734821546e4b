import Testing
import VigilCore
@testable import VigilQuery

/// Precedence, associativity and the shape of the trees the parser builds.
struct ParserStructureTests {
    /// The tree with every binary and unary node in brackets: `[a + [b * c]]`.
    static func shape(_ e: Expr) -> String {
        switch e {
        case .binary(let b):
            var op = b.op.rawValue
            if b.returnBool { op += " bool" }
            return "[\(shape(b.lhs)) \(op) \(shape(b.rhs))]"
        case .unary(let op, let inner): return "[\(op.rawValue)\(shape(inner))]"
        case .paren(let inner): return "(\(shape(inner)))"
        case .call(let c): return c.function.name + "(" + c.args.map(shape).joined(separator: ", ") + ")"
        case .aggregate(let a):
            return a.op.rawValue + "(" + ([a.param].compactMap { $0 } + [a.expr]).map(shape).joined(separator: ", ")
                + ")"
        case .subquery(let sq): return shape(sq.expr) + "[sub]"
        default: return e.description
        }
    }

    static let cases: [(String, String)] = [
        ("1 + 2 * 3", "[1 + [2 * 3]]"),
        ("1 * 2 + 3", "[[1 * 2] + 3]"),
        ("1 - 2 - 3", "[[1 - 2] - 3]"),
        ("1 / 2 / 3", "[[1 / 2] / 3]"),
        ("2 ^ 3 ^ 2", "[2 ^ [3 ^ 2]]"),
        ("-1 ^ 2", "[-[1 ^ 2]]"),
        ("-a ^ b", "[-[a ^ b]]"),
        ("-a * b", "[[-a] * b]"),
        ("-a + b", "[[-a] + b]"),
        ("2 ^ -1 * 3", "[[2 ^ -1] * 3]"),
        ("a * b ^ c", "[a * [b ^ c]]"),
        ("a atan2 b * c", "[[a atan2 b] * c]"),
        ("a % b + c", "[[a % b] + c]"),
        ("a + b > c", "[[a + b] > c]"),
        ("a > b == bool c", "[[a > b] == bool c]"),
        ("a > b and c", "[[a > b] and c]"),
        ("a and b or c", "[[a and b] or c]"),
        ("a or b and c", "[a or [b and c]]"),
        ("a unless b and c", "[[a unless b] and c]"),
        ("a or b or c", "[[a or b] or c]"),
        ("a + b offset 5m", "[a + b offset 5m]"),
        ("-a offset 5m", "[-a offset 5m]"),
        ("1 - -1", "[1 - -1]"),
        ("+-+1", "-1"),
        ("-(1 + 2)", "[-([1 + 2])]"),
        ("sum(a) by (x) + b", "[sum(a) + b]"),
        ("topk(3, a + b) / 2", "[topk(3, [a + b]) / 2]"),
        ("rate(a[5m])[10m:] ", "rate(a[5m])[sub]"),
        ("a + rate(b[5m:])", "[a + rate(b[sub])]"),
        ("time() - 1", "[time() - 1]"),
    ]

    @Test(arguments: cases)
    func buildsTree(query: String, tree: String) throws {
        #expect(Self.shape(try Parser.parse(query)) == tree)
    }

    @Test func selectorKeepsNameAsLastEqualityMatcher() throws {
        guard case .vectorSelector(let vs) = try Parser.parse("foo{a=\"b\", c!~\"d|e\"}") else {
            Issue.record("not a selector")
            return
        }
        #expect(vs.name == "foo")
        #expect(vs.matchers.map(\.description) == ["a=\"b\"", "c!~\"d|e\"", "__name__=\"foo\""])
        #expect(!vs.matchers[1].matches("e") && vs.matchers[1].matches("xd"))
    }

    @Test func quotedMetricNameIsAMatcherWithoutName() throws {
        guard case .vectorSelector(let vs) = try Parser.parse("{\"my.metric\"}") else {
            Issue.record("not a selector")
            return
        }
        #expect(vs.name == nil)
        #expect(vs.matchers.map(\.description) == ["__name__=\"my.metric\""])
    }

    @Test func modifiersLandOnTheRightNodes() throws {
        guard case .matrixSelector(let ms) = try Parser.parse("foo[5m] offset -1m @ 10.5") else {
            Issue.record("not a matrix selector")
            return
        }
        #expect(ms.range == 300_000)
        #expect(ms.selector.offset == -60_000)
        #expect(ms.selector.at == .timestamp(10_500))

        guard case .subquery(let sq) = try Parser.parse("rate(x[1m])[1h:30s] @ end() offset 2m") else {
            Issue.record("not a subquery")
            return
        }
        #expect(sq.range == 3_600_000 && sq.step == 30_000 && sq.offset == 120_000 && sq.at == .end)
    }

    @Test func vectorMatchingDefaults() throws {
        guard case .binary(let and) = try Parser.parse("a and b") else { return }
        #expect(and.matching?.cardinality == .manyToMany)
        guard case .binary(let add) = try Parser.parse("a + on(x) group_left(y) b") else { return }
        #expect(add.matching?.cardinality == .manyToOne)
        #expect(add.matching?.on == true && add.matching?.labels == ["x"] && add.matching?.include == ["y"])
        guard case .binary(let scalar) = try Parser.parse("a * 2") else { return }
        #expect(scalar.matching == nil)
        guard case .binary(let plain) = try Parser.parse("a / b") else { return }
        #expect(plain.matching?.cardinality == .oneToOne && plain.matching?.on == false)
    }

    @Test func numbersAsDurationsInRangesAndOffsets() throws {
        guard case .matrixSelector(let ms) = try Parser.parse("foo[90] offset 1.5") else { return }
        #expect(ms.range == 90_000 && ms.selector.offset == 1_500)
    }

    @Test func positionsCoverTheNodeText() throws {
        let q = "sum by (job) (rate(foo{a=\"b\"}[5m] offset 1m)) > bool 2"
        guard case .binary(let b) = try Parser.parse(q) else { return }
        #expect(b.position == PositionRange(start: 0, end: q.utf8.count))
        guard case .aggregate(let a) = b.lhs, case .call(let c) = a.expr,
              case .matrixSelector(let ms) = c.args[0] else {
            Issue.record("unexpected tree")
            return
        }
        #expect(a.position == PositionRange(start: 0, end: 45))
        #expect(c.position == PositionRange(start: 14, end: 44))
        #expect(ms.position == PositionRange(start: 19, end: 43))
        #expect(ms.selector.position.start == 19)
        #expect(PositionRange(start: 19, end: 44).lineColumn(in: q) == (1, 20))
        #expect(PositionRange(start: 4, end: 5).lineColumn(in: "a +\nb") == (2, 1))
    }
}

/// Large inputs parse in linear time and hostile nesting fails cleanly instead of overflowing the stack.
struct ParserLimitsTests {
    @Test func longOperatorChainParses() throws {
        let q = Array(repeating: "a", count: 1000).joined(separator: " + ")
        guard case .binary(let b) = try Parser.parse(q) else {
            Issue.record("not a binary expression")
            return
        }
        #expect(b.op == .add)
    }

    /// A 10,000-term chain once overflowed the evaluator's stack (a crash through the HTTP API and a rule file).
    @Test func overlongOperatorChainIsAnError() {
        let q = Array(repeating: "a", count: 10_000).joined(separator: " or ")
        #expect(throws: ParseError.self) { try Parser.parse(q) }
    }

    @Test func deepNestingIsAnError() {
        let q = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: ParseError.self) { try Parser.parse(q) }
        let ok = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect((try? Parser.parse(ok)) != nil)
    }
}
