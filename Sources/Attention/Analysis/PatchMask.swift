/// A binary mask on the patch grid, one per batch item and panel (head): 1 where a patch
/// is kept, 0 elsewhere.
///
/// Shape: `[B, K, rows, columns]`, row-major like ``TensorCore/Tensor``.
public struct PatchMask: Sendable, Equatable {
    public let shape: [Int]
    /// Row-major 0/1 values.
    public let storage: [UInt8]

    public init(shape: [Int], storage: [UInt8]) {
        precondition(shape.count == 4 && shape.reduce(1, *) == storage.count && storage.allSatisfy { $0 <= 1 },
                     "a patch mask has shape [B, K, rows, columns] and 0/1 values, got shape \(shape) with \(storage.count) values")
        self.shape = shape
        self.storage = storage
    }

    /// Whether patch (row, column) of item `b`, panel `k` is kept.
    public subscript(b: Int, k: Int, row: Int, column: Int) -> Bool {
        precondition(b >= 0 && b < shape[0] && k >= 0 && k < shape[1] && row >= 0 && row < shape[2]
                     && column >= 0 && column < shape[3], "index (\(b), \(k), \(row), \(column)) outside \(shape)")
        return storage[((b * shape[1] + k) * shape[2] + row) * shape[3] + column] != 0
    }
}
