/// Reads the EXIF orientation tag (0x0112) of a JPEG, in pure Swift with bounds checks.
///
/// Walks the JPEG markers up to the first scan, finds the APP1 `Exif\0\0` segment, and reads
/// IFD0 of its TIFF structure (either byte order). Returns 1…8, or nil when absent or
/// malformed (a malformed EXIF block never fails the decode).
public enum ExifOrientation {
    public static func read<C: RandomAccessCollection>(jpeg bytes: C) -> Int? where C.Element == UInt8, C.Index == Int {
        let b = bytes
        let start = b.startIndex
        guard b.count >= 4, b[start] == 0xFF, b[start + 1] == 0xD8 else { return nil }
        var pos = start + 2
        while pos + 4 <= b.endIndex {
            guard b[pos] == 0xFF else { return nil }
            let marker = b[pos + 1]
            if marker == 0xFF { pos += 1; continue }              // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { pos += 2; continue }
            if marker == 0xDA || marker == 0xD9 { return nil }   // scan or end: no EXIF before it
            let length = Int(b[pos + 2]) << 8 | Int(b[pos + 3])
            guard length >= 2, pos + 2 + length <= b.endIndex else { return nil }
            if marker == 0xE1, length >= 8 {
                let body = pos + 4
                let exif: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
                if Array(b[body..<(body + 6)]) == exif {
                    return orientation(tiff: Array(b[(body + 6)..<(pos + 2 + length)]))
                }
            }
            pos += 2 + length
        }
        return nil
    }

    /// Orientation from a TIFF structure (the body of an EXIF block after `Exif\0\0`).
    public static func orientation(tiff t: [UInt8]) -> Int? {
        guard t.count >= 8 else { return nil }
        let little: Bool
        if t[0] == 0x49 && t[1] == 0x49 { little = true } else if t[0] == 0x4D && t[1] == 0x4D { little = false } else { return nil }
        func u16(_ i: Int) -> Int? {
            guard i >= 0, i + 2 <= t.count else { return nil }
            return little ? Int(t[i]) | Int(t[i + 1]) << 8 : Int(t[i]) << 8 | Int(t[i + 1])
        }
        func u32(_ i: Int) -> Int? {
            guard let a = u16(i), let b = u16(i + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<count {
            let e = ifd + 2 + 12 * entry
            guard let tag = u16(e), let type = u16(e + 2) else { return nil }
            if tag == 0x0112 {
                guard type == 3, let value = u16(e + 8), (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }
}
