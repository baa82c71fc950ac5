extension Image {
    /// The image turned upright according to an EXIF orientation (1–8), as Pillow's
    /// `ImageOps.exif_transpose`: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose,
    /// 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
    ///
    /// Shape: H×W×C -> H×W×C (1–4) or W×H×C (5–8).
    public func oriented(_ orientation: Int) -> Image {
        guard (2...8).contains(orientation) else { return self }
        let swaps = orientation >= 5
        let (w, h) = (width, height)
        let (ow, oh) = swaps ? (h, w) : (w, h)
        // Source pixel (x, y) for output pixel (X, Y).
        let source: (Int, Int) -> (Int, Int)
        switch orientation {
        case 2: source = { X, Y in (w - 1 - X, Y) }
        case 3: source = { X, Y in (w - 1 - X, h - 1 - Y) }
        case 4: source = { X, Y in (X, h - 1 - Y) }
        case 5: source = { X, Y in (Y, X) }
        case 6: source = { X, Y in (Y, h - 1 - X) }
        case 7: source = { X, Y in (w - 1 - Y, h - 1 - X) }
        default: source = { X, Y in (w - 1 - Y, X) }
        }
        func remap<T>(_ s: [T]) -> [T] {
            var out = s
            let c = channels
            for Y in 0..<oh {
                for X in 0..<ow {
                    let (x, y) = source(X, Y)
                    let o = (Y * ow + X) * c, i = (y * w + x) * c
                    for k in 0..<c { out[o + k] = s[i + k] }
                }
            }
            return out
        }
        switch samples {
        case .uint8(let s): return Image(width: ow, height: oh, channels: channels, samples: .uint8(remap(s)))
        case .uint16(let s): return Image(width: ow, height: oh, channels: channels, samples: .uint16(remap(s)))
        }
    }
}
