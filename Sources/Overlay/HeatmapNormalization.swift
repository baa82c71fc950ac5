import TensorCore

/// How raw attention or saliency values are mapped into [0, 1] before colouring.
///
/// - ``minMax``: `(v − min) / (max − min)`; a constant map (max == min) becomes all zeros.
/// - ``percentile(low:high:)``: the `low`-th and `high`-th percentiles (0…100) of the values,
///   computed as numpy's default `np.percentile(a, q)` (method `"linear"`: virtual index
///   `q/100 · (n − 1)` into the sorted values, linearly interpolated), become 0 and 1;
///   values outside are clipped. If the two percentiles are equal the map becomes all zeros.
/// - ``fixed(low:high:)``: a given range, clipped (e.g. `0…1` for probabilities).
///
/// NaN values are skipped when the statistics are taken (like `np.nanmin`,
/// `np.nanpercentile`) and stay NaN in the output, where ``Blend`` leaves the image as is.
///
/// Shape: any tensor in, the same shape out (statistics over all elements).
public enum HeatmapNormalization: Sendable, Equatable {
    case minMax
    case percentile(low: Double, high: Double)
    case fixed(low: Float, high: Float)

    /// The `(low, high)` values that map to 0 and 1, or `nil` when there is no finite value.
    public func range(of values: [Float]) -> (low: Float, high: Float)? {
        switch self {
        case .fixed(let low, let high):
            return (low, high)
        case .minMax:
            var low = Float.infinity, high = -Float.infinity
            for v in values where !v.isNaN {
                low = min(low, v)
                high = max(high, v)
            }
            return low <= high ? (low, high) : nil
        case .percentile(let lowQ, let highQ):
            precondition(0 <= lowQ && lowQ <= highQ && highQ <= 100,
                         "percentiles must satisfy 0 ≤ low ≤ high ≤ 100, got \(lowQ), \(highQ)")
            let sorted = values.filter { !$0.isNaN }.sorted()
            guard !sorted.isEmpty else { return nil }
            return (Self.percentile(lowQ, ofSorted: sorted), Self.percentile(highQ, ofSorted: sorted))
        }
    }

    /// Normalises every element of `map` into [0, 1] (NaN stays NaN).
    public func apply(_ map: Tensor) -> Tensor {
        var out = map
        guard let (low, high) = range(of: map.storage), high > low else {
            for i in out.storage.indices where !out.storage[i].isNaN { out.storage[i] = 0 }
            return out
        }
        let span = high - low
        for i in out.storage.indices {
            let v = out.storage[i]
            if v.isNaN { continue }
            out.storage[i] = min(max((v - low) / span, 0), 1)
        }
        return out
    }

    /// numpy's `np.percentile(values, q)` (default `method="linear"`), or `nil` if empty.
    public static func percentile(_ q: Double, of values: [Float]) -> Float? {
        let sorted = values.filter { !$0.isNaN }.sorted()
        return sorted.isEmpty ? nil : percentile(q, ofSorted: sorted)
    }

    /// numpy's linear percentile on already sorted values, including its `_lerp`, which
    /// interpolates from the upper neighbour when the fraction is ≥ 0.5.
    static func percentile(_ q: Double, ofSorted sorted: [Float]) -> Float {
        let n = sorted.count
        let virtualIndex = q / 100 * Double(n - 1)
        let below = min(max(Int(virtualIndex.rounded(.down)), 0), n - 1)
        let above = min(below + 1, n - 1)
        let t = virtualIndex - Double(below)
        let a = Double(sorted[below]), b = Double(sorted[above])
        let difference = b - a
        let value = t >= 0.5 ? b - difference * (1 - t) : a + difference * t
        return Float(value)
    }
}
