import FileSystem
import Foundation

/// A `config.json` read as a JSON object, with typed look-ups that throw
/// ``ModelError/invalidSetting(name:value:reason:)`` naming the key.
struct ConfigurationJSON {
    let file: String
    let object: [String: Any]

    /// Largest `config.json` read (published ones are a few kB; ImageNet's labels ~40 kB).
    static let sizeLimit = 16 << 20

    /// Reads `path`; nil when the file does not exist.
    static func read(_ path: String) throws -> ConfigurationJSON? {
        let bytes: [UInt8]
        do { bytes = try WholeFile.read(path: path, limit: sizeLimit + 1) } catch {
            if error.kind == .notFound { return nil }
            throw ModelError.badConfiguration(file: path, reason: "cannot read the file: \(error.message)")
        }
        guard bytes.count <= sizeLimit else {
            throw ModelError.badConfiguration(file: path, reason: "larger than \(sizeLimit) bytes")
        }
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw ModelError.badConfiguration(file: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = value as? [String: Any] else {
            throw ModelError.badConfiguration(file: path, reason: "not a JSON object")
        }
        return ConfigurationJSON(file: path, object: object)
    }

    /// The object under `key` (e.g. `model_args`) as its own configuration, or an empty one.
    func nested(_ key: String) throws -> ConfigurationJSON {
        guard let value = object[key], !(value is NSNull) else { return ConfigurationJSON(file: file, object: [:]) }
        guard let inner = value as? [String: Any] else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected an object in \(file)")
        }
        return ConfigurationJSON(file: file, object: inner)
    }

    func string(_ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected a string in \(file)")
        }
        return text
    }

    func integer(_ key: String) throws -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let array = value as? [Any], let last = array.last { return try integerValue(last, key: key) }
        return try integerValue(value, key: key)
    }

    /// An image size given as one integer (square) or as [H, W].
    func integerPair(_ key: String) throws -> (Int, Int)? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        if let array = value as? [Any], array.count == 2 {
            return (try integerValue(array[0], key: key), try integerValue(array[1], key: key))
        }
        let side = try integerValue(value, key: key)
        return (side, side)
    }

    /// Whether `key` is present with the value null.
    func isNull(_ key: String) -> Bool { object[key] is NSNull }

    private func integerValue(_ value: Any, key: String) throws -> Int {
        // Only values a Double holds exactly are converted: NSNumber's intValue of 1e300 is not defined.
        guard let number = value as? NSNumber, number.doubleValue.isFinite, abs(number.doubleValue) <= 0x1p53,
              Double(number.intValue) == number.doubleValue else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected an integer in \(file)")
        }
        return number.intValue
    }

    /// ``integer(_:)``, which must lie in `range`.
    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try integer(key) else { return nil }
        return try checked(key, value, in: range)
    }

    /// ``integerPair(_:)``, each side in `range`.
    func integerPair(_ key: String, in range: ClosedRange<Int>) throws -> (Int, Int)? {
        guard let (first, second) = try integerPair(key) else { return nil }
        return (try checked(key, first, in: range), try checked(key, second, in: range))
    }

    /// ``number(_:)``, which must be finite and lie in `range`.
    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = try number(key) else { return nil }
        guard value.isFinite, range.contains(value) else {
            throw ModelError.invalidSetting(name: key, value: "\(value)",
                                            reason: "expected a number from \(range.lowerBound) to \(range.upperBound) in \(file)")
        }
        return value
    }

    /// ``numbers(_:)``: `count` of them (any non-zero count when nil), each finite and
    /// accepted by `accepts` (described by `expected` in the error).
    func numbers(_ key: String, count: Int?, expected: String, accepts: (Double) -> Bool) throws -> [Double]? {
        guard let values = try numbers(key) else { return nil }
        guard values.count == count ?? Swift.max(1, values.count), values.allSatisfy({ $0.isFinite && accepts($0) }) else {
            let what = count.map { "\($0) numbers" } ?? "one number or more"
            throw ModelError.invalidSetting(name: key, value: "\(values)", reason: "expected \(what), each \(expected), in \(file)")
        }
        return values
    }

    /// The MLP's width from `mlp_ratio`: ⌊dimension · ratio⌋, from 1 to
    /// ``ViTConfiguration/largestSize``; nil when the file gives no ratio.
    func mlpWidth(dimension: Int, dimensionName: String) throws -> Int? {
        guard let ratio = try number("mlp_ratio", in: 0...Double(ViTConfiguration.largestSize)) else { return nil }
        let width = (Double(dimension) * ratio).rounded(.towardZero)
        guard width >= 1, width <= Double(ViTConfiguration.largestSize) else {
            throw ModelError.invalidSetting(name: "mlp_ratio", value: "\(ratio)",
                                            reason: "gives an MLP \(width) wide for \(dimensionName) \(dimension) in \(file)")
        }
        return Int(width)
    }

    private func checked(_ key: String, _ value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw ModelError.invalidSetting(name: key, value: "\(value)",
                                            reason: "expected an integer from \(range.lowerBound) to \(range.upperBound) in \(file)")
        }
        return value
    }

    func number(_ key: String) throws -> Double? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected a number in \(file)")
        }
        return number.doubleValue
    }

    func boolean(_ key: String) throws -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let flag = value as? Bool else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected true or false in \(file)")
        }
        return flag
    }

    func numbers(_ key: String) throws -> [Double]? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let array = value as? [Any], let numbers = array as? [NSNumber] else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected numbers in \(file)")
        }
        return numbers.map(\.doubleValue)
    }

    /// A label table: `id2label` as {"0": "cat", …} or `label_names` as ["cat", …].
    func labels(_ key: String) throws -> [String]? {
        if let array = object[key] as? [String] { return array }
        guard let map = object[key] as? [String: Any] else { return nil }
        let pairs = map.compactMap { key, value -> (Int, String)? in
            guard let index = Int(key), let name = value as? String else { return nil }
            return (index, name)
        }
        guard pairs.count == map.count, !pairs.isEmpty else { return nil }
        // The classes are numbered 0 ..< n: an index outside would size the table by the file.
        var names = [String?](repeating: nil, count: pairs.count)
        for (index, name) in pairs {
            guard names.indices.contains(index), names[index] == nil else {
                throw ModelError.invalidSetting(name: key, value: "\(index)",
                                                reason: "class indices must run from 0 to \(pairs.count - 1) in \(file)")
            }
            names[index] = name
        }
        return names.map { $0! }
    }
}
