import FlyingFox
import Foundation

/// The FlyingFox handler behind `GalleryServer`: GET only (405 otherwise), files resolved by
/// `GalleryPathResolver` (403 when refused, 404 when missing), `Content-Type` from
/// `ContentType`, and `X-Content-Type-Options: nosniff` so browsers trust that type.
struct GalleryFileHandler: HTTPHandler {
    let resolver: GalleryPathResolver

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET else {
            return Self.plain(.methodNotAllowed, "only GET is served\n", extra: [HTTPHeader("Allow"): "GET"])
        }
        switch resolver.resolve(percentEncodedPath: request.target.path(percentEncoded: true)) {
        case .refused:
            return Self.plain(.forbidden, "forbidden\n")
        case .notFound:
            return Self.plain(.notFound, "not found\n")
        case let .file(realPath):
            let body: HTTPBodySequence
            do {
                body = try HTTPBodySequence(file: URL(fileURLWithPath: realPath))
            } catch {
                return Self.plain(.notFound, "not found\n")
            }
            return HTTPResponse(statusCode: .ok,
                                headers: [.contentType: ContentType.forPath(realPath),
                                          HTTPHeader("X-Content-Type-Options"): "nosniff",
                                          .cacheControl: "no-cache"],
                                body: body)
        }
    }

    private static func plain(_ status: HTTPStatusCode, _ text: String,
                              extra: HTTPHeaders = [:]) -> HTTPResponse {
        var headers: HTTPHeaders = [.contentType: "text/plain; charset=utf-8",
                                    HTTPHeader("X-Content-Type-Options"): "nosniff"]
        for (name, value) in extra { headers[name] = value }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(text.utf8))
    }
}
