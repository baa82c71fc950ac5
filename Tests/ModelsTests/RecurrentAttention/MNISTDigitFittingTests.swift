import Foundation
import ImageCodecs
import Testing
import TensorCore
@testable import Models

/// The documented conversion of any digit image to a 28×28 MNIST-style field.
@Suite struct MNISTDigitFittingTests {
    /// A 28×28 grey MNIST digit passes unchanged (bit-exact with the test set).
    @Test func mnistPNGIsUnchanged() throws {
        let image = try ImageDecoder.decode(path: RAMFixtures.root + "/samples/digits/mnist_0000_7.png")
        #expect(image.width == 28 && image.height == 28 && image.channels == 1)
        let pixels = image.uint8Samples.map { Float($0) / 255 }
        let fitted = try MNISTDigitFitting.fit(pixels: pixels, width: 28, height: 28, channels: 1)
        let original = try RAMFixtures.mnist().pixels(of: 0).map { Float($0) / 255 }
        #expect(fitted == original)
    }

    /// A 40×8 dark bar on a white 60×50 RGB page: inverted, scaled to 20×4, centred by mass
    /// on (14, 14): rows 4..<24, columns 12..<16 are 1, the rest 0 (worked by hand).
    @Test func rgbBarIsInvertedScaledAndCentred() throws {
        let (width, height) = (50, 60)
        var rgb = [Float](repeating: 1, count: width * height * 3)
        for y in 5..<45 { for x in 30..<38 { for c in 0..<3 { rgb[(y * width + x) * 3 + c] = 0 } } }
        let fitted = try MNISTDigitFitting.fit(pixels: rgb, width: width, height: height, channels: 3)
        var expected = [Float](repeating: 0, count: 784)
        for y in 4..<24 { for x in 12..<16 { expected[y * 28 + x] = 1 } }
        #expect(fitted.count == 784)
        #expect(zip(fitted, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    /// MNIST digit 0 enlarged 3× into an RGB image: fitted back, the model still reads a 7.
    @Test func enlargedRGBDigitIsStillASeven() throws {
        let digit = try RAMFixtures.mnist().pixels(of: 0).map { Float($0) / 255 }
        let side = 84
        var rgb = [Float](repeating: 0, count: side * side * 3)
        for y in 0..<side { for x in 0..<side { for c in 0..<3 { rgb[(y * side + x) * 3 + c] = digit[(y / 3) * 28 + x / 3] } } }
        let fitted = try MNISTDigitFitting.fit(pixels: rgb, width: side, height: side, channels: 3)
        let model = RAMFixtures.model
        let input = Tensor(shape: [1, 1, 28, 28], storage: fitted.map { ($0 - model.inputMean) / model.inputStandardDeviation })
        let (_, runs) = try model.run(input, policy: .mean)
        #expect(runs.predictions == [7])
    }

    @Test func unusableImagesAreClearErrors() throws {
        #expect(throws: MNISTDigitFitting.Failure.unsupportedChannels(5)) {
            _ = try MNISTDigitFitting.fit(pixels: [Float](repeating: 0, count: 5 * 4), width: 2, height: 2, channels: 5)
        }
        #expect(throws: MNISTDigitFitting.Failure.noInk(width: 30, height: 20)) {
            _ = try MNISTDigitFitting.fit(pixels: [Float](repeating: 0, count: 600), width: 30, height: 20, channels: 1)
        }
        #expect(throws: MNISTDigitFitting.Failure.pixelCount(expected: 12, got: 11)) {
            _ = try MNISTDigitFitting.fit(pixels: [Float](repeating: 0, count: 11), width: 2, height: 2, channels: 3)
        }
    }
}
