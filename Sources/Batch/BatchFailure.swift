/// A file that could not be processed, and why (one line, without the path repeated).
public struct BatchFailure: Sendable, Equatable, Hashable {
    /// The input path as the user would recognise it.
    public let path: String
    /// What went wrong (`"truncated image: …"`, `"not an image (unknown format)"`).
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A failure from a thrown error: its description, with a leading `"<path>: "` removed
    /// when the error already names the file (as `ImageCodecError` does).
    public init(path: String, error: any Error) {
        var text = String(describing: error)
        if text.hasPrefix(path + ": ") { text.removeFirst(path.count + 2) }
        self.init(path: path, reason: text)
    }
}
