import Foundation
import Rendering
import Testing
@testable import Gallery

@Suite struct GalleryPageTests {
    /// The standard fixture's page with a fixed nonce.
    private func standardPage() throws -> (GalleryFixture, [GalleryImage], String) {
        let fixture = try GalleryFixture.standard()
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        return (fixture, images, GalleryPage(images: images).html(nonce: "n0nce"))
    }

    @Test func listsEveryOutputWithEncodedLinks() throws {
        let (fixture, _, html) = try standardPage()
        defer { fixture.remove() }
        // Hand-encoded URLs (RFC 3986 unreserved kept, every other UTF-8 byte as %XX).
        let expectedURLs = [
            "cat_axial.png", "cat_self.png", "cat_preview.jpg", "my_dog_coord.png",
            "birds/owl_glimpse.png", "birds/owl_patch.png", "birds/owl_all.png",
            "birds/deep/wren_axial.png",
            "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E_axial.png",
            "%3Cimg%20src%3Dx%20onerror%3Ddocument.body.appendChild%28document.createElement%28%27pwned%27%29%29%3E_self.png",
            "a%22b%26c%27d_patch.png",
        ]
        for url in expectedURLs {
            #expect(html.contains("<a href=\"\(url)\""), "no link to \(url)")
            #expect(html.contains("<img src=\"\(url)\""), "no thumbnail of \(url)")
        }
        #expect(html.components(separatedBy: "<figure class=\"tile\"").count - 1 == expectedURLs.count)
        #expect(!html.contains("cat_unknown") && !html.contains("notes.txt") && !html.contains(".hidden_axial"))
    }

    @Test func groupsTilesUnderTheirImageWithOriginalFirst() throws {
        let (fixture, _, html) = try standardPage()
        defer { fixture.remove() }
        let sections = html.components(separatedBy: "<section class=\"image\"").dropFirst()
        #expect(sections.count == 7)
        let cat = try #require(sections.first { $0.hasPrefix(" data-key=\"cat\"") })
        let modes = cat.components(separatedBy: "data-mode=\"").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        #expect(modes == ["original", "axial", "self"])
        let owl = try #require(sections.first { $0.hasPrefix(" data-key=\"birds/owl\"") })
        #expect(owl.contains("<h2>birds/owl</h2>"))
        #expect(owl.contains("href=\"birds/owl_glimpse.png\"") && owl.contains("href=\"birds/owl_all.png\""))
        #expect(!owl.contains("cat_"))
        #expect(html.contains("<span id=\"image-count\">7</span> images, <span id=\"overlay-count\">10</span> overlays"))
    }

    @Test func filterOffersEveryModePresent() throws {
        let (fixture, images, html) = try standardPage()
        defer { fixture.remove() }
        let page = GalleryPage(images: images)
        #expect(page.filterValues == ["original", "axial", "self", "coord", "glimpse", "patch", "all"])
        // Images per filter value, counted by hand from the fixture.
        let counts = ["original": 1, "axial": 3, "self": 2, "coord": 1, "glimpse": 1, "patch": 2, "all": 1]
        for (value, count) in counts {
            #expect(html.contains("<input type=\"checkbox\" name=\"mode\" value=\"\(value)\" checked> \(value) (\(count))"))
            #expect(html.contains("data-only=\"\(value)\""))
        }
        #expect(html.contains("id=\"lightbox\""))
        #expect(html.contains("event.key === 'Escape'"))
    }

    @Test func hostileNamesAreTextNeverMarkup() throws {
        let (fixture, _, html) = try standardPage()
        defer { fixture.remove() }
        for raw in [GalleryFixture.hostileAlert, GalleryFixture.hostileElement, "a\"b&c'd", "onerror=alert(1)>"] {
            #expect(!html.contains(raw), "raw \(raw) appears in the page")
        }
        #expect(!html.contains("onerror=\"") && !html.contains("<img src=x"))
        #expect(html.contains("<h2>&lt;img src=x onerror=alert(1)&gt;</h2>"))
        #expect(html.contains("<h2>a&quot;b&amp;c&#39;d</h2>"))
        #expect(html.contains("data-key=\"&lt;img src=x onerror=alert(1)&gt;\""))
        // The only <script> is the page's own, carrying the nonce the CSP allows.
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.contains("<script nonce=\"n0nce\">"))
        #expect(html.contains("script-src 'nonce-n0nce'"))
    }

    @Test func noNetworkAndRelativeLinksOnly() throws {
        let (fixture, _, html) = try standardPage()
        defer { fixture.remove() }
        for needle in ["http:", "https:", "//", "file:", "src=\"/", "href=\"/", "innerHTML"] {
            let hits = html.components(separatedBy: needle).count - 1
            // "//" may only occur in the DOCTYPE-free text: none expected at all.
            #expect(hits == 0, "\(needle) occurs \(hits) times")
        }
    }

    @Test func emptyFolderSaysSo() throws {
        let html = GalleryPage(images: []).html(nonce: "abc")
        #expect(html.contains("<span id=\"image-count\">0</span> images"))
        #expect(html.contains("No outputs found"))
        #expect(!html.contains("id=\"filter\""))
    }

    @Test func writesAtomicallyAndLeavesNoTemporaryFile() throws {
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        try fixture.write("index.html", Data("old".utf8))
        let written = try GalleryPage.generate(in: fixture.url, modes: RenderMode.names)
        #expect(written.lastPathComponent == "index.html")
        let text = String(decoding: try fixture.read("index.html"), as: UTF8.self)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.hasSuffix("</html>\n"))
        #expect(text.contains("cat_axial.png"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.url.path)
            .filter { $0.contains(".tmp-") }  // AtomicFile's ".vis-tmp-" marker
        #expect(leftovers.isEmpty)
        // A second scan must not list index.html or treat it as an output.
        #expect(try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan().count == 7)
    }

    @Test func writeIntoMissingFolderNamesThePath() {
        let missing = URL(fileURLWithPath: "/nonexistent-gallery-\(UUID().uuidString)")
        let error = #expect(throws: GalleryError.self) {
            try GalleryPage(images: []).write(to: missing)
        }
        guard case let .writeFailed(path, _)? = error else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(path.hasPrefix(missing.path + "/"))
    }

    @Test(arguments: [
        ("plain.png", "plain.png"),
        ("a b/c.png", "a%20b/c.png"),
        ("x?y#z.png", "x%3Fy%23z.png"),
        ("javascript:alert(1).png", "javascript%3Aalert%281%29.png"),
        ("100%.png", "100%25.png"),
        ("é.png", "%C3%A9.png"),
        ("~a-b_c.png", "~a-b_c.png"),
    ])
    func percentEncodesEachSegment(path: String, encoded: String) {
        #expect(URLPathEncoding.encode(path) == encoded)
    }

    @Test func escapesTheFiveHTMLCharacters() {
        #expect(HTMLEscape.escape("<a href=\"x\">&'</a>") ==
                "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLEscape.escape("plain é") == "plain é")
    }
}
