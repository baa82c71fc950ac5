import Foundation
import ImageCodecs
import Testing

/// `vis explore` in a real browser: headless Chromium driven by Selenium (chromedriver)
/// clicks points of a sample and the drawn views must equal, pixel for pixel, what
/// `vis IMAGE --mode self --query X,Y` writes from the command line for the same query.
/// Installs Debian's chromium and chromium-driver and a venv with Selenium when missing
/// (as root); when that is impossible the test fails saying why.
@Suite(.serialized) struct ExploreBrowserTests {
    static let sample = VisBinary.repositoryFile("samples/chelsea.png")
    static let script = VisBinary.repositoryFile("Tests/visTests/Browser/explore_clicks.py")

    @Test(.timeLimit(.minutes(20)))
    func clicksDrawTheCommandLinesMaps() async throws {
        try await Self.offCooperativePool { try Self.clicksDrawTheCommandLinesMaps() }
    }

    static func clicksDrawTheCommandLinesMaps() throws {
        let python = try BrowserSetup.python()
        let folder = VisBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try ExploreServerProcess(arguments: [Self.sample, "--port", "0", "--out", folder + "/saved"])
        defer { server.stop() }

        let resultPath = folder + "/clicks.json"
        let run = try BrowserSetup.run(python, [Self.script, server.url, resultPath], timeout: 600)
        #expect(run.status == 0, "selenium script failed:\n\(run.output)")
        guard run.status == 0 else { return }
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as! [String: Any]
        let clicks = result["clicks"] as! [[String: Any]]
        #expect(clicks.count == 2)

        var shown: [[UInt8]] = []
        for (i, click) in clicks.enumerated() {
            let request = click["request"] as! String
            #expect(request.contains("mode=self") && request.contains("heads=0"))
            let drawn = try Self.pixels(dataURL: click["png"] as! String)
            let cli = try Self.commandLine(click, folder: folder + "/cli\(i)", heads: false)
            #expect(drawn.width == cli.width && drawn.height == cli.height)
            let same = drawn.rgb == cli.pixels   // a Bool: #expect would diff 400K-element arrays
            #expect(same, "click \(i) at (\(click["x"]!), \(click["y"]!)): \(Self.differing(drawn.rgb, cli.pixels)) pixels differ from the command line's")
            shown.append(drawn.rgb)
        }
        let differ = shown[0] != shown[1]
        #expect(differ, "two different query points drew the same map")

        // The per-head control changes the request, and the grid equals `--heads`.
        let heads = result["heads"] as! [String: Any]
        #expect((heads["request"] as! String).contains("heads=1"))
        let drawnHeads = try Self.pixels(dataURL: heads["png"] as! String)
        let cliHeads = try Self.commandLine(heads, folder: folder + "/cliheads", heads: true)
        let sameHeads = drawnHeads.rgb == cliHeads.pixels
        #expect(sameHeads, "per-head grid differs from `vis --heads` (\(Self.differing(drawnHeads.rgb, cliHeads.pixels)) pixels)")

        // Twelve fast clicks: newest wins, so at most one request waits behind the one in flight.
        let timings = result["timings"] as! [Double]
        #expect(!timings.isEmpty && timings.count <= 12)
        print("explore click-to-picture (ms, \(timings.count) of 12 fast clicks drawn): \(timings.map { String(format: "%.1f", $0) }.joined(separator: " "))")
    }

    /// With the trained MNIST ViT: two clicks equal `vis DIGIT --mode self --model … --query X,Y`,
    /// and picking block 1 and head 2 sends them and draws `--layer 1 --head 2`.
    @Test(.timeLimit(.minutes(20)))
    func transformerControlsDrawTheCommandLinesMaps() async throws {
        try await Self.offCooperativePool { try Self.transformerControlsDrawTheCommandLinesMaps() }
    }

