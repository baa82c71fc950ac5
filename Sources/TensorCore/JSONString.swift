/// JSON string literals, escaped as serde_json (the safetensors reference) escapes them.
public enum JSONString {
    /// `text` as a JSON string literal (RFC 8259 §7): quote, backslash and the control
    /// characters escaped, `\b \f \n \r \t` in their short forms and the other controls as
    /// `\u00XX`; everything else (non-ASCII too) as it is, in UTF-8.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
