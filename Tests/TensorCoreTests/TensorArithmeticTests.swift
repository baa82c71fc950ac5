import Testing
@testable import TensorCore

struct TensorArithmeticTests {
    @Test(arguments: [0, 1, 2])
    func reductionsMatchTorch(axis: Int) {
        for (name, keep) in [("sum", false), ("mean", true), ("max", false)] {
            let reference = OperationFixtures.named("\(name)_\(axis)")
            let x = reference.input("input")
            let got = switch name {
            case "sum": x.sum(axis: axis, keepDims: keep)
            case "mean": x.mean(axis: axis, keepDims: keep)
            default: x.max(axis: axis, keepDims: keep)
            }
            #expect(isClose(got, reference.expected, absolute: 1e-6), "\(name) axis \(axis)")
        }
    }

    @Test func broadcastingMatchesTorch() {
        let add = OperationFixtures.named("broadcast_add")
        #expect(isClose(add.input("lhs") + add.input("rhs"), add.expected, absolute: 0, relative: 0))
        let multiply = OperationFixtures.named("broadcast_mul")
        #expect(isClose(multiply.input("lhs") * multiply.input("rhs"), multiply.expected, absolute: 0, relative: 0))
        let subtract = OperationFixtures.named("broadcast_sub")
        #expect(isClose(subtract.input("lhs") - subtract.input("rhs"), subtract.expected, absolute: 0, relative: 0))
    }

    @Test func scalarsAndShapes() {
        let a = Tensor(shape: [2, 2], storage: [1, 2, 3, 4])
        #expect((a * 2).storage == [2, 4, 6, 8])
        #expect((1 - a).storage == [0, -1, -2, -3])
        #expect((a / 2 + 1).storage == [1.5, 2, 2.5, 3])
        #expect((a - a).storage == [0, 0, 0, 0])
        #expect(Tensor.broadcastShape([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(Tensor.broadcastShape([2, 3], [4]) == nil)
        let column = Tensor(shape: [2, 1], storage: [10, 20])
        let row = Tensor(shape: [3], storage: [1, 2, 3])
        #expect(column + row == Tensor(shape: [2, 3], storage: [11, 12, 13, 21, 22, 23]))
        #expect(a.max(axis: 1, keepDims: true) == Tensor(shape: [2, 1], storage: [2, 4]))
        #expect(Tensor(shape: [2, 0]).sum(axis: 1) == Tensor(shape: [2], storage: [0, 0]))
    }
}
