import TensorCore

/// Resampling of a heat-map grid to image size, exactly as PyTorch's `F.interpolate`.
///
/// - ``bilinear``: `mode="bilinear", align_corners=False`. Output pixel `d` samples the input
///   at `s = max((d + 0.5) · in/out − 0.5, 0)` (pixel centres aligned, edges clamped):
///   `i0 = ⌊s⌋`, `i1 = min(i0 + 1, in − 1)`, `λ = s − i0`, weights `(1 − λ, λ)`; rows and
///   columns are separable and combined as `wy0·(wx0·a + wx1·b) + wy1·(wx0·c + wx1·d)` in
///   Float32, in the same order as ATen's CPU kernel.
/// - ``nearest``: `mode="nearest"`: `s = min(⌊d · (in/out)⌋, in − 1)` with the scale in
///   Float32 (identity when `in == out`, `d >> 1` when `out == 2·in`), as ATen's `nearest_idx`.
///
/// Both follow ATen `UpSample.h` for the default `scale_factor=None` (size given).
///
/// Shape: `[..., h, w]` → `[..., height, width]` (leading dimensions are independent maps).
public enum Upsampling: Sendable, Equatable {
    case bilinear
    case nearest

    /// Resizes the last two dimensions of `map` to `height × width`.
    public func resize(_ map: Tensor, height: Int, width: Int) -> Tensor {
        precondition(map.rank >= 2, "upsampling needs a tensor of rank ≥ 2, got shape \(map.shape)")
        precondition(height > 0 && width > 0, "output size must be positive, got \(height)×\(width)")
        let (h, w) = (map.shape[map.rank - 2], map.shape[map.rank - 1])
        precondition(h > 0 && w > 0, "cannot resize an empty map of shape \(map.shape)")
        let planes = map.count / (h * w)
        var out = [Float](repeating: 0, count: planes * height * width)
        switch self {
        case .nearest:
            let rows = (0..<height).map { Self.nearestIndex($0, input: h, output: height) }
            let cols = (0..<width).map { Self.nearestIndex($0, input: w, output: width) }
            for p in 0..<planes {
                let src = p * h * w, dst = p * height * width
                for y in 0..<height {
                    let srcRow = src + rows[y] * w
                    for x in 0..<width { out[dst + y * width + x] = map.storage[srcRow + cols[x]] }
                }
            }
        case .bilinear:
            let rows = (0..<height).map { Self.linearTaps($0, input: h, output: height) }
            let cols = (0..<width).map { Self.linearTaps($0, input: w, output: width) }
            map.storage.withUnsafeBufferPointer { s in
                for p in 0..<planes {
                    let src = p * h * w, dst = p * height * width
                    for y in 0..<height {
                        let ry = rows[y]
                        let row0 = src + ry.index0 * w, row1 = src + ry.index1 * w
                        for x in 0..<width {
                            let cx = cols[x]
                            let top = cx.weight0 * s[row0 + cx.index0] + cx.weight1 * s[row0 + cx.index1]
                            let bottom = cx.weight0 * s[row1 + cx.index0] + cx.weight1 * s[row1 + cx.index1]
                            out[dst + y * width + x] = ry.weight0 * top + ry.weight1 * bottom
                        }
                    }
                }
            }
        }
        var shape = map.shape
        shape[shape.count - 2] = height
        shape[shape.count - 1] = width
        return Tensor(shape: shape, storage: out)
    }

    /// ATen `nearest_idx` for `scale_factor=None`.
    static func nearestIndex(_ d: Int, input: Int, output: Int) -> Int {
        if output == input { return d }
        if output == 2 * input { return d >> 1 }
        let scale = Float(input) / Float(output)
        return min(Int((Float(d) * scale).rounded(.down)), input - 1)
    }

    /// ATen `compute_indices_weights_linear` with `align_corners=False`.
    static func linearTaps(_ d: Int, input: Int, output: Int)
        -> (index0: Int, index1: Int, weight0: Float, weight1: Float) {
        let scale = Float(input) / Float(output)
        let source = max(scale * (Float(d) + 0.5) - 0.5, 0)
        let index0 = Int(source)
        let index1 = index0 < input - 1 ? index0 + 1 : index0
        let lambda1 = min(source - Float(index0), 1)
        return (index0, index1, 1 - lambda1, lambda1)
    }
}

