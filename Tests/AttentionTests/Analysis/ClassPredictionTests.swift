import Foundation
import Testing
import TensorCore
@testable import Attention

/// Top-k against softmax values worked out here, and the ImageNet names against timm's
/// `ImageNetInfo().label_descriptions()` at a few indices (read from timm 1.0.31).
@Suite struct ClassPredictionTests {
    /// Logits [0, ln 2, ln 4, 0] → exp = [1, 2, 4, 1] / 8.
    @Test func softmaxTopK() throws {
        let logits = Tensor(shape: [2, 4], storage: [0, Float(log(2.0)), Float(log(4.0)), 0,
                                                     3, 3, 3, 3])
        let top = try ClassPrediction.top(logits, k: 3, names: ["a", "b", "c", "d"])
        #expect(top[0].map(\.index) == [2, 1, 0])
        #expect(top[0].map(\.name) == ["c", "b", "a"])
        for (p, e) in zip(top[0].map(\.probability), [Float(0.5), 0.25, 0.125]) { #expect(abs(p - e) < 1e-6) }
        // Equal logits: ordered by index, each 1/4.
        #expect(top[1].map(\.index) == [0, 1, 2])
        #expect(top[1].allSatisfy { abs($0.probability - 0.25) < 1e-6 })
        // Large logits do not overflow (the maximum is subtracted).
        let large = try ClassPrediction.top(Tensor(shape: [1, 2], storage: [1000, 1000 - Float(log(3.0))]), k: 5)
        #expect(large[0].count == 2 && abs(large[0][0].probability - 0.75) < 1e-5 && large[0][0].name == nil)
    }

    @Test func imageNetNamesFor1000Classes() throws {
        let names = ImageNetClassNames.all
        #expect(names.count == 1000)
        #expect(names[0] == "tench, Tinca tinca")
        #expect(names[134] == "crane" && names[517] == "crane")
        #expect(names[281] == "tabby, tabby cat")
        #expect(names[999] == "toilet tissue, toilet paper, bathroom tissue")
        var storage = [Float](repeating: 0, count: 1000)
        storage[281] = 10
        let top = try ClassPrediction.top(Tensor(shape: [1, 1000], storage: storage))
        #expect(top[0].count == 5 && top[0][0].index == 281 && top[0][0].name == "tabby, tabby cat")
        #expect(top[0][1].index == 0 && top[0][1].name == "tench, Tinca tinca")
    }

    @Test func errors() {
        #expect(throws: AnalysisError.logitsShape(expected: "[B, K]", got: [4])) {
            try ClassPrediction.top(Tensor(shape: [4]))
        }
        #expect(throws: AnalysisError.logitsShape(expected: "[B, 2] (one logit per class name)", got: [1, 3])) {
            try ClassPrediction.top(Tensor(shape: [1, 3]), names: ["a", "b"])
        }
    }
}
