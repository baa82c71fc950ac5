import FlyingFox
import Foundation

/// Serves another handler under a path prefix beside the gallery: `vis view --serve` mounts the
/// explorer at `/explore/`. A request whose raw path starts with `prefix` (which ends in `/`)
/// goes to `mounted` with that prefix cut to `/`, its query kept; `/explore` without the slash
/// is redirected to it; every other request goes to `fallback`.
struct MountingHandler: HTTPHandler {
    let prefix: String
    let mounted: any HTTPHandler
    let fallback: any HTTPHandler

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let raw = request.target.path(percentEncoded: true)
        if raw == String(prefix.dropLast()) {
            return HTTPResponse(statusCode: .movedPermanently, headers: [.location: prefix], body: Data())
        }
        guard raw.hasPrefix(prefix) else { return try await fallback.handleRequest(request) }
        var inner = request
        let rest = "/" + raw.dropFirst(prefix.count)
        inner.target = HTTPRequest.Target(path: rest, query: request.target.query(percentEncoded: true))
        inner.path = rest.removingPercentEncoding ?? rest
        return try await mounted.handleRequest(inner)
    }
}