    static func transformerControlsDrawTheCommandLinesMaps() throws {
        let python = try BrowserSetup.python()
        let folder = VisBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let digit = VisBinary.repositoryFile("samples/digits/mnist_0000_7.png")
        let model = VisBinary.repositoryFile("models/vit-mnist")
        let server = try ExploreServerProcess(arguments: [digit, "--model", model, "--port", "0", "--out", folder + "/saved"])
        defer { server.stop() }
        let resultPath = folder + "/clicks.json"
        let run = try BrowserSetup.run(python, [Self.script, server.url, resultPath, "vit"], timeout: 600)
        #expect(run.status == 0, "selenium script failed:\n\(run.output)")
        guard run.status == 0 else { return }
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultPath))) as! [String: Any]
        let clicks = (result["clicks"] as! [[String: Any]]) + [result["controls"] as! [String: Any]]
        var shown: [[UInt8]] = []
        for (i, click) in clicks.enumerated() {
            let request = click["request"] as! String
            let controls = i == 2 ? ["--layer", "1", "--head", "2"] : []
            #expect(request.contains("mode=self") && (i < 2 || (request.contains("layer=1") && request.contains("head=2"))), "\(request)")
            let drawn = try Self.pixels(dataURL: click["png"] as! String)
            let query = "\(click["x"]!),\(click["y"]!)"
            let out = folder + "/cli\(i)"
            let cliRun = try VisBinary.run([digit, "--mode", "self", "--model", model, "--query", query, "--out", out, "--quiet"] + controls)
            #expect(cliRun.status == 0, "\(cliRun.error)")
            let cli = try ImageDecoder.decode(path: out + "/mnist_0000_7_self.png")
            let same = drawn.rgb == cli.uint8Samples
            #expect(drawn.width == cli.width && same, "view \(i) differs from `vis --query \(query) \(controls.joined(separator: " "))`")
            shown.append(drawn.rgb)
        }
        let differ = shown[0] != shown[1] && shown[1] != shown[2]
        #expect(differ, "different queries or controls drew the same map")
        print("explore --model click-to-picture (ms): \((result["timings"] as! [Double]).map { String(format: "%.1f", $0) }.joined(separator: " "))")
    }

    /// Runs the minutes of blocking work (a browser, child processes) on a GCD thread: held on
    /// Swift concurrency's pool (one thread per core) it starves the in-process HTTP servers of
    /// the suites running beside it.
    static func offCooperativePool(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// RGB pixels of a PNG data URL (the browser's canvas is RGBA).
    static func pixels(dataURL: String) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        let base64 = String(dataURL.split(separator: ",", maxSplits: 1)[1])
        let bytes = [UInt8](Data(base64Encoded: base64)!)
        let image = try ImageDecoder.decode(bytes: bytes, name: "browser view")
        let samples = image.uint8Samples
        var rgb: [UInt8] = []
        rgb.reserveCapacity(image.width * image.height * 3)
        for p in 0..<(image.width * image.height) {
            for c in 0..<3 { rgb.append(samples[p * image.channels + Swift.min(c, image.channels - 1)]) }
        }
        return (image.width, image.height, rgb)
    }

    /// What `vis SAMPLE --mode self --query X,Y [--heads]` writes, as RGB.
    static func commandLine(_ click: [String: Any], folder: String, heads: Bool) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let query = "\(click["x"]!),\(click["y"]!)"
        let run = try VisBinary.run([sample, "--mode", "self", "--query", query, "--out", folder, "--quiet"] + (heads ? ["--heads"] : []))
        #expect(run.status == 0, "vis --query \(query): \(run.error)")
        let image = try ImageDecoder.decode(path: folder + "/chelsea_self.png")
        return (image.width, image.height, image.uint8Samples)
    }

    static func differing(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.count != b.count ? Swift.max(a.count, b.count) / 3 : stride(from: 0, to: a.count, by: 3).filter { a[$0..<$0 + 3] != b[$0..<$0 + 3] }.count
    }
}
