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
        guard let number = value as? NSNumber, Double(number.intValue) == number.doubleValue else {
            throw ModelError.invalidSetting(name: key, value: "\(value)", reason: "expected an integer in \(file)")
        }
        return number.intValue
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
    func labels(_ key: String) -> [String]? {
        if let array = object[key] as? [String] { return array }
        guard let map = object[key] as? [String: Any] else { return nil }
        let pairs = map.compactMap { key, value -> (Int, String)? in
            guard let index = Int(key), let name = value as? String else { return nil }
            return (index, name)
        }
        guard pairs.count == map.count, !pairs.isEmpty else { return nil }
        var names = [String](repeating: "", count: (pairs.map(\.0).max() ?? -1) + 1)
        for (index, name) in pairs where index >= 0 { names[index] = name }
        return names
    }
}
