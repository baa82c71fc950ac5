/// Turns any digit image into what the MNIST models read: one grey channel, white ink on a
/// black background, 28×28, values in [0, 1].
///
/// The documented conversion (so that a photo or a drawing of a digit can be classified):
/// 1. Grey: one channel as is; grey+alpha and RGBA are composited over black (v·α); RGB
///    becomes luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as Pillow's `convert("L")`).
/// 2. Polarity: when the border pixels are on average brighter than 0.5 (dark ink on paper)
///    the image is inverted, v → 1 − v, since MNIST digits are white on black.
/// 3. Size: a 28×28 image is used as it is (an MNIST digit stays bit-exact). Any other size
///    is fitted as LeCun et al. built MNIST ("Gradient-based learning applied to document
///    recognition", 1998; the MNIST page): the bounding box of the ink (pixels above
///    ``inkThreshold``) is resampled by area averaging so that its longer side is 20 pixels,
///    aspect preserved, then placed in the 28×28 field so that its centre of mass (pixel
///    centres at i + ½) falls on the field's centre (14, 14), shifted by whole pixels.
///
/// Shape: pixels [H, W, C] interleaved, row-major, values in [0, 1] -> 784 values [28, 28].
public enum MNISTDigitFitting {
    /// Side of the output field.
    public static let fieldSize = 28
    /// Longer side of the digit's box inside the field.
    public static let boxSize = 20
    /// Grey level above which a pixel counts as ink for the bounding box.
    public static let inkThreshold: Float = 0.05

    /// A digit image that cannot be converted.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// Only 1 (grey), 2 (grey+alpha), 3 (RGB) and 4 (RGBA) channels are understood.
        case unsupportedChannels(Int)
        /// The pixel count is not height·width·channels.
        case pixelCount(expected: Int, got: Int)
        /// No pixel rises above the ink threshold: there is no digit to fit.
        case noInk(width: Int, height: Int)

        public var description: String {
            switch self {
            case let .unsupportedChannels(channels):
                return "a digit image needs 1 to 4 channels (grey, grey+alpha, RGB, RGBA), got \(channels)"
            case let .pixelCount(expected, got):
                return "expected \(expected) pixel values, got \(got)"
            case let .noInk(width, height):
                return "the \(width)×\(height) image has no ink above \(MNISTDigitFitting.inkThreshold) to fit into 28×28"
            }
        }
    }

    /// The 28×28 MNIST-style digit of an image.
    ///
    /// Shape: pixels [height, width, channels] in [0, 1] -> [28·28] in [0, 1].
    public static func fit(pixels: [Float], width: Int, height: Int, channels: Int) throws(Failure) -> [Float] {
        guard (1...4).contains(channels) else { throw .unsupportedChannels(channels) }
        guard pixels.count == width * height * channels, width > 0, height > 0 else {
            throw .pixelCount(expected: width * height * channels, got: pixels.count)
        }
        var grey = greyscale(pixels, channels: channels)
        let border = (0..<height).flatMap { y in (0..<width).filter { x in y == 0 || y == height - 1 || x == 0 || x == width - 1 }
            .map { grey[y * width + $0] } }
        if border.reduce(0, +) / Float(border.count) > 0.5 {
            for i in grey.indices { grey[i] = 1 - grey[i] }
        }
        if width == fieldSize && height == fieldSize { return grey }
        // The ink's bounding box.
        var (left, top, right, bottom) = (width, height, -1, -1)
        for y in 0..<height {
            for x in 0..<width where grey[y * width + x] > inkThreshold {
                (left, top, right, bottom) = (min(left, x), min(top, y), max(right, x), max(bottom, y))
            }
        }
        guard right >= 0 else { throw .noInk(width: width, height: height) }
        let (boxWidth, boxHeight) = (right - left + 1, bottom - top + 1)
        let scale = Double(boxSize) / Double(max(boxWidth, boxHeight))
        let outWidth = max(1, Int((Double(boxWidth) * scale).rounded()))
        let outHeight = max(1, Int((Double(boxHeight) * scale).rounded()))
        let digit = areaResample(grey, width: width, box: (left, top, boxWidth, boxHeight), to: (outWidth, outHeight))
        // Centre of mass of the resampled digit, pixel centres at i + ½.
        var (mass, sumX, sumY) = (0.0, 0.0, 0.0)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let v = Double(digit[y * outWidth + x])
                (mass, sumX, sumY) = (mass + v, sumX + v * (Double(x) + 0.5), sumY + v * (Double(y) + 0.5))
            }
        }
        let centre = Double(fieldSize) / 2
        let offsetX = Int((centre - sumX / mass).rounded()), offsetY = Int((centre - sumY / mass).rounded())
        var field = [Float](repeating: 0, count: fieldSize * fieldSize)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let (fx, fy) = (x + offsetX, y + offsetY)
                guard (0..<fieldSize).contains(fx), (0..<fieldSize).contains(fy) else { continue }
                field[fy * fieldSize + fx] = digit[y * outWidth + x]
            }
        }
        return field
    }

    /// One grey value per pixel (step 1 above).
    static func greyscale(_ pixels: [Float], channels: Int) -> [Float] {
        let count = pixels.count / channels
        return (0..<count).map { i in
            let p = i * channels
            switch channels {
            case 1: return pixels[p]
            case 2: return pixels[p] * pixels[p + 1]
            case 3: return 0.299 * pixels[p] + 0.587 * pixels[p + 1] + 0.114 * pixels[p + 2]
            default: return (0.299 * pixels[p] + 0.587 * pixels[p + 1] + 0.114 * pixels[p + 2]) * pixels[p + 3]
            }
        }
    }

    /// Area-averaging resample of a box of a grey image: each output pixel is the mean of the
    /// source area it covers, partial pixels weighted by their overlap.
    ///
    /// Shape: grey [H, W], box (left, top, width, height) -> [outHeight, outWidth].
    static func areaResample(_ grey: [Float], width: Int, box: (Int, Int, Int, Int), to size: (Int, Int)) -> [Float] {
        let (left, top, boxWidth, boxHeight) = box
        let (outWidth, outHeight) = size
        // Source coverage of each output column/row: (source index, weight) pairs.
        func spans(_ outCount: Int, _ inCount: Int) -> [[(Int, Double)]] {
            let step = Double(inCount) / Double(outCount)
            return (0..<outCount).map { o in
                let (start, end) = (Double(o) * step, Double(o + 1) * step)
                return (Int(start.rounded(.down))..<min(inCount, Int(end.rounded(.up)))).map { i in
                    (i, (min(end, Double(i + 1)) - max(start, Double(i))) / step)
                }
            }
        }
        let columns = spans(outWidth, boxWidth), rows = spans(outHeight, boxHeight)
        var result = [Float](repeating: 0, count: outWidth * outHeight)
        for (oy, rowSpan) in rows.enumerated() {
            for (ox, columnSpan) in columns.enumerated() {
                var sum = 0.0
                for (y, wy) in rowSpan {
                    for (x, wx) in columnSpan { sum += wy * wx * Double(grey[(top + y) * width + left + x]) }
                }
                result[oy * outWidth + ox] = Float(sum)
            }
        }
        return result
    }
}