/// One output row at a time of ``Upsampling/resize(_:height:width:)`` for a [h, w] map, with
/// the same taps and the same arithmetic (so the same Float values).
struct UpsamplingRows: Sendable {
    let method: Upsampling
    let (mapHeight, mapWidth): (Int, Int)
    let rowTaps: [(index0: Int, index1: Int, weight0: Float, weight1: Float)]
    let columnTaps: [(index0: Int, index1: Int, weight0: Float, weight1: Float)]
    let nearestRows: [Int]
    let nearestColumns: [Int]

    init(_ method: Upsampling, map: Tensor, height: Int, width: Int) {
        precondition(map.rank == 2, "a map has shape [h, w], got \(map.shape)")
        let (h, w) = (map.shape[0], map.shape[1])
        precondition(h > 0 && w > 0, "cannot resize an empty map of shape \(map.shape)")
        self.method = method
        (mapHeight, mapWidth) = (h, w)
        switch method {
        case .bilinear:
            rowTaps = (0..<height).map { Upsampling.linearTaps($0, input: h, output: height) }
            columnTaps = (0..<width).map { Upsampling.linearTaps($0, input: w, output: width) }
            (nearestRows, nearestColumns) = ([], [])
        case .nearest:
            (rowTaps, columnTaps) = ([], [])
            nearestRows = (0..<height).map { Upsampling.nearestIndex($0, input: h, output: height) }
            nearestColumns = (0..<width).map { Upsampling.nearestIndex($0, input: w, output: width) }
        }
    }

    /// The two horizontally interpolated map rows behind the last bilinear output row: the
    /// ~H/h output rows between the same two map rows reuse them, so each of those rows is
    /// one vectorisable `wy0·top + wy1·bottom` pass instead of four gathers per pixel.
    struct Scratch {
        var top: [Float]
        var bottom: [Float]
        var rows = (-1, -1)

        init(width: Int) {
            top = [Float](repeating: 0, count: width)
            bottom = [Float](repeating: 0, count: width)
        }
    }

    /// ``fill(_:y:map:)`` through `scratch` (same values: `top` and `bottom` are the same
    /// Float expressions, computed once per pair of map rows).
    func fill(_ row: UnsafeMutablePointer<Float>, y: Int, map s: UnsafePointer<Float>, scratch: inout Scratch) {
        guard method == .bilinear else { return fill(row, y: y, map: s) }
        let w = mapWidth
        let ry = rowTaps[y]
        if scratch.rows != (ry.index0, ry.index1) {
            let row0 = s + ry.index0 * w, row1 = s + ry.index1 * w
            columnTaps.withUnsafeBufferPointer { columns in
                scratch.top.withUnsafeMutableBufferPointer { top in
                    scratch.bottom.withUnsafeMutableBufferPointer { bottom in
                        for x in 0..<columns.count {
                            let cx = columns[x]
                            top[x] = cx.weight0 * row0[cx.index0] + cx.weight1 * row0[cx.index1]
                            bottom[x] = cx.weight0 * row1[cx.index0] + cx.weight1 * row1[cx.index1]
                        }
                    }
                }
            }
            scratch.rows = (ry.index0, ry.index1)
        }
        let (w0, w1) = (ry.weight0, ry.weight1)
        scratch.top.withUnsafeBufferPointer { top in
            scratch.bottom.withUnsafeBufferPointer { bottom in
                for x in 0..<top.count { row[x] = w0 * top[x] + w1 * bottom[x] }
            }
        }
    }

    /// Writes output row `y` (width values) of the upsampled `map` into `row`.
    func fill(_ row: UnsafeMutablePointer<Float>, y: Int, map s: UnsafePointer<Float>) {
        let w = mapWidth
        switch method {
        case .nearest:
            let source = s + nearestRows[y] * w
            nearestColumns.withUnsafeBufferPointer { columns in
                for x in 0..<columns.count { row[x] = source[columns[x]] }
            }
        case .bilinear:
            let ry = rowTaps[y]
            let row0 = s + ry.index0 * w, row1 = s + ry.index1 * w
            columnTaps.withUnsafeBufferPointer { columns in
                for x in 0..<columns.count {
                    let cx = columns[x]
                    let top = cx.weight0 * row0[cx.index0] + cx.weight1 * row0[cx.index1]
                    let bottom = cx.weight0 * row1[cx.index0] + cx.weight1 * row1[cx.index1]
                    row[x] = ry.weight0 * top + ry.weight1 * bottom
                }
            }
        }
    }
}
