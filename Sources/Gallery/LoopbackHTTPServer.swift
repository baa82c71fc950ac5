import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// A FlyingFox server on 127.0.0.1 only, started and stopped as one unit, that answers only
/// requests whose `Host` is the address it printed (``LoopbackHostGuard``).
///
/// Shared by the gallery server and the explorer.
public actor LoopbackHTTPServer {
    /// The only address the server binds.
    public static let host = "127.0.0.1"

    /// Where the server listens once started.
    public struct Address: Sendable, Equatable, CustomStringConvertible {
        /// The bound IPv4 address, read back from the socket (`getsockname`).
        public var host: String
        /// The bound port (the actual one when 0 was asked for).
        public var port: UInt16
        /// `http://host:port/`.
        public var url: URL { URL(string: "http://\(host):\(port)/")! }
        public var description: String { "http://\(host):\(port)/" }
    }

    /// The port asked for (0 = ephemeral).
    public nonisolated let requestedPort: UInt16
    private let handler: any HTTPHandler
    private let hostGuard = LoopbackHostGuard()
    private var server: HTTPServer?
    private var runTask: Task<Void, Never>?
    private var boundAddress: Address?

    /// `handler` answers every request that passes the `Host` check.
    public init(port: UInt16, handler: any HTTPHandler) {
        self.requestedPort = port
        self.handler = handler
    }

    /// The address while running; `nil` before `start()` and after `stop()`.
    public var address: Address? { boundAddress }

    /// Binds 127.0.0.1, starts serving in the background and returns once the socket listens,
    /// with the address read back from it. Throws `listenFailed` (e.g. port in use) or
    /// `alreadyRunning`.
    @discardableResult
    public func start() async throws(GalleryError) -> Address {
        if let boundAddress { throw .alreadyRunning(port: boundAddress.port) }
        let socketAddress: sockaddr_in
        do {
            socketAddress = try .inet(ip4: Self.host, port: requestedPort)
        } catch {
            throw .listenFailed(port: requestedPort, reason: "\(error)")
        }
        let guarded = GuardedHandler(hostGuard: hostGuard, inner: handler)
        let server = HTTPServer(address: socketAddress, timeout: 30, logger: .disabled, handler: guarded)
        let outcome = RunOutcome()
        let task = Task {
            do { try await server.run() } catch { outcome.finish(error) }
            outcome.finish(nil)
        }
        // Wait until the socket listens, or run() ends first (e.g. the port is taken).
        let deadline = ContinuousClock.now + .seconds(10)
        while await !server.isListening {
            if let ended = outcome.ended {
                throw .listenFailed(port: requestedPort, reason: ended)
            }
            if ContinuousClock.now > deadline {
                task.cancel()
                await server.stop()
                throw .listenFailed(port: requestedPort, reason: "not listening after 10 s")
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        guard case let .ip4(host, port)? = await server.listeningAddress else {
            task.cancel()
            await server.stop()
            throw .listenFailed(port: requestedPort, reason: "no IPv4 address on the socket")
        }
        let address = Address(host: host, port: port)
        hostGuard.accept(host: host, port: port)
        self.server = server
        self.runTask = task
        self.boundAddress = address
        return address
    }

    /// Closes the listening socket, lets open connections finish, and returns when the server
    /// has stopped. Does nothing when not running.
    public func stop() async {
        guard let server else { return }
        self.server = nil
        self.boundAddress = nil
        await server.stop()
        await runTask?.value
        runTask = nil
    }

    /// Waits until the server stops (`stop()` from elsewhere, or a socket failure); for a
    /// command that serves until interrupted. Returns at once when not running.
    public func waitUntilStopped() async {
        await runTask?.value
    }
}

/// The `Host` check in front of the real handler.
private struct GuardedHandler: HTTPHandler {
    let hostGuard: LoopbackHostGuard
    let inner: any HTTPHandler

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let refusal = hostGuard.refusal(for: request) { return refusal }
        return try await inner.handleRequest(request)
    }
}

/// How `HTTPServer.run()` ended, shared between its task and `start()`.
private final class RunOutcome: Sendable {
    private let state = Mutex<String?>(nil)

    /// Records the first ending: the error's text, or "run() returned" when there is none.
    func finish(_ error: (any Error)?) {
        state.withLock { current in
            if current == nil { current = error.map { "\($0)" } ?? "run() returned" }
        }
    }

    /// `nil` while `run()` is still going.
    var ended: String? { state.withLock { $0 } }
}
