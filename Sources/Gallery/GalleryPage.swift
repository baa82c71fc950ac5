import Foundation

/// The gallery's `index.html`: one self-contained page (inline CSS and JavaScript, no network,
/// relative links only) that works from `file://` and through `GalleryServer`.
///
/// Layout: a header with the image and overlay counts and the mode filter (a checkbox per mode
/// present, plus "only" buttons that hide every other mode); then one section per image, its
/// original first (when known) and its overlays in `GalleryMode` order. Clicking a thumbnail
/// opens the full image in a lightbox; Escape or a click closes it. Without JavaScript each
/// thumbnail is a plain link to its file.
///
/// Every file name is HTML-escaped where it appears as text or in an attribute, and
/// percent-encoded (each `/`-separated segment) where it is a URL, so a file named
/// `<img src=x onerror=alert(1)>_axial.png` shows as text and never as markup. The page never
/// builds markup from strings in JavaScript (no `innerHTML`); its script carries a per-page
/// nonce and a Content-Security-Policy allows no other script, as a second line of defence.
public struct GalleryPage: Sendable {
    /// The page's file name inside the gallery folder.
    public static let fileName = "index.html"

    /// The images, in the order they are shown.
    public var images: [GalleryImage]
    /// The page title (escaped like everything else).
    public var title: String

    public init(images: [GalleryImage], title: String = "vis gallery") {
        self.images = images
        self.title = title
    }

    /// The label and filter value of an original picture's tile.
    public static let originalFilterValue = "original"

    /// The number of overlay files on the page.
    public var overlayCount: Int { images.reduce(0) { $0 + $1.outputs.count } }

    /// The filter values present, in display order: `original` (when some image has one),
    /// then the raw values of the modes present in `GalleryMode` order.
    public var filterValues: [String] {
        let modes = Set(images.flatMap { $0.outputs.map(\.mode) }).sorted()
        let original = images.contains { $0.original != nil } ? [Self.originalFilterValue] : []
        return original + modes.map(\.rawValue)
    }

    /// The complete HTML document, with a fresh random script nonce.
    public func html() -> String {
        html(nonce: Self.makeNonce())
    }

    /// The complete HTML document with the given script nonce (letters and digits only).
    func html(nonce: String) -> String {
        precondition(nonce.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) },
                     "nonce must be ASCII letters and digits, got \(nonce)")
        let e = HTMLEscape.escape
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'nonce-\(nonce)'">
        <title>\(e(title))</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        <header>
        <h1>\(e(title))</h1>
        <p id="count"><span id="image-count">\(images.count)</span> \(images.count == 1 ? "image" : "images"), <span id="overlay-count">\(overlayCount)</span> \(overlayCount == 1 ? "overlay" : "overlays")</p>

        """
        out += filterHTML()
        out += "</header>\n<main>\n"
        if images.isEmpty {
            out += "<p class=\"empty\">No outputs found (files named &lt;stem&gt;_&lt;mode&gt;.png).</p>\n"
        }
        for image in images {
            out += sectionHTML(image)
        }
        out += """
        </main>
        <div id="lightbox" hidden role="dialog" aria-modal="true" aria-label="Enlarged image">
        <figure><img id="lightbox-image" alt=""><figcaption id="lightbox-caption"></figcaption></figure>
        </div>
        <script nonce="\(nonce)">\(Self.script)</script>
        </body>
        </html>

        """
        return out
    }

    private func filterHTML() -> String {
        let values = filterValues
        guard !values.isEmpty else { return "" }
        var out = "<fieldset id=\"filter\"><legend>Modes</legend>\n"
        for value in values {
            let count = value == Self.originalFilterValue
                ? images.filter { $0.original != nil }.count
                : images.filter { $0.outputs.contains { $0.mode.rawValue == value } }.count
            let v = HTMLEscape.escape(value)
            out += "<span class=\"mode\"><label><input type=\"checkbox\" name=\"mode\" value=\"\(v)\" checked> \(v) (\(count))</label>"
            out += "<button type=\"button\" class=\"only\" data-only=\"\(v)\">only</button></span>\n"
        }
        out += "<button type=\"button\" id=\"show-every-mode\">every mode</button>\n</fieldset>\n"
        return out
    }

    private func sectionHTML(_ image: GalleryImage) -> String {
        let key = HTMLEscape.escape(image.key)
        var out = "<section class=\"image\" data-key=\"\(key)\">\n<h2>\(key)"
        if image.original != nil {
            // Shown by the script only when the page is served with the explorer beside it.
            let name = image.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            out += " <a class=\"explore\" href=\"explore/?name=\(HTMLEscape.escape(name))\" hidden>explore</a>"
        }
        out += "</h2>\n<div class=\"tiles\">\n"
        if let original = image.original {
            out += tileHTML(path: original, label: Self.originalFilterValue, key: image.key)
        }
        for output in image.outputs {
            out += tileHTML(path: output.path, label: output.mode.rawValue, key: image.key)
        }
        out += "</div>\n</section>\n"
        return out
    }

    private func tileHTML(path: String, label: String, key: String) -> String {
        let url = HTMLEscape.escape(URLPathEncoding.encode(path))
        let caption = HTMLEscape.escape("\(key) — \(label)")
        let mode = HTMLEscape.escape(label)
        return """
        <figure class="tile" data-mode="\(mode)"><a href="\(url)" data-caption="\(caption)"><img src="\(url)" alt="\(caption)" loading="lazy"></a><figcaption>\(mode)</figcaption></figure>

        """
    }

    /// Writes `<directory>/index.html` atomically (temporary file in the same folder, then
    /// rename) and returns its URL.
    @discardableResult
    public func write(to directory: URL) throws(GalleryError) -> URL {
        let file = directory.appendingPathComponent(Self.fileName)
        try GalleryFile.write(Data(html().utf8), to: file)
        return file
    }

    /// Scans `directory` with `GalleryScanner` for `modes` and writes its `index.html`;
    /// returns its URL.
    @discardableResult
    public static func generate(in directory: URL, modes: [String], title: String = "vis gallery")
        throws(GalleryError) -> URL {
        let images = try GalleryScanner(directory: directory, modes: modes).scan()
        return try GalleryPage(images: images, title: title).write(to: directory)
    }

    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
    }
}
