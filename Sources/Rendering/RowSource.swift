import Overlay

/// An output picture drawn a band of rows at a time, so that it never has to exist whole
/// (a 12-MP overlay is 36 MB of fresh memory otherwise).
///
/// Shape: `width × height` RGB; ``rows(_:)`` gives `width × rows.count`.
public struct RowSource: Sendable {
    public let width: Int
    public let height: Int
    let drawBand: @Sendable (Range<Int>, inout RGBCanvas) -> Void

    init(width: Int, height: Int, drawBand: @escaping @Sendable (Range<Int>, inout RGBCanvas) -> Void) {
        (self.width, self.height, self.drawBand) = (width, height, drawBand)
    }

    /// Rows `rows` of the picture; safe to call from several threads at once.
    public func rows(_ rows: Range<Int>) -> RGBCanvas {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= height && !rows.isEmpty,
                     "rows \(rows) outside a picture of height \(height)")
        var band = RGBCanvas(width: width, height: rows.count,
                             pixels: [UInt8](unsafeUninitializedCapacity: 3 * width * rows.count) { _, n in
                                 n = 3 * width * rows.count   // every pixel is drawn below
                             })
        drawBand(rows, &band)
        return band
    }
}
