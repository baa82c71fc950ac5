extension RGBCanvas {
    /// Draws `text` with the embedded ``BitmapFont``, its top-left corner at `(x, y)`.
    ///
    /// Each font pixel is a `scale × scale` block; `\n` starts a new line. With a
    /// `background`, the text box grown by `padding` pixels on each side is filled first.
    /// Everything is clipped to the canvas.
    ///
    /// - Returns: the box drawn (including padding), in canvas coordinates, unclipped.
    @discardableResult
    public mutating func drawText(_ text: String, x: Int, y: Int, color: RGBColor, scale: Int = 1,
                                  background: RGBColor? = nil, padding: Int = 1) -> PixelRect {
        let (w, h) = BitmapFont.size(of: text, scale: scale)
        let pad = background == nil ? 0 : padding
        let box = PixelRect(x: x - pad, y: y - pad, width: w + 2 * pad, height: h + 2 * pad)
        if let background { fillRectangle(box, color: background) }
        var penY = y
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var penX = x
            for character in line {
                let rows = BitmapFont.rows(of: character)
                for (r, bits) in rows.enumerated() where bits != 0 {
                    for c in 0..<BitmapFont.advance where bits & (1 << (BitmapFont.advance - 1 - c)) != 0 {
                        fillRectangle(PixelRect(x: penX + c * scale, y: penY + r * scale, width: scale, height: scale),
                                      color: color)
                    }
                }
                penX += BitmapFont.advance * scale
            }
            penY += BitmapFont.lineHeight * scale
        }
        return box
    }
}
