/// A 256-entry colour lookup table, identical to matplotlib's.
///
/// The tables are matplotlib's own (`matplotlib.colormaps[name](np.linspace(0, 1, 256),
/// bytes=True)`), generated into `Colormap+Tables.swift` by `tools/make_colormaps.py`.
///
/// A value `v` picks an entry as matplotlib's `Colormap.__call__` does for floats:
/// `index = Int(v · 256)` truncated, with `v == 1` → 255, `v < 0` → 0 (the default "under"
/// colour is the first entry) and `v > 1` → 255 (the default "over" colour is the last).
/// NaN is matplotlib's "bad" value, drawn as ``badColor`` (black, as matplotlib's
/// transparent `(0, 0, 0, 0)` without its alpha); ``index(for:)`` returns `nil` for it.
///
/// Shape: `lut.count == 256 · 3` (RGB interleaved).
public struct Colormap: Sendable, Equatable {
    /// The matplotlib name (`viridis`, `magma`, …).
    public let name: String
    /// 256 RGB entries, interleaved.
    public let lut: [UInt8]
    /// Colour for NaN.
    public var badColor: RGBColor = .black

    /// Number of entries (always 256).
    public static let size = 256

    /// A colormap from any 256-entry RGB table.
    public init(name: String, lut: [UInt8]) {
        precondition(lut.count == Colormap.size * 3,
                     "a colormap table needs \(Colormap.size * 3) bytes, got \(lut.count)")
        self.name = name
        self.lut = lut
    }

    /// The table index matplotlib uses for `value`, or `nil` for NaN.
    @inlinable
    public func index(for value: Float) -> Int? {
        if value.isNaN { return nil }
        // v·256 is exact in binary floating point, so Float and matplotlib's float64 agree.
        let scaled = value * Float(Colormap.size)
        if scaled < 0 { return 0 }
        if scaled >= Float(Colormap.size) { return Colormap.size - 1 }
        return Int(scaled)
    }

    /// Entry `index` of the table (0...255).
    public func entry(_ index: Int) -> RGBColor {
        precondition(index >= 0 && index < Colormap.size, "colormap index \(index) outside 0..<256")
        return RGBColor(red: lut[3 * index], green: lut[3 * index + 1], blue: lut[3 * index + 2])
    }

    /// The colour of `value` ∈ [0, 1] (clamped outside; ``badColor`` for NaN).
    public func color(for value: Float) -> RGBColor {
        guard let i = index(for: value) else { return badColor }
        return entry(i)
    }

    // MARK: - The built-in maps

    /// The names of the built-in maps.
    public static let allNames: [String] = generatedTables.map(\.name)

    /// The built-in map called `name` (case-sensitive, matplotlib spelling), or `nil`.
    public static func named(_ name: String) -> Colormap? {
        builtIn.first { $0.name == name }
    }

    public static var viridis: Colormap { named("viridis")! }
    public static var magma: Colormap { named("magma")! }
    public static var inferno: Colormap { named("inferno")! }
    public static var plasma: Colormap { named("plasma")! }
    public static var turbo: Colormap { named("turbo")! }
    public static var jet: Colormap { named("jet")! }
    public static var gray: Colormap { named("gray")! }

    /// Decoded once, on first use.
    private static let builtIn: [Colormap] = generatedTables.map {
        Colormap(name: $0.name, lut: decodeHex($0.hex))
    }

    private static func decodeHex(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count % 2 == 0, "odd hex table length \(digits.count)")
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: preconditionFailure("non-hex digit \(c) in a generated colormap table")
            }
        }
        return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }
}
