import Testing
@testable import TensorCore

struct TensorLayoutTests {
    @Test(arguments: [("permute_0231", [0, 2, 3, 1]), ("permute_3102", [3, 1, 0, 2])])
    func permuteMatchesTorch(name: String, axes: [Int]) {
        let reference = OperationFixtures.named(name)
        #expect(reference.input("input").permuted(axes) == reference.expected)
    }

    @Test func transposeAndIdentity() {
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(a.transposed() == Tensor(shape: [3, 2], storage: [1, 4, 2, 5, 3, 6]))
        #expect(a.permuted([0, 1]) == a)
        #expect(Tensor(shape: [0, 3]).permuted([1, 0]).shape == [3, 0])
    }

    @Test func sliceAndConcatenate() {
        let a = Tensor(shape: [2, 3, 2], storage: (0..<12).map(Float.init))
        let middle = a.slice(axis: 1, range: 1..<3)
        #expect(middle == Tensor(shape: [2, 2, 2], storage: [2, 3, 4, 5, 8, 9, 10, 11]))
        #expect(a.slice(axis: 2, range: 1..<2) == Tensor(shape: [2, 3, 1], storage: [1, 3, 5, 7, 9, 11]))
        #expect(a.slice(axis: 0, range: 1..<1).shape == [0, 3, 2])
        let first = a.slice(axis: 1, range: 0..<1)
        #expect(Tensor.concatenate([first, middle], axis: 1) == a)
        let b = Tensor(shape: [2, 1, 2], storage: [-1, -2, -3, -4])
        #expect(Tensor.concatenate([b, first], axis: 1)
                == Tensor(shape: [2, 2, 2], storage: [-1, -2, 0, 1, -3, -4, 6, 7]))
        #expect(Tensor.concatenate([b, b], axis: 0).shape == [4, 1, 2])
    }
}
