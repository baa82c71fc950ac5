import Dispatch
import Foundation
import Synchronization
import ImageCodecs
import Testing
import TensorCore
@testable import Models

/// The trained MNIST ViT shipped in `models/vit-mnist` (timm layout, no final norm): the
/// same class as timm for each of the 10,000 test images (timm's predictions in
/// `Fixtures/mnist/predictions.u8`, 98.09 % correct), and timm's outputs and attention maps
/// on a sample.
@Suite struct ShippedModelTests {
    static let checkpoint = Result { try ViTCheckpoint(path: Fixture.repository + "/models/vit-mnist") }

    /// (x/255 − 0.1307)/0.3081, as the model was trained.
    static func normalised(_ pixels: [UInt8]) -> [Float] {
        pixels.map { (Float($0) / 255 - 0.1307) / 0.3081 }
    }

    @Test func classifiesTheTestSetAsTimm() async throws {
        let model = try Self.checkpoint.get().model
        let data = Fixture.repository + "/data/mnist/"
        let mnist = try MNIST.load(images: data + "t10k-images-idx3-ubyte.gz", labels: data + "t10k-labels-idx1-ubyte.gz")
        let reference = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixture.path("mnist/predictions.u8"))))
        #expect(mnist.count == 10_000 && reference.count == 10_000)
        // Batches of 500 on every core (a debug build runs this for minutes on one).
        let batch = 500, batches = (mnist.count + batch - 1) / batch
        let predictions = Mutex([Int](repeating: -1, count: mnist.count))
        let failure = Mutex<(any Error)?>(nil)
        try await Fixture.offCooperativePool {
        DispatchQueue.concurrentPerform(iterations: batches) { b in
            let indices = (b * batch)..<min((b + 1) * batch, mnist.count)
            let images = Tensor(shape: [indices.count, 1, 28, 28],
                                storage: indices.flatMap { Self.normalised(mnist.pixels(of: $0)) })
            do {
                let logits = try model(images, capture: .none).logits!
                predictions.withLock { predicted in
                    for (row, index) in indices.enumerated() {
                        let scores = logits.storage[(row * 10)..<(row * 10 + 10)]
                        predicted[index] = scores.indices.max { scores[$0] < scores[$1] }! - row * 10
                    }
                }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let predicted = predictions.withLock { $0 }
        let disagreements = predicted.indices.filter { predicted[$0] != Int(reference[$0]) }
        let correct = predicted.indices.filter { predicted[$0] == Int(mnist.labels[$0]) }.count
        #expect(disagreements.isEmpty, "images classified unlike timm: \(disagreements.prefix(20))")
        #expect(correct == 9809)
    }

    @Test func sampleMatchesTimm() throws {
        let model = try Self.checkpoint.get().model
        let expected = try Fixture.tensors(Fixture.path("mnist/sample.safetensors"))
        let outputs = try model.contractOutputs(expected["input"]!)
        for key in outputs.keys.sorted() {
            guard let reference = expected[key] else { Issue.record("no reference for \(key)"); continue }
            print("parity mnist \(key): largest |error| = \(largestError(outputs[key]!, reference))")
            expectClose(outputs[key]!, reference, key)
        }
        #expect(outputs.count == 2 + 5)
    }
}
