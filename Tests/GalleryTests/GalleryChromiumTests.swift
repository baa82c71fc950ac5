import Foundation
import Rendering
import Testing
@testable import Gallery

/// The page as a real browser sees it: headless Chromium loads index.html from file:// and from
/// the server, runs its script, and dumps the DOM.
@Suite struct GalleryChromiumTests {
    private func chromium() throws -> String {
        switch Chromium.located {
        case let .success(path): return path
        case let .failure(reason): try Test.cancel("headless Chromium unavailable: \(reason)")
        }
    }

    /// Checks a dumped DOM of the standard fixture's page.
    private func checkDOM(_ dom: String, images: [GalleryImage], source: String) {
        #expect(dom.contains("data-gallery-ready=\"true\""), "the page script did not finish (\(source))")
        for image in images {
            for path in image.outputs.map(\.path) + (image.original.map { [$0] } ?? []) {
                let src = URLPathEncoding.encode(path)
                #expect(dom.contains("src=\"\(src)\""), "\(path) missing from the DOM (\(source))")
            }
        }
        // Hostile names are text nodes (serialised with &lt; &gt;), never elements.
        #expect(dom.contains("<h2>&lt;img src=x onerror=alert(1)&gt;</h2>"), "(\(source))")
        #expect(dom.contains("&lt;img src=x onerror=document.body.appendChild(document.createElement('pwned'))&gt;"),
                "(\(source))")
        #expect(dom.contains("<h2>a\"b&amp;c'd</h2>"), "(\(source))")
        #expect(!dom.contains("<img src=\"x\""), "an injected <img> exists (\(source))")
        #expect(!dom.contains("onerror=\""), "an onerror attribute exists (\(source))")
        #expect(!dom.contains("<pwned"), "an onerror handler ran (\(source))")
        let tiles = dom.components(separatedBy: "<figure class=\"tile\"").count - 1
        #expect(tiles == 11, "tiles in DOM: \(tiles) (\(source))")
    }

    @Test(.timeLimit(.minutes(20)))
    func pageFromFileURL() throws {
        let executable = try chromium()
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        let page = try GalleryPage(images: images).write(to: fixture.url)
        let outcome = try Chromium.dumpDOM(executable, url: page.absoluteString)
        #expect(!outcome.timedOut && outcome.status == 0, "chromium: \(outcome.stderr.suffix(2000))")
        checkDOM(outcome.stdout, images: images, source: "file://")
    }

    @Test(.timeLimit(.minutes(20)))
    func pageThroughServer() async throws {
        let executable = try chromium()
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        let images = try GalleryScanner(directory: fixture.url, modes: RenderMode.names).scan()
        try GalleryPage(images: images).write(to: fixture.url)
        let server = try GalleryServer(directory: fixture.url, port: 0)
        let address = try await server.start()
        let outcome: Result<ProcessRunner.Outcome, any Error>
        do {
            outcome = .success(try await onOwnThread { try Chromium.dumpDOM(executable, url: address.description) })
        } catch {
            outcome = .failure(error)
        }
        await server.stop()
        let result = try outcome.get()
        #expect(!result.timedOut && result.status == 0, "chromium: \(result.stderr.suffix(2000))")
        checkDOM(result.stdout, images: images, source: address.description)
    }

    /// A harness page served beside index.html (same origin) drives the gallery in an iframe:
    /// "only" buttons, checkboxes, "every mode", the lightbox, Escape and click to close; it
    /// writes what it observed into a <pre>, which the dumped DOM carries back.
    @Test(.timeLimit(.minutes(20)))
    func filterAndLightboxBehave() async throws {
        let executable = try chromium()
        let fixture = try GalleryFixture.standard()
        defer { fixture.remove() }
        try GalleryPage.generate(in: fixture.url, modes: RenderMode.names)
        try fixture.write("harness.html", Data(Self.harness.utf8))
        let server = try GalleryServer(directory: fixture.url, port: 0)
        let address = try await server.start()
        let outcome: Result<ProcessRunner.Outcome, any Error>
        do {
            outcome = .success(try await onOwnThread {
                try Chromium.dumpDOM(executable, url: address.description + "harness.html")
            })
        } catch {
            outcome = .failure(error)
        }
        await server.stop()
        let result = try outcome.get()
        #expect(!result.timedOut && result.status == 0, "chromium: \(result.stderr.suffix(2000))")
        let dom = result.stdout
        guard let start = dom.range(of: "<pre id=\"result\">"),
              let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            Issue.record("no result in the harness DOM: \(dom.prefix(2000))")
            return
        }
        let observed = dom[start.upperBound..<end.lowerBound]
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
            .split(separator: "\n").map(String.init)
        // Counted by hand from GalleryFixture.standard(): axial tiles: the alert name, cat,
        // wren (3); self: the element name, cat (2); one original (cat). With only axial shown,
        // 3 of the 7 sections keep a visible tile. The first axial link is the alert name's.
        let expected = [
            "ready=true",
            "onlyAxial axial=3 self=0 original=0 patch=0",
            "sectionsShown=3",
            "plusSelf self=2 axial=3",
            "every self=2 original=1 all=1",
            "lightboxOpen=true src=%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E_axial.png caption=<img src=x onerror=alert(1)> — axial",
            "afterEscape=false",
            "afterClick=false",
        ]
        #expect(observed == expected)
    }

    static let harness = """
    <!DOCTYPE html>
    <html><head><meta charset="utf-8"></head><body>
    <iframe id="frame" src="index.html" width="1200" height="800"></iframe>
    <pre id="result">pending</pre>
    <script>
    document.getElementById('frame').addEventListener('load', function () {
      var d = this.contentDocument, w = this.contentWindow, out = [];
      function visible(mode) {
        return Array.prototype.filter.call(d.querySelectorAll('.tile[data-mode="' + mode + '"]'),
          function (t) { return !t.hidden; }).length;
      }
      out.push('ready=' + d.body.getAttribute('data-gallery-ready'));
      d.querySelector('button.only[data-only="axial"]').click();
      out.push('onlyAxial axial=' + visible('axial') + ' self=' + visible('self') +
               ' original=' + visible('original') + ' patch=' + visible('patch'));
      out.push('sectionsShown=' + Array.prototype.filter.call(d.querySelectorAll('section.image'),
               function (s) { return !s.hidden; }).length);
      d.querySelector('input[name="mode"][value="self"]').click();
      out.push('plusSelf self=' + visible('self') + ' axial=' + visible('axial'));
      d.getElementById('show-every-mode').click();
      out.push('every self=' + visible('self') + ' original=' + visible('original') + ' all=' + visible('all'));
      var link = d.querySelector('.tile[data-mode="axial"] a');
      var lightbox = d.getElementById('lightbox');
      link.click();
      out.push('lightboxOpen=' + !lightbox.hidden + ' src=' + d.getElementById('lightbox-image').getAttribute('src') +
               ' caption=' + d.getElementById('lightbox-caption').textContent);
      d.dispatchEvent(new w.KeyboardEvent('keydown', { key: 'Escape' }));
      out.push('afterEscape=' + !lightbox.hidden);
      link.click();
      lightbox.click();
      out.push('afterClick=' + !lightbox.hidden);
      document.getElementById('result').textContent = out.join('\\n');
    });
    </script>
    </body></html>
    """
}
