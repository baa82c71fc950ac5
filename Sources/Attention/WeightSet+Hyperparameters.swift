/// Typed access to the hyperparameters in a model file's metadata (all stored as strings).
extension WeightSet {
    /// The integer hyperparameter `name` (e.g. `num_heads`), at least `minimum`.
    public func integer(_ name: String, module: String, minimum: Int = 1) throws -> Int {
        guard let text = metadata[name] else {
            throw AttentionError.missingHyperparameter(name: name, module: module)
        }
        return try Self.parseInteger(text, name: name, minimum: minimum)
    }

    /// The integer hyperparameter `name` if present, else `nil`.
    public func optionalInteger(_ name: String, minimum: Int = 1) throws -> Int? {
        guard let text = metadata[name], !text.isEmpty, text != "None", text != "null" else { return nil }
        return try Self.parseInteger(text, name: name, minimum: minimum)
    }

    /// The real-valued hyperparameter `name` (e.g. the glimpse `scale`), greater than zero.
    public func number(_ name: String, module: String) throws -> Double {
        guard let text = metadata[name] else {
            throw AttentionError.missingHyperparameter(name: name, module: module)
        }
        let trimmed = text.trimmingWhitespace
        guard let value = Double(trimmed), value.isFinite, value > 0 else {
            throw AttentionError.invalidHyperparameter(name: name, value: text, reason: "expected a positive number")
        }
        return value
    }

    /// The boolean hyperparameter `name` (`true`/`false`, `1`/`0`, any case), or `default`
    /// when absent.
    public func boolean(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let text = metadata[name] else { return defaultValue }
        switch text.trimmingWhitespace.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw AttentionError.invalidHyperparameter(name: name, value: text, reason: "expected true or false")
        }
    }

    /// The largest integer hyperparameter read: every size and count of these modules is far
    /// below it, and products of two such values cannot overflow an Int.
    public static let largestInteger = 1 << 20

    private static func parseInteger(_ text: String, name: String, minimum: Int) throws -> Int {
        guard let value = Int(text.trimmingWhitespace) else {
            throw AttentionError.invalidHyperparameter(name: name, value: text, reason: "expected an integer")
        }
        guard value >= minimum else {
            throw AttentionError.invalidHyperparameter(name: name, value: text, reason: "must be at least \(minimum)")
        }
        guard value <= largestInteger else {
            throw AttentionError.invalidHyperparameter(name: name, value: text, reason: "must be at most \(largestInteger)")
        }
        return value
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
