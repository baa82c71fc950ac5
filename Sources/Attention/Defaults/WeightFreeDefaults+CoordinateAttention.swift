import TensorCore

extension WeightFreeDefaults {
    /// `CoordAtt(64, 64, reduction=32)` weights whose gates follow the pooled saliency.
    ///
    /// CoordAtt average-pools each channel over the width (a value per row) and over the
    /// height (a value per column). Only hidden channel 0 of `conv1` is used: it reads the
    /// token's saliency channel (``saliencyChannel``) with gain g and no bias, so for row y
    /// it holds z = g · s̄(y), s̄(y) the row's mean saliency (column x likewise). `bn1` is the
    /// identity (weight 1, bias 0, running mean 0, running variance 1; the reference's
    /// ε = 1e-5 leaves a factor 1/√(1 + 1e-5)), then h-swish, which is increasing on z ≥ 0.
    /// Every output channel of `conv_h` and `conv_w` reads hidden channel 0 with gain 4 and
    /// bias −2, so `a_h(y) = σ(4·hswish(g·s̄(y)) − 2)`: one increasing function of the row's
    /// mean saliency, the same on all 64 channels, peaking on the object's rows (`a_w` on
    /// its columns). Hidden channels 1…7 are zero (h-swish(0) = 0).
    ///
    /// g = 3 / (largest row or column mean of the cell saliency), so the most salient row
    /// or column reaches z = 3, where h-swish(3) = 3 and the gate ≈ σ(10) ≈ 1, whatever the
    /// object's size; a grid without saliency gets g = 3 and gates σ(−2) ≈ 0.12 everywhere.
    ///
    /// Metadata: `module` = `coordinate_attention`, `reduction` = `32`.
    ///
    /// Shape: `conv1.weight` [8, 64, 1, 1], `conv1.bias` [8], `bn1.*` [8],
    /// `conv_h.weight`, `conv_w.weight` [64, 8, 1, 1], `conv_h.bias`, `conv_w.bias` [64].
    public static func coordinateAttentionWeights(for grid: ImageFeatureGrid) -> WeightSet {
        let reduction = 32
        let c = dimension, hidden = max(8, dimension / reduction)
        let (rows, columns) = (grid.rows, grid.columns)
        var largest: Float = 0
        for y in 0..<rows {
            largest = max(largest, (0..<columns).reduce(0) { $0 + grid.saliency.storage[y * columns + $1] } / Float(columns))
        }
        for x in 0..<columns {
            largest = max(largest, (0..<rows).reduce(0) { $0 + grid.saliency.storage[$1 * columns + x] } / Float(rows))
        }
        let gain: Float = largest > 1e-6 ? 3 / largest : 3
        var conv1 = Tensor(shape: [hidden, c, 1, 1])
        conv1[0, saliencyChannel, 0, 0] = gain
        var gate = Tensor(shape: [c, hidden, 1, 1])
        for channel in 0..<c { gate[channel, 0, 0, 0] = 4 }
        let gateBias = Tensor(shape: [c], repeating: -2)
        return WeightSet(tensors: [
            "conv1.weight": conv1,
            "conv1.bias": Tensor(shape: [hidden]),
            "bn1.weight": Tensor(shape: [hidden], repeating: 1),
            "bn1.bias": Tensor(shape: [hidden]),
            "bn1.running_mean": Tensor(shape: [hidden]),
            "bn1.running_var": Tensor(shape: [hidden], repeating: 1),
            "conv_h.weight": gate,
            "conv_h.bias": gateBias,
            "conv_w.weight": gate,
            "conv_w.bias": gateBias,
        ], metadata: ["module": CoordinateAttention.moduleName, "reduction": "\(reduction)"])
    }
}
