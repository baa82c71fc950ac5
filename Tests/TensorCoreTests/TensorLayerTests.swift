import Testing
@testable import TensorCore

/// Linear, convolutions, batch norm and pooling against PyTorch (Fixtures/ops.json).
struct TensorLayerTests {
    func check(_ got: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = OperationFixtures.named(name).expected
        #expect(isClose(got, expected, absolute: 1e-5, relative: 1e-5),
                "\(name): shape \(got.shape) vs \(expected.shape), largest difference \(Fixtures.maximumDifference(got.storage, expected.storage))",
                sourceLocation: sourceLocation)
    }

    @Test func linear() {
        let c = OperationFixtures.named("linear")
        check(Tensor.linear(c.input("input"), weight: c.input("weight"), bias: c.input("bias")), "linear")
        let x = Tensor(shape: [1, 2], storage: [1, 2])
        let w = Tensor(shape: [3, 2], storage: [1, 0, 0, 1, 1, 1])
        #expect(Tensor.linear(x, weight: w) == Tensor(shape: [1, 3], storage: [1, 2, 3]))
    }

    @Test func convolutions() {
        let pointwise = OperationFixtures.named("conv1x1")
        check(Tensor.conv2d1x1(pointwise.input("input"), weight: pointwise.input("weight"), bias: pointwise.input("bias")),
              "conv1x1")
        let patch = OperationFixtures.named("conv_patch")
        check(Tensor.conv2dPatch(patch.input("input"), weight: patch.input("weight"), bias: patch.input("bias")),
              "conv_patch")
    }

    @Test func batchNorm() {
        let c = OperationFixtures.named("batch_norm")
        check(c.input("input").batchNorm(mean: c.input("mean"), variance: c.input("variance"),
                                         weight: c.input("weight"), bias: c.input("bias"), epsilon: 1e-5),
              "batch_norm")
    }

    @Test func pooling() {
        let c = OperationFixtures.named("average_pool_3")
        check(c.input("input").averagePool2d(kernel: 3), "average_pool_3")
        check(c.input("input").meanOverWidth(), "mean_over_width")
        check(c.input("input").meanOverHeight(), "mean_over_height")
        let x = Tensor(shape: [1, 1, 2, 4], storage: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(x.averagePool2d(kernel: 2) == Tensor(shape: [1, 1, 1, 2], storage: [3.5, 5.5]))
    }
}
