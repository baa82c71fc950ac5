import Testing
@testable import ImageCodecs

/// JPEG decoding against Pillow 13's decode (expected/<name>.png, made by
/// tools/make_codec_fixtures.py), within 2 levels per sample.
@Suite struct JPEGTests {
    nonisolated(unsafe) static let cases = Fixtures.json("jpeg.json")
    static let pixelCases = cases.filter { $0.value["expect"] as? String == "pixels" }.keys.sorted()

    /// Largest |a − b| over all samples.
    static func largestDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).reduce(0) { Swift.max($0, abs(Int($1.0) - Int($1.1))) }
    }

    @Test(arguments: pixelCases)
    func decodesLikePillow(_ name: String) throws {
        let want = Self.cases[name]!
        var options = DecodeOptions()
        var file = name
        if let source = want["file"] as? String {
            file = source
            options.minimumSize = (want["minimumWidth"] as! Int, want["minimumHeight"] as! Int)
        }
        let path = Fixtures.path("jpeg/" + file)
        let info = try ImageDecoder.probe(path: path, options: options)
        let image = try ImageDecoder.decode(path: path, options: options)
        let expected = try ImageDecoder.decode(path: Fixtures.path("jpeg/expected/\(name).png"))
        #expect(image.width == want["width"] as! Int && image.height == want["height"] as! Int)
        #expect(info.width == image.width && info.height == image.height)
        #expect(image.channels == want["channels"] as! Int)
        #expect(info.scaleDenominator == (want["scaleDenominator"] as? Int ?? 1))
        if let orientation = want["orientation"] as? Int { #expect(info.orientation == orientation) }
        #expect(expected.width == image.width && expected.height == image.height && expected.channels == image.channels)
        let difference = Self.largestDifference(image.uint8Samples, expected.uint8Samples)
        if want["check"] as? String == "plausible" {
            // CMYK: colour conversion conventions differ between decoders; the picture must still be the same.
            let mean = zip(image.uint8Samples, expected.uint8Samples).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / image.uint8Samples.count
            #expect(mean <= 3, "\(name): mean difference \(mean) from Pillow")
        } else {
            #expect(difference <= 2, "\(name): largest difference \(difference) from Pillow")
        }
    }

    @Test func twelveBitIsUnsupported() {
        #expect {
            try ImageDecoder.decode(path: Fixtures.path("jpeg/testorig12.jpg"))
        } throws: { error in
            (error as? ImageCodecError)?.kind == .unsupportedVariant
                && (error as! ImageCodecError).message.contains("precision 12")
        }
    }

    @Test func truncatedIsAnErrorUnlessAllowed() throws {
        let path = Fixtures.path("jpeg/truncated.jpg")
        #expect {
            try ImageDecoder.decode(path: path)
        } throws: { error in
            (error as? ImageCodecError)?.kind == .truncated && (error as! ImageCodecError).path == path
        }
        var options = DecodeOptions()
        options.allowTruncated = true
        let image = try ImageDecoder.decode(path: path, options: options)
        #expect(image.width == 227 && image.height == 149)
    }

    @Test func orientationCanBeIgnored() throws {
        var options = DecodeOptions()
        options.applyOrientation = false
        let image = try ImageDecoder.decode(path: Fixtures.path("jpeg/exif-orientation-6.jpg"), options: options)
        #expect(image.width == 60 && image.height == 90)
    }

    /// The scaled decode comes from libjpeg's DCT scaling: smaller than a full decode.
    @Test func scaledDecodeUsesDCTScaling() throws {
        var options = DecodeOptions()
        options.minimumSize = (50, 30)
        let info = try ImageDecoder.probe(path: Fixtures.path("jpeg/testorig.jpg"), options: options)
        #expect(info.scaleDenominator == 4)
        #expect(info.width == 57 && info.height == 38)
    }
}
