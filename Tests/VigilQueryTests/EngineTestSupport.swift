import Foundation
import VigilCore
import VigilQuery
import VigilStorage

/// Builders for hand-made expression trees, so engine tests do not depend on the parser.
enum E {
    static func sel(_ name: String, _ labels: [String: String] = [:], offset: Int64 = 0,
                    at: AtModifier? = nil) -> VectorSelector
    {
        var m = [try! LabelMatcher(.equal, LabelName.metricName, name)]
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) { m.append(try! LabelMatcher(.equal, k, v)) }
        return VectorSelector(name: name, matchers: m, offset: offset, at: at)
    }

    static func vec(_ name: String, _ labels: [String: String] = [:], offset: Int64 = 0) -> Expr {
        .vectorSelector(sel(name, labels, offset: offset))
    }

    static func range(_ name: String, _ ms: Int64, _ labels: [String: String] = [:], offset: Int64 = 0) -> Expr {
        .matrixSelector(MatrixSelector(selector: sel(name, labels, offset: offset), range: ms))
    }

    static func call(_ name: String, _ types: [ValueType], _ args: Expr...) -> Expr {
        .call(Call(function: FunctionSignature(name: name, argTypes: types, returnType: .vector), args: args))
    }

    static func sum(by: [String], _ e: Expr) -> Expr {
        .aggregate(AggregateExpr(op: .sum, expr: e, grouping: by))
    }

    /// A store loaded from series notation (`0 1 2 _ stale`), one sample every `step` milliseconds from 0.
    static func storage(step: Int64, _ series: [(Labels, [Double?])]) throws -> MemoryStorage {
        let s = MemoryStorage(retention: Int64.max / 4)
        var batch: [LabeledSample] = []
        for (labels, values) in series {
            for (i, v) in values.enumerated() {
                if let v { batch.append(LabeledSample(labels, t: Int64(i) * step, v: v)) }
            }
        }
        try s.append(batch)
        return s
    }
}
