import TensorCore

/// Resizing of whole canvases (thumbnails, fitting panels into a mosaic).
extension RGBCanvas {
    /// How ``resized(width:height:method:)`` samples.
    public enum ResizeMethod: Sendable, Equatable {
        /// Area average: output pixel `j` is the mean of the input interval
        /// `[j·s, (j+1)·s)`, `s = in/out`, with fractional coverage at the ends (separable;
        /// what OpenCV calls `INTER_AREA` for downscaling). Best for shrinking.
        case area
        /// ``Upsampling/bilinear`` (PyTorch `align_corners=False`), per channel.
        case bilinear
        /// ``Upsampling/nearest`` (PyTorch `nearest`), per channel.
        case nearest
    }

    /// The canvas resampled to `width × height`; channels are rounded half away from zero.
    public func resized(width newWidth: Int, height newHeight: Int, method: ResizeMethod = .area) -> RGBCanvas {
        precondition(newWidth > 0 && newHeight > 0, "target size must be positive, got \(newWidth)×\(newHeight)")
        precondition(width > 0 && height > 0, "cannot resize an empty \(width)×\(height) canvas")
        if newWidth == width && newHeight == height { return self }
        if method == .area {
            // Straight from the bytes, row by row (identical to the planar path below).
            let resampler = AreaResampler(inputWidth: width, inputHeight: height, width: newWidth, height: newHeight)
            var out = HugePages.uninitializedBytes(3 * newWidth * newHeight)
            pixels.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    resampler.resample(source.baseAddress!, into: target.baseAddress!)
                }
            }
            return RGBCanvas(width: newWidth, height: newHeight, pixels: out)
        }
        return planarResized(width: newWidth, height: newHeight, method: method)
    }

    /// The reference path: Float planes of the whole canvas, resampled, rounded back.
    func planarResized(width newWidth: Int, height newHeight: Int, method: ResizeMethod) -> RGBCanvas {
        // [H, W, 3] interleaved -> [3, H, W] planes
        var planes = [Float](repeating: 0, count: 3 * width * height)
        for i in 0..<(width * height) {
            for c in 0..<3 { planes[c * width * height + i] = Float(pixels[3 * i + c]) }
        }
        let input = Tensor(shape: [3, height, width], storage: planes)
        let output: Tensor
        switch method {
        case .bilinear: output = Upsampling.bilinear.resize(input, height: newHeight, width: newWidth)
        case .nearest: output = Upsampling.nearest.resize(input, height: newHeight, width: newWidth)
        case .area: output = Self.areaResize(input, height: newHeight, width: newWidth)
        }
        // [3, H', W'] -> [H', W', 3]
        var out = [UInt8](repeating: 0, count: 3 * newWidth * newHeight)
        let plane = newWidth * newHeight
        for i in 0..<plane {
            for c in 0..<3 { out[3 * i + c] = UInt8(min(max(output.storage[c * plane + i].rounded(), 0), 255)) }
        }
        return RGBCanvas(width: newWidth, height: newHeight, pixels: out)
    }

    /// The canvas shrunk (area average) to fit `maxWidth × maxHeight`, aspect ratio kept
    /// (each side rounded, at least 1); returned unchanged when it already fits.
    public func fitted(maxWidth: Int, maxHeight: Int) -> RGBCanvas {
        precondition(maxWidth > 0 && maxHeight > 0, "bounds must be positive, got \(maxWidth)×\(maxHeight)")
        guard width > maxWidth || height > maxHeight else { return self }
        let scale = min(Double(maxWidth) / Double(width), Double(maxHeight) / Double(height))
        let w = min(maxWidth, max(1, Int((Double(width) * scale).rounded())))
        let h = min(maxHeight, max(1, Int((Double(height) * scale).rounded())))
        return resized(width: w, height: h, method: .area)
    }

    /// Separable area resampling of the last two dimensions.
    ///
    /// Shape: `[C, h, w]` → `[C, height, width]`.
    static func areaResize(_ input: Tensor, height: Int, width: Int) -> Tensor {
        let (channels, h, w) = (input.shape[0], input.shape[1], input.shape[2])
        let rowWeights = areaWeights(input: h, output: height)
        let columnWeights = areaWeights(input: w, output: width)
        // Columns first: [C, h, w] -> [C, h, width]
        var middle = [Float](repeating: 0, count: channels * h * width)
        for row in 0..<(channels * h) {
            for (x, taps) in columnWeights.enumerated() {
                var sum: Float = 0
                for (i, weight) in taps { sum += weight * input.storage[row * w + i] }
                middle[row * width + x] = sum
            }
        }
        // Then rows: [C, h, width] -> [C, height, width]
        var out = [Float](repeating: 0, count: channels * height * width)
        for c in 0..<channels {
            for (y, taps) in rowWeights.enumerated() {
                for x in 0..<width {
                    var sum: Float = 0
                    for (i, weight) in taps { sum += weight * middle[(c * h + i) * width + x] }
                    out[(c * height + y) * width + x] = sum
                }
            }
        }
        return Tensor(shape: [channels, height, width], storage: out)
    }

    /// For each output index, the input indices it covers and their weights (summing to 1).
    static func areaWeights(input: Int, output: Int) -> [[(Int, Float)]] {
        let scale = Double(input) / Double(output)
        return (0..<output).map { j in
            let start = Double(j) * scale, end = Double(j + 1) * scale
            var taps: [(Int, Float)] = []
            var i = Int(start.rounded(.down))
            while Double(i) < end && i < input {
                let overlap = min(end, Double(i + 1)) - max(start, Double(i))
                if overlap > 0 { taps.append((i, Float(overlap / scale))) }
                i += 1
            }
            return taps
        }
    }
}
