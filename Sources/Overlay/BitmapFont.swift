/// The embedded 5×7 bitmap font used for all labels (no system font is needed).
///
/// Glyphs are the public-domain X11 misc-fixed `5x7` font for printable ASCII (32…126),
/// generated into `BitmapFont+Glyphs.swift` by `tools/make_bitmap_font.py`. Each glyph is a
/// 5-wide, 7-tall cell that already contains its one-pixel spacing on the right; lines
/// advance by 8 rows. Any other character is drawn as `?`. Text scales by an integer
/// factor: each font pixel becomes a `scale × scale` block.
public enum BitmapFont {
    /// Horizontal advance of one character at scale 1, in pixels.
    public static let advance = 5
    /// Height of a glyph cell at scale 1.
    public static let glyphHeight = 7
    /// Vertical advance between lines at scale 1.
    public static let lineHeight = 8

    /// The 7 row bitmaps of `character` (bit 4 = leftmost column), `?` for non-ASCII.
    public static func rows(of character: Character) -> ArraySlice<UInt8> {
        var code = 63  // "?"
        if let ascii = character.asciiValue, ascii >= 32, ascii <= 126 { code = Int(ascii) }
        let start = (code - 32) * glyphHeight
        return fixed5x7Rows[start..<(start + glyphHeight)]
    }

    /// Whether font pixel `(column, row)` of `character` is set.
    public static func isSet(_ character: Character, column: Int, row: Int) -> Bool {
        guard column >= 0, column < advance, row >= 0, row < glyphHeight else { return false }
        let bits = rows(of: character)[rows(of: character).startIndex + row]
        return bits & (1 << (advance - 1 - column)) != 0
    }

    /// Size of `text` in pixels at `scale`: the longest line × the number of lines
    /// (the last line counts `glyphHeight`, earlier ones `lineHeight`).
    public static func size(of text: String, scale: Int = 1) -> (width: Int, height: Int) {
        precondition(scale >= 1, "text scale must be ≥ 1, got \(scale)")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let longest = lines.map(\.count).max() ?? 0
        guard longest > 0 || lines.count > 1 else { return (0, 0) }
        return (longest * advance * scale, ((lines.count - 1) * lineHeight + glyphHeight) * scale)
    }
}
