import TensorCore

/// The weights of an ``AxialAttention`` layer arranged once, at load, for the plane path
/// (``AxialKernel``): every projection becomes one plain GEMM on channel-major planes.
///
/// Shape: `projection` [6·d, C] = [W_q0·α; W_kv0; W_q1·α; W_kv1] (α = `headDimension^-0.5`
/// folded into the query rows; rows 0..<3d are the height attention's q, k, v, rows
/// 3d..<6d the width attention's); `summedOutput` [C, 2·d] = [W_out0 | W_out1] and
/// `summedBias` [C] = b_out0 + b_out1, so that attn0(x) + attn1(x) is one GEMM over the two
/// axes' merged heads.
struct AxialPlaneWeights: Sendable {
    var projection: [Float]
    var summedOutput: [Float]
    var summedBias: [Float]

    init(height: AxialSelfAttention, width: AxialSelfAttention) {
        let (c, d) = (height.dimension, height.hiddenDimension)
        var projection = [Float]()
        projection.reserveCapacity(6 * d * c)
        for axis in [height, width] {
            let scale = axis.scale
            projection += axis.toQuery.weight.storage.map { $0 * scale }
            projection += axis.toKeyValue.weight.storage
        }
        var output = [Float](repeating: 0, count: c * 2 * d)
        for row in 0..<c {
            for column in 0..<d {
                output[row * 2 * d + column] = height.toOutput.weight.storage[row * d + column]
                output[row * 2 * d + d + column] = width.toOutput.weight.storage[row * d + column]
            }
        }
        let zeros = [Float](repeating: 0, count: c)
        let (b0, b1) = (height.toOutput.bias?.storage ?? zeros, width.toOutput.bias?.storage ?? zeros)
        self.projection = projection
        self.summedOutput = output
        self.summedBias = zip(b0, b1).map { $0 + $1 }
    }
}
