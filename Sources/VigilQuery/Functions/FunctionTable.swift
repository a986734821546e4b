/// The signatures of every PromQL function the parser knows, as Prometheus's `promql/parser/functions.go` lists them.
///
/// Experimental Prometheus functions (behind `--enable-feature=promql-experimental-functions` upstream) are
/// included and always enabled. `holt_winters` (removed in Prometheus 3) is kept as an alias signature of
/// `double_exponential_smoothing` for old rule files.
public enum FunctionTable {
    /// All functions by name.
    public static let all: [String: FunctionSignature] = {
        var table: [String: FunctionSignature] = [:]
        for f in list { table[f.name] = f }
        return table
    }()

    /// Looks up a function by its exact (case-sensitive) name.
    public static func lookup(_ name: String) -> FunctionSignature? { all[name] }

    private static func f(_ name: String, _ args: [ValueType], _ ret: ValueType = .vector,
                          variadic: Int = 0) -> FunctionSignature {
        FunctionSignature(name: name, argTypes: args, variadic: variadic, returnType: ret)
    }

    private static let list: [FunctionSignature] = {
        let v = ValueType.vector, m = ValueType.matrix, s = ValueType.scalar, str = ValueType.string
        var out: [FunctionSignature] = [
            f("abs", [v]), f("absent", [v]), f("absent_over_time", [m]),
            f("acos", [v]), f("acosh", [v]), f("asin", [v]), f("asinh", [v]), f("atan", [v]), f("atanh", [v]),
            f("avg_over_time", [m]), f("ceil", [v]), f("changes", [m]),
            f("clamp", [v, s, s]), f("clamp_max", [v, s]), f("clamp_min", [v, s]),
            f("cos", [v]), f("cosh", [v]), f("count_over_time", [m]),
            f("days_in_month", [v], variadic: 1), f("day_of_month", [v], variadic: 1),
            f("day_of_week", [v], variadic: 1), f("day_of_year", [v], variadic: 1),
            f("deg", [v]), f("delta", [m]), f("deriv", [m]), f("exp", [v]), f("floor", [v]),
            f("histogram_avg", [v]), f("histogram_count", [v]), f("histogram_sum", [v]),
            f("histogram_stddev", [v]), f("histogram_stdvar", [v]),
            f("histogram_fraction", [s, s, v]), f("histogram_quantile", [s, v]),
            f("histogram_quantiles", [v, str, s, s], variadic: -1),
            f("double_exponential_smoothing", [m, s, s]), f("holt_winters", [m, s, s]),
            f("hour", [v], variadic: 1), f("idelta", [m]), f("increase", [m]), f("irate", [m]),
            f("label_replace", [v, str, str, str, str]), f("label_join", [v, str, str, str], variadic: -1),
            f("last_over_time", [m]), f("first_over_time", [m]),
            f("ln", [v]), f("log10", [v]), f("log2", [v]),
            f("mad_over_time", [m]), f("max_of", [s, s], s), f("min_of", [s, s], s),
            f("max_over_time", [m]), f("min_over_time", [m]),
            f("minute", [v], variadic: 1), f("month", [v], variadic: 1),
            f("pi", [], s), f("predict_linear", [m, s]), f("present_over_time", [m]),
            f("quantile_over_time", [s, m]), f("rad", [v]), f("rate", [m]), f("resets", [m]),
            f("round", [v, s], variadic: 1), f("scalar", [v], s), f("sgn", [v]),
            f("sin", [v]), f("sinh", [v]), f("sort", [v]), f("sort_desc", [v]),
            f("sort_by_label", [v, str], variadic: -1), f("sort_by_label_desc", [v, str], variadic: -1),
            f("sqrt", [v]), f("start_timestamp", [v]),
            f("stddev_over_time", [m]), f("stdvar_over_time", [m]), f("sum_over_time", [m]),
            f("tan", [v]), f("tanh", [v]), f("time", [], s), f("timestamp", [v]),
            f("ts_of_first_over_time", [m]), f("ts_of_last_over_time", [m]),
            f("ts_of_max_over_time", [m]), f("ts_of_min_over_time", [m]),
            f("vector", [s]), f("year", [v], variadic: 1),
            f("info", [v, v], variadic: 1),
            // Query-range functions of newer Prometheus versions (used in functions.test).
            f("step", [], s), f("range", [], s), f("start", [], s), f("end", [], s),
        ]
        out.sort { $0.name < $1.name }
        return out
    }()
}
