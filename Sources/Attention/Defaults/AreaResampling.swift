/// Area-weighted resampling of a plane: every output sample is the mean of the source
/// region it covers, counting partially covered source pixels by their covered fraction
/// (OpenCV's `INTER_AREA` for shrinking, Pillow's `BOX` filter).
///
/// Works separably: a weight matrix per axis maps n source samples to m output samples,
/// output i covering the source interval [start + i·step, start + (i+1)·step) (clipped to
/// [0, n)); the plane is then `rows · plane · columnsᵀ`. Enlarging (step < 1) blends the one
/// or two source pixels an output sample overlaps, as a box filter does.
///
/// Shape: plane [H, W] -> [h, w]; weight matrices [m, n] row-major, rows summing to 1.
enum AreaResampling {
    /// The [m, n] matrix of output i's overlap with source pixel k, normalised per row.
    static func weights(sourceCount n: Int, start: Double, step: Double, count m: Int) -> [Double] {
        precondition(n >= 1 && m >= 0 && step > 0, "area weights need n ≥ 1, m ≥ 0, step > 0; got \(n), \(m), \(step)")
        var matrix = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            let low = max(0, min(Double(n), start + Double(i) * step))
            let high = max(0, min(Double(n), start + Double(i + 1) * step))
            var total = 0.0
            if high > low {
                for k in Int(low.rounded(.down))..<min(n, Int(high.rounded(.up))) {
                    let overlap = min(high, Double(k + 1)) - max(low, Double(k))
                    if overlap > 0 {
                        matrix[i * n + k] = overlap
                        total += overlap
                    }
                }
            } else {
                // An empty interval (outside the source): take the nearest pixel.
                let k = min(n - 1, max(0, Int(low.rounded(.down))))
                matrix[i * n + k] = 1
                total = 1
            }
            for k in 0..<n { matrix[i * n + k] /= total }
        }
        return matrix
    }

    /// `rows · plane · columnsᵀ`.
    ///
    /// Shape: plane [H, W], rows [h, H], columns [w, W] -> [h, w].
    static func apply(_ plane: [Double], height: Int, width: Int, rows: [Double], outputHeight h: Int,
                      columns: [Double], outputWidth w: Int) -> [Double] {
        precondition(plane.count == height * width && rows.count == h * height && columns.count == w * width,
                     "area resampling sizes disagree: plane \(plane.count) for \(height)×\(width)")
        // [H, W] · [w, W]ᵀ -> [H, w]
        var narrowed = [Double](repeating: 0, count: height * w)
        for y in 0..<height {
            for j in 0..<w {
                var sum = 0.0
                for x in 0..<width where columns[j * width + x] != 0 {
                    sum += columns[j * width + x] * plane[y * width + x]
                }
                narrowed[y * w + j] = sum
            }
        }
        // [h, H] · [H, w] -> [h, w]
        var result = [Double](repeating: 0, count: h * w)
        for i in 0..<h {
            for y in 0..<height where rows[i * height + y] != 0 {
                let weight = rows[i * height + y]
                for j in 0..<w { result[i * w + j] += weight * narrowed[y * w + j] }
            }
        }
        return result
    }

    /// Resizes the whole plane to h×w.
    ///
    /// Shape: plane [H, W] -> [h, w].
    static func resize(_ plane: [Double], height: Int, width: Int, toHeight h: Int, toWidth w: Int) -> [Double] {
        apply(plane, height: height, width: width,
              rows: weights(sourceCount: height, start: 0, step: Double(height) / Double(h), count: h), outputHeight: h,
              columns: weights(sourceCount: width, start: 0, step: Double(width) / Double(w), count: w), outputWidth: w)
    }
}
