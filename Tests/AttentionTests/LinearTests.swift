import Testing
import TensorCore
@testable import Attention

@Suite struct LinearTests {
    @Test func handComputedProductPlusBias() {
        // W = [[1, 2, 3], [-1, 0, 1]], b = [0.5, -2]; x = [[1, 1, 1], [2, 0, -1]].
        let layer = Linear(weight: Tensor(shape: [2, 3], storage: [1, 2, 3, -1, 0, 1]),
                           bias: Tensor(shape: [2], storage: [0.5, -2]))
        let y = layer(Tensor(shape: [2, 3], storage: [1, 1, 1, 2, 0, -1]))
        // Row 0: [1+2+3+0.5, -1+0+1-2] = [6.5, -2]; row 1: [2+0-3+0.5, -2+0-1-2] = [-0.5, -5].
        #expect(y == Tensor(shape: [2, 2], storage: [6.5, -2, -0.5, -5]))
    }

    @Test func keepsLeadingDimensionsAndWorksWithoutBias() {
        let weight = randomTensor([5, 4], seed: 1)
        let x = randomTensor([2, 3, 4], seed: 2)
        let y = Linear(weight: weight, bias: nil)(x)
        #expect(y.shape == [2, 3, 5])
        let expected = NaiveReference.tensor(NaiveReference.linear(NaiveReference.rows(x), weight: weight, bias: nil),
                                             shape: [2, 3, 5])
        expectClose(y, expected, "linear")
    }

    @Test func loadingReportsMissingAndMisshapenTensors() throws {
        var weights = WeightSet(tensors: ["fc.weight": Tensor(shape: [3, 2])])
        #expect(throws: AttentionError.missingTensor(name: "fc.bias", module: "m")) {
            _ = try Linear(loading: &weights, prefix: "fc", inputFeatures: 2, outputFeatures: 3, bias: .required, module: "m")
        }
        #expect(throws: AttentionError.shapeMismatch(name: "fc.weight", expected: [2, 3], got: [3, 2])) {
            _ = try Linear(loading: &weights, prefix: "fc", inputFeatures: 3, outputFeatures: 2, bias: .optional, module: "m")
        }
        let layer = try Linear(loading: &weights, prefix: "fc", inputFeatures: 2, outputFeatures: 3, bias: .optional, module: "m")
        #expect(layer.bias == nil)
    }
}
