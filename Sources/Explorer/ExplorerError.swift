/// A request the explorer refuses, with the HTTP status and a sentence for the user.
struct ExplorerError: Error, Sendable, CustomStringConvertible {
    /// 400 malformed or out of range, 404 unknown route or image, 409 output exists,
    /// 503 too much work queued, 500 the render failed.
    var status: Int
    var message: String

    static func badRequest(_ message: String) -> ExplorerError { ExplorerError(status: 400, message: message) }
    static func notFound(_ message: String) -> ExplorerError { ExplorerError(status: 404, message: message) }

    var description: String { message }
}
