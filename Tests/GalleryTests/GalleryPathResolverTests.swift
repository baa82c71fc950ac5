import Foundation
import Testing
@testable import Gallery

/// The request-path rules without sockets; `GalleryServerTests` checks the same over HTTP.
@Suite struct GalleryPathResolverTests {
    @Test func mapsPathsInsideTheFolder() throws {
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        try fixture.write("index.html", Data("<p>index</p>".utf8))
        try fixture.write("birds/index.html", Data("<p>birds</p>".utf8))
        let root = try GalleryRoot(fixture.url)
        let resolver = GalleryPathResolver(root: root)
        #expect(resolver.resolve(percentEncodedPath: "/") == .file(realPath: root.path + "/index.html"))
        #expect(resolver.resolve(percentEncodedPath: "/birds/") == .file(realPath: root.path + "/birds/index.html"))
        #expect(resolver.resolve(percentEncodedPath: "/birds") == .file(realPath: root.path + "/birds/index.html"))
        #expect(resolver.resolve(percentEncodedPath: "/birds/owl_all.png") ==
                .file(realPath: root.path + "/birds/owl_all.png"))
        #expect(resolver.resolve(percentEncodedPath: "/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E_axial.png") ==
                .file(realPath: root.path + "/<img src=x onerror=alert(1)>_axial.png"))
        #expect(resolver.resolve(percentEncodedPath: "/missing.png") == .notFound)
        #expect(resolver.resolve(percentEncodedPath: "/birds/deep/") == .notFound)   // no index.html
    }

    @Test(arguments: [
        "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/etc/passwd", "/birds/../../etc/passwd",
        "/./cat_axial.png", "//etc/passwd", "/%2fetc/passwd", "/birds%2fowl_all.png",
        "/%00", "/cat_axial.png%00.html", "/..%5c..%5cetc/passwd", "/a\\b", "etc/passwd",
        "http://127.0.0.1/cat_axial.png", "/birds//owl_all.png", "/%zz", "/%2F%2Fetc/passwd",
    ])
    func refusesEscapesAndMalformedPaths(path: String) throws {
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        let resolver = GalleryPathResolver(root: try GalleryRoot(fixture.url))
        let result = resolver.resolve(percentEncodedPath: path)
        guard case .refused = result else {
            Issue.record("\(path) gave \(result), expected refused")
            return
        }
    }

    @Test func refusesSymlinksResolvingOutside() throws {
        let fixture = try GalleryFixture.standard()
        let outside = try GalleryFixture()
        defer { fixture.remove(); outside.remove() }
        try outside.write("secret.txt", Data("secret".utf8))
        try fixture.symlink("leak.png", to: outside.url.appendingPathComponent("secret.txt").path)
        try fixture.symlink("out", to: outside.url.path)
        try fixture.symlink("inside.png", to: "cat_axial.png")
        let root = try GalleryRoot(fixture.url)
        let resolver = GalleryPathResolver(root: root)
        #expect(resolver.resolve(percentEncodedPath: "/leak.png") == .refused(reason: "resolves outside the gallery folder"))
        #expect(resolver.resolve(percentEncodedPath: "/out/secret.txt") == .refused(reason: "resolves outside the gallery folder"))
        #expect(resolver.resolve(percentEncodedPath: "/inside.png") == .file(realPath: root.path + "/cat_axial.png"))
    }

    @Test(arguments: [
        ("index.html", "text/html; charset=utf-8"), ("a.PNG", "image/png"), ("b.jpg", "image/jpeg"),
        ("b.jpeg", "image/jpeg"), ("s.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"), (".vis-index.json", "application/json"),
        ("notes.txt", "application/octet-stream"), ("noext", "application/octet-stream"),
    ])
    func contentTypeFromExtension(name: String, type: String) {
        #expect(ContentType.forPath("/dir/" + name) == type)
    }
}
