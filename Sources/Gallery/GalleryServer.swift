import FlyingFox
import Foundation

/// Serves a gallery folder over HTTP on 127.0.0.1 only, with FlyingFox.
///
/// GET only; files inside the folder with their `Content-Type` (html, png, jpeg, css, js, json);
/// `/` serves `index.html`; every request that tries to leave the folder (dot segments, encoded
/// `.`/`/`, absolute paths, NUL, symlinks whose real path lies outside) gets 403, a missing file
/// 404 (see `GalleryPathResolver`). Only requests whose `Host` is the printed `127.0.0.1:PORT`
/// are served (421 otherwise), so that a web page cannot reach it through DNS rebinding.
///
/// ```swift
/// let server = try GalleryServer(directory: out, port: 0)   // 0: an ephemeral port
/// let address = try await server.start()                   // bound and listening
/// print(address.url)                                       // http://127.0.0.1:PORT/
/// try await server.waitUntilStopped()                      // or: await server.stop()
/// ```
public actor GalleryServer {
    /// The port used when none is given.
    public static let defaultPort: UInt16 = 8000
    /// The only address the server binds.
    public static let host = LoopbackHTTPServer.host

    public typealias Address = LoopbackHTTPServer.Address

    /// The gallery folder's real path.
    public nonisolated let directory: URL
    /// The port asked for (0 = ephemeral).
    public nonisolated let requestedPort: UInt16

    private let server: LoopbackHTTPServer

    /// Prepares a server for `directory` (which must exist) on `127.0.0.1:port`; `mount`
    /// serves another handler under a path prefix ending in `/` (the explorer at `/explore/`).
    public init(directory: URL, port: UInt16 = GalleryServer.defaultPort,
                mount: (prefix: String, handler: any HTTPHandler)? = nil) throws(GalleryError) {
        let root = try GalleryRoot(directory)
        self.directory = URL(fileURLWithPath: root.path, isDirectory: true)
        self.requestedPort = port
        var handler: any HTTPHandler = GalleryFileHandler(resolver: GalleryPathResolver(root: root))
        if let mount {
            precondition(mount.prefix.hasPrefix("/") && mount.prefix.hasSuffix("/") && mount.prefix.count > 2,
                         "a mount prefix is /name/, got \(mount.prefix)")
            handler = MountingHandler(prefix: mount.prefix, mounted: mount.handler, fallback: handler)
        }
        self.server = LoopbackHTTPServer(port: port, handler: handler)
    }

    /// The address while running; `nil` before `start()` and after `stop()`.
    public var address: Address? { get async { await server.address } }

    /// Binds 127.0.0.1, starts serving in the background and returns once the socket listens,
    /// with the address read back from it. Throws `listenFailed` (e.g. port in use) or
    /// `alreadyRunning`.
    @discardableResult
    public func start() async throws(GalleryError) -> Address {
        try await server.start()
    }

    /// Closes the listening socket, lets open connections finish, and returns when the server
    /// has stopped. Does nothing when not running.
    public func stop() async { await server.stop() }

    /// Waits until the server stops (`stop()` from elsewhere, or a socket failure).
    public func waitUntilStopped() async { await server.waitUntilStopped() }
}
