/// An elementwise binary operation; specialised per operation so inner loops inline it.
@usableFromInline
protocol ElementwiseOperation {
    static func apply(_ a: Float, _ b: Float) -> Float
}

@usableFromInline enum AddOperation: ElementwiseOperation {
    @inlinable @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b }
}
@usableFromInline enum SubtractOperation: ElementwiseOperation {
    @inlinable @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b }
}
@usableFromInline enum MultiplyOperation: ElementwiseOperation {
    @inlinable @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b }
}
@usableFromInline enum DivideOperation: ElementwiseOperation {
    @inlinable @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b }
}

extension Tensor {
    /// The shape two shapes broadcast to under NumPy/PyTorch rules (trailing axes aligned,
    /// each pair equal or one of them 1), or nil when they do not broadcast.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        let a = [Int](repeating: 1, count: rank - a.count) + a
        let b = [Int](repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        for (x, y) in zip(a, b) {
            guard x == y || x == 1 || y == 1 else { return nil }
            result.append(x == 1 ? y : x)
        }
        return result
    }

    /// Elementwise sum with broadcasting. Shape: broadcastShape(lhs, rhs).
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, AddOperation.self) }
    /// Elementwise difference with broadcasting. Shape: broadcastShape(lhs, rhs).
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, SubtractOperation.self) }
    /// Elementwise product with broadcasting. Shape: broadcastShape(lhs, rhs).
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, MultiplyOperation.self) }
    /// Elementwise quotient with broadcasting. Shape: broadcastShape(lhs, rhs).
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, DivideOperation.self) }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { elementwise(lhs, Tensor(shape: [], storage: [rhs]), AddOperation.self) }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { elementwise(lhs, Tensor(shape: [], storage: [rhs]), SubtractOperation.self) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { elementwise(lhs, Tensor(shape: [], storage: [rhs]), MultiplyOperation.self) }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { elementwise(lhs, Tensor(shape: [], storage: [rhs]), DivideOperation.self) }
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { elementwise(Tensor(shape: [], storage: [lhs]), rhs, AddOperation.self) }
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { elementwise(Tensor(shape: [], storage: [lhs]), rhs, SubtractOperation.self) }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { elementwise(Tensor(shape: [], storage: [lhs]), rhs, MultiplyOperation.self) }

    /// Applies `Operation` over the broadcast shape. The innermost output axis runs as one
    /// loop with each operand either contiguous (stride 1) or repeated (stride 0).
    static func elementwise<Operation: ElementwiseOperation>(
        _ lhs: Tensor, _ rhs: Tensor, _: Operation.Type
    ) -> Tensor {
        guard let outShape = broadcastShape(lhs.shape, rhs.shape) else {
            preconditionFailure("shapes \(lhs.shape) and \(rhs.shape) do not broadcast")
        }
        var result = Tensor(shape: outShape)
        guard result.count > 0 else { return result }
        let rank = outShape.count
        // Per-axis strides of each operand in the output's index space (0 where broadcast).
        func broadcastStrides(_ t: Tensor) -> [Int] {
            let padded = [Int](repeating: 1, count: rank - t.rank) + t.shape
            let own = [Int](repeating: 0, count: rank - t.rank) + t.strides
            return zip(padded, own).map { $0 == 1 ? 0 : $1 }
        }
        let lhsStrides = broadcastStrides(lhs), rhsStrides = broadcastStrides(rhs)
        // Equal shapes or a scalar operand: one flat loop.
        let flat = lhs.shape == rhs.shape || lhs.count == 1 || rhs.count == 1
        let length = flat ? result.count : (rank == 0 ? 1 : outShape[rank - 1])
        let lhsStep = flat ? (lhs.count == 1 ? 0 : 1) : (rank == 0 ? 0 : lhsStrides[rank - 1])
        let rhsStep = flat ? (rhs.count == 1 ? 0 : 1) : (rank == 0 ? 0 : rhsStrides[rank - 1])
        let outer = result.count / length
        lhs.storage.withUnsafeBufferPointer { a in
            rhs.storage.withUnsafeBufferPointer { b in
                result.storage.withUnsafeMutableBufferPointer { c in
                    var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
                    var aOffset = 0, bOffset = 0
                    for row in 0..<outer {
                        run(Operation.self, a.baseAddress! + aOffset, lhsStep, b.baseAddress! + bOffset, rhsStep,
                            c.baseAddress! + row * length, length)
                        var axis = rank - 2
                        while axis >= 0 {
                            index[axis] += 1
                            aOffset += lhsStrides[axis]
                            bOffset += rhsStrides[axis]
                            if index[axis] < outShape[axis] { break }
                            aOffset -= lhsStrides[axis] * outShape[axis]
                            bOffset -= rhsStrides[axis] * outShape[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
        return result
    }

    @inline(__always)
    private static func run<Operation: ElementwiseOperation>(
        _: Operation.Type, _ a: UnsafePointer<Float>, _ aStep: Int, _ b: UnsafePointer<Float>, _ bStep: Int,
        _ c: UnsafeMutablePointer<Float>, _ length: Int
    ) {
        switch (aStep, bStep) {
        case (1, 1): for i in 0..<length { c[i] = Operation.apply(a[i], b[i]) }
        case (1, 0): let y = b[0]; for i in 0..<length { c[i] = Operation.apply(a[i], y) }
        case (0, 1): let x = a[0]; for i in 0..<length { c[i] = Operation.apply(x, b[i]) }
        default: for i in 0..<length { c[i] = Operation.apply(a[i * aStep], b[i * bStep]) }
        }
    }
}
