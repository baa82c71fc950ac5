extension BatchSummary {
    /// For people, e.g.
    /// ```
    /// 12 done, 3 skipped (outputs already complete), 2 failed, 1 not an image (1 GIF) in 4.2 s
    /// failed:
    ///   photos/broken.png: truncated image: …
    /// ```
    /// with `interrupted: N not started` added when the run was stopped.
    public var text: String {
        var parts = ["\(done) done"]
        if skipped > 0 { parts.append("\(skipped) skipped (outputs already complete)") }
        parts.append("\(failed) failed")
        if !notImages.isEmpty {
            var formats: [String: Int] = [:]
            for file in notImages { if let format = file.format { formats[format, default: 0] += 1 } }
            let detail = formats.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            parts.append("\(notImages.count) not \(notImages.count == 1 ? "an image" : "images")"
                         + (detail.isEmpty ? "" : " (\(detail) unsupported)"))
        }
        let tenths = Int((elapsedSeconds * 10).rounded())
        var lines = [parts.joined(separator: ", ") + " in \(tenths / 10).\(tenths % 10) s"]
        if interrupted { lines.append("interrupted: \(notStarted) not started") }
        if !failures.isEmpty {
            lines.append("failed:")
            lines += failures.map { "  \($0.path): \(Self.oneLine($0.reason))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Control characters (line breaks from a library's message) become spaces, so that
    /// each failure stays on one line.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
    }
}
