import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw HTTP/1.1 client over a blocking TCP socket to 127.0.0.1, so tests can send request
/// targets exactly as written (`/../etc/passwd`, `/%2e%2e/…`, `//etc/passwd`), which URLSession
/// would normalise. Each request blocks a thread of its own (not the Swift concurrency pool,
/// not Dispatch's width-limited global queue, which the server's file reads may need), and gives
/// up after 10 s of socket silence.
struct HTTPTestResponse {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data
}

enum HTTPTestClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `host`: the `Host` header's value; `nil` sends `127.0.0.1:PORT`, "" sends none.
    static func request(_ target: String, method: String = "GET", port: UInt16,
                        host: String? = nil) async throws -> HTTPTestResponse {
        try await onOwnThread { try blockingRequest(method, target, port: port, host: host ?? "127.0.0.1:\(port)") }
    }

    private static func blockingRequest(_ method: String, _ target: String, port: UInt16,
                                        host: String) throws -> HTTPTestResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect to port \(port): errno \(errno)") }

        let hostLine = host.isEmpty ? "" : "Host: \(host)\r\n"
        let request = Array("\(method) \(target) HTTP/1.1\r\n\(hostLine)Connection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let parsed = try parse(received), parsed.complete { return parsed.response }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "recv: errno \(errno) after \(received.count) bytes") }
            received += buffer[0..<n]
        }
        guard let parsed = try parse(received) else {
            throw Failure(description: "connection closed before a full header (\(received.count) bytes)")
        }
        return parsed.response
    }

    /// Parses what has arrived; `nil` until the header is complete.
    private static func parse(_ bytes: [UInt8]) throws -> (response: HTTPTestResponse, complete: Bool)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
              let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator })
        else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(head[0])")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] =
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Data(bytes[(end + 4)...])
        let expected = headers["content-length"].flatMap { Int($0) }
        let complete = expected.map { body.count >= $0 } ?? false
        return (HTTPTestResponse(status: status, headers: headers, body: body), complete)
    }
}
