import Foundation
import Testing
@testable import ImageCodecs

/// Replays every input the fuzzers (fuzz/) found harmful, kept in Fixtures/fuzz/<harness>,
/// through the same calls as the harness. A regression crashes or hangs the test process;
/// each file must also end in an error or a well-formed image.
@Suite struct FuzzRegressionTests {
    static func inputs(_ harness: String) -> [String] {
        Fixtures.files(in: "fuzz/" + harness) { !$0.hasPrefix(".") }.map { harness + "/" + $0 }
    }

    static let images = inputs("png") + inputs("jpeg")

    static func bytes(_ relative: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fuzz/" + relative))))
    }

    @Test func regressionFoldersAreNotEmpty() {
        #expect(!Self.images.isEmpty)
    }

    @Test(arguments: images)
    func decodeEndsInAnErrorOrAnImage(input: String) throws {
        var bytes = try Self.bytes(input)
        var options = DecodeOptions(maxPixels: 1 << 22)
        if input.hasPrefix("jpeg/"), let selector = bytes.first {
            // fuzz/FuzzJPEG.swift: the first byte picks the options.
            bytes.removeFirst()
            options.allowTruncated = selector & 1 != 0
            options.applyOrientation = selector & 2 != 0
            if selector & 4 != 0 { options.minimumSize = (width: Int(selector >> 3) + 1, height: Int(selector >> 5) + 1) }
        }
        do {
            let image = try ImageDecoder.decode(bytes: bytes, name: input, options: options)
            let bytesPerSample: Int
            switch image.samples {
            case .uint8(let s): bytesPerSample = 1; #expect(s.count == image.width * image.height * image.channels)
            case .uint16(let s): bytesPerSample = 2; #expect(s.count == image.width * image.height * image.channels)
            }
            #expect(image.width * image.height * image.channels * bytesPerSample <= 8 << 22)
        } catch {
            #expect(!error.description.isEmpty)
        }
    }
}
