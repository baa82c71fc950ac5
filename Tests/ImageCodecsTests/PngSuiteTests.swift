import Testing
@testable import ImageCodecs

/// PngSuite conformance: every valid file decodes to exactly pypng's pixels (expanded by the
/// spec's rules in tools/make_codec_fixtures.py); every corrupt `x*` file is rejected.
@Suite struct PngSuiteTests {
    nonisolated(unsafe) static let expected = Fixtures.json("pngsuite.json")
    static let valid = expected.keys.sorted()
    static let corrupt = Fixtures.files(in: "pngsuite") { $0.hasPrefix("x") && $0.hasSuffix(".png") }
    static let crashers = Fixtures.files(in: "crashers") { $0.hasSuffix(".png") }

    @Test func suiteIsComplete() {
        #expect(Self.valid.count == 161)
        #expect(Self.corrupt.count == 14)
    }

    @Test(arguments: valid)
    func decodesLikePypng(_ name: String) throws {
        let want = Self.expected[name]!
        let image = try ImageDecoder.decode(path: Fixtures.path("pngsuite/" + name))
        #expect(image.width == want["width"] as! Int)
        #expect(image.height == want["height"] as! Int)
        #expect(image.channels == want["channels"] as! Int)
        #expect(image.bitDepth == want["bitDepth"] as! Int)
        let bytes: [UInt8]
        switch image.samples {
        case .uint8(let s): bytes = s
        case .uint16(let s): bytes = s.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
        #expect(SHA256.hex(bytes) == want["sha256"] as! String, "pixels of \(name) differ from pypng's")
    }

    @Test(arguments: corrupt)
    func rejectsCorruptFile(_ name: String) {
        #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(path: Fixtures.path("pngsuite/" + name)) }
    }

    @Test func corruptFilesGetSpecificMessages() throws {
        func message(_ name: String) -> String {
            do { _ = try ImageDecoder.decode(path: Fixtures.path("pngsuite/" + name)) } catch { return error.description }
            return "decoded"
        }
        #expect(message("xhdn0g08.png").contains("IHDR: CRC error"))
        #expect(message("xcsn0g01.png").contains("IDAT: CRC error"))
        #expect(message("xc9n2c08.png").contains("Invalid IHDR data"))
        #expect(message("xcrn0g04.png").contains("ASCII conversion") || message("xcrn0g04.png").contains("unsupported"))
        #expect(message("xs1n0g01.png").contains("unknown signature"))
    }

    /// libpng's fuzzing regressions: each is rejected with an error or decodes; none crashes.
    @Test(arguments: crashers)
    func crasherNeverCrashes(_ name: String) {
        do {
            let image = try ImageDecoder.decode(path: Fixtures.path("crashers/" + name))
            #expect(image.width > 0)
        } catch {
            #expect(!error.description.isEmpty)
        }
    }

    @Test func knownCrashersAreRejected() {
        for name in ["badcrc.png", "badadler.png", "bad_iCCP.png", "huge_IDAT.png"] {
            #expect(throws: ImageCodecError.self, "\(name) must be rejected") {
                try ImageDecoder.decode(path: Fixtures.path("crashers/" + name))
            }
        }
    }
}
