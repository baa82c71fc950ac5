import FlyingFox
import Foundation
import Synchronization

/// Refuses requests whose `Host` header is not the address the server printed.
///
/// A loopback-only server is still reachable from any web page the user opens, through DNS
/// rebinding: a name the attacker controls first resolves to their server, then to
/// 127.0.0.1, and the browser sends `Host: attacker.example:PORT`. Accepting only
/// `127.0.0.1:PORT` (the URL the server printed) closes that door; a request without a
/// `Host`, or with any other one, gets 421 Misdirected Request.
///
/// The port is known only once the socket listens (port 0 asks for an ephemeral one), so
/// it is set after binding; until then every request is refused.
public final class LoopbackHostGuard: Sendable {
    private let expected = Mutex<String?>(nil)

    public init() {}

    /// Accepts `host:port` from now on (the address the server prints).
    public func accept(host: String, port: UInt16) {
        expected.withLock { $0 = "\(host):\(port)" }
    }

    /// Whether a request with this `Host` header value may be served.
    public func allows(hostHeader: String?) -> Bool {
        guard let hostHeader else { return false }
        let value = hostHeader.trimmingCharacters(in: .whitespaces).lowercased()
        return expected.withLock { $0 == value }
    }

    /// `nil` when the request may go on; otherwise the 421 response to send.
    public func refusal(for request: HTTPRequest) -> HTTPResponse? {
        let header = request.headers[.host]
        if allows(hostHeader: header) { return nil }
        let shown = expected.withLock { $0 } ?? "the printed address"
        let text = "misdirected request: Host '\(header ?? "")' is not \(shown)\n"
        return HTTPResponse(statusCode: .misdirectedRequest,
                            headers: [.contentType: "text/plain; charset=utf-8",
                                      HTTPHeader("X-Content-Type-Options"): "nosniff"],
                            body: Data(text.utf8))
    }
}
