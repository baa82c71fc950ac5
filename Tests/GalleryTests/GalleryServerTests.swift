import Foundation
import Rendering
import Testing
@testable import Gallery

/// Each test starts its own server on an ephemeral port of 127.0.0.1 and talks to it with the
/// raw `HTTPTestClient` (request targets sent byte for byte).
@Suite struct GalleryServerTests {
    /// Runs `body` against a server for a fresh standard fixture (with index.html written),
    /// stopping the server and removing the folder afterwards.
    private func withServer(_ body: (GalleryFixture, GalleryServer.Address) async throws -> Void) async throws {
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        try GalleryPage.generate(in: fixture.url, modes: RenderMode.names)
        let server = try GalleryServer(directory: fixture.url, port: 0)
        let address = try await server.start()
        do {
            try await body(fixture, address)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(await server.address == nil)
    }

    @Test func servesPNGBytesWithImageType() async throws {
        try await withServer { fixture, address in
            let response = try await HTTPTestClient.request("/birds/owl_all.png", port: address.port)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "image/png")
            #expect(response.headers["x-content-type-options"] == "nosniff")
            #expect(response.body == (try fixture.read("birds/owl_all.png")))
            #expect(response.body.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }

    /// DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host.
    @Test(arguments: ["evil.example:PORT", "localhost.evil.example", "127.0.0.1", "127.0.0.1:1",
                      "127.0.0.1:PORT.evil.example", "", "[::1]:PORT"])
    func refusesAnyHostButThePrintedOne(host: String) async throws {
        try await withServer { fixture, address in
            let sent = host.replacingOccurrences(of: "PORT", with: "\(address.port)")
            let refused = try await HTTPTestClient.request("/birds/owl_all.png", port: address.port, host: sent)
            #expect(refused.status == 421, "Host '\(sent)' got \(refused.status)")
            #expect(!refused.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            let printed = try await HTTPTestClient.request("/birds/owl_all.png", port: address.port,
                                                           host: "127.0.0.1:\(address.port)")
            #expect(printed.status == 200)
        }
    }

    @Test func rootServesIndexAndHostileNamesAreReachable() async throws {
        try await withServer { fixture, address in
            let index = try await HTTPTestClient.request("/", port: address.port)
            #expect(index.status == 200)
            #expect(index.headers["content-type"] == "text/html; charset=utf-8")
            #expect(index.body == (try fixture.read("index.html")))
            // The page's own encoded link resolves to the hostile file.
            let hostile = try await HTTPTestClient.request(
                "/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E_axial.png", port: address.port)
            #expect(hostile.status == 200)
            #expect(hostile.body == (try fixture.read("\(GalleryFixture.hostileAlert)_axial.png")))
        }
    }

    @Test func contentTypesOfOtherFiles() async throws {
        try await withServer { fixture, address in
            try fixture.write("photo_original.jpg", Data([0xFF, 0xD8, 0xFF, 0xD9]))
            try fixture.write("style.css", Data("body{}".utf8))
            try fixture.write("app.js", Data("1;".utf8))
            try GalleryIndex(originals: [:]).write(to: fixture.url)
            let expected = ["/photo_original.jpg": "image/jpeg", "/style.css": "text/css; charset=utf-8",
                            "/app.js": "text/javascript; charset=utf-8", "/.vis-index.json": "application/json"]
            for (path, type) in expected {
                let response = try await HTTPTestClient.request(path, port: address.port)
                #expect(response.status == 200, "\(path)")
                #expect(response.headers["content-type"] == type, "\(path)")
            }
        }
    }

    @Test(arguments: [
        "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd",
        "/birds/../../../etc/passwd", "/..%2f..%2fetc/passwd", "/cat_axial.png%00",
    ])
    func refusesPathsLeavingTheFolder(target: String) async throws {
        try await withServer { _, address in
            let response = try await HTTPTestClient.request(target, port: address.port)
            #expect(response.status == 403, "\(target) → \(response.status)")
            #expect(!String(decoding: response.body, as: UTF8.self).contains("root:"))
        }
    }

    @Test func refusesSymlinkPointingOutside() async throws {
        let outside = try GalleryFixture()
        defer { outside.remove() }
        try outside.write("secret.txt", Data("top secret".utf8))
        try await withServer { fixture, address in
            try fixture.symlink("leak.png", to: outside.url.appendingPathComponent("secret.txt").path)
            try fixture.symlink("outdir", to: outside.url.path)
            for target in ["/leak.png", "/outdir/secret.txt"] {
                let response = try await HTTPTestClient.request(target, port: address.port)
                #expect(response.status == 403, "\(target) → \(response.status)")
                #expect(!String(decoding: response.body, as: UTF8.self).contains("top secret"))
            }
        }
    }

    @Test func getOnlyAndMissingIs404() async throws {
        try await withServer { _, address in
            let post = try await HTTPTestClient.request("/cat_axial.png", method: "POST", port: address.port)
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET")
            let delete = try await HTTPTestClient.request("/cat_axial.png", method: "DELETE", port: address.port)
            #expect(delete.status == 405)
            let missing = try await HTTPTestClient.request("/nope.png", port: address.port)
            #expect(missing.status == 404)
        }
    }

    @Test func bindsLoopbackOnly() async throws {
        try await withServer { _, address in
            #expect(address.host == "127.0.0.1")
            #expect(address.port != 0)
            #expect(address.url.absoluteString == "http://127.0.0.1:\(address.port)/")
            // The kernel's own table: a LISTEN socket (state 0A) on 127.0.0.1 (0100007F) at
            // this port, and none on 0.0.0.0 or any other local address.
            let listeners = try Self.ipv4Listeners(port: address.port)
            #expect(listeners == ["0100007F"])
            let ipv6 = try Self.ipv6Listeners(port: address.port)
            #expect(ipv6.isEmpty)
        }
    }

    @Test func startTwiceAndBusyPortAreErrors() async throws {
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        let first = try GalleryServer(directory: fixture.url, port: 0)
        let address = try await first.start()
        await #expect(throws: GalleryError.alreadyRunning(port: address.port)) {
            try await first.start()
        }
        let second = try GalleryServer(directory: fixture.url, port: address.port)
        let error = await #expect(throws: GalleryError.self) { try await second.start() }
        if case let .listenFailed(port, _)? = error {
            #expect(port == address.port)
        } else {
            Issue.record("expected listenFailed, got \(String(describing: error))")
        }
        await first.stop()
        // Stopped: the port answers no more, and stop() twice is harmless.
        await #expect(throws: HTTPTestClient.Failure.self) {
            _ = try await HTTPTestClient.request("/", port: address.port)
        }
        await first.stop()
    }

    @Test func defaultsAndMissingFolder() throws {
        let fixture = try GalleryFixture()
        defer { fixture.remove() }
        #expect(GalleryServer.defaultPort == 8000)
        #expect(try GalleryServer(directory: fixture.url).requestedPort == 8000)
        let missing = URL(fileURLWithPath: "/nonexistent-gallery-\(UUID().uuidString)")
        #expect(throws: GalleryError.notADirectory(path: missing.path)) {
            _ = try GalleryServer(directory: missing)
        }
    }

    /// Local addresses (hex, as in /proc/net/tcp) of LISTEN sockets on `port`.
    static func ipv4Listeners(port: UInt16) throws -> [String] {
        try listeners(file: "/proc/net/tcp", port: port)
    }

    static func ipv6Listeners(port: UInt16) throws -> [String] {
        guard FileManager.default.fileExists(atPath: "/proc/net/tcp6") else { return [] }
        return try listeners(file: "/proc/net/tcp6", port: port)
    }

    private static func listeners(file: String, port: UInt16) throws -> [String] {
        // Read to EOF by hand: procfs reports size 0, and the table can span many pages.
        let handle = try #require(FileHandle(forReadingAtPath: file))
        defer { try? handle.close() }
        let table = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        let portHex = String(format: "%04X", port)
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 3 else { return nil }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, local[1] == portHex, fields[3] == "0A" else { return nil }
            return String(local[0])
        }
    }
}
