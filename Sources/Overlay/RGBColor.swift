/// An 8-bit sRGB colour (no alpha), the pixel type of ``RGBCanvas``.
public struct RGBColor: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    public static let black = RGBColor(hex: 0x000000)
    public static let white = RGBColor(hex: 0xFFFFFF)
    public static let red = RGBColor(hex: 0xFF0000)
    public static let green = RGBColor(hex: 0x00FF00)
    public static let blue = RGBColor(hex: 0x0000FF)
    public static let yellow = RGBColor(hex: 0xFFFF00)
    public static let cyan = RGBColor(hex: 0x00FFFF)
    public static let magenta = RGBColor(hex: 0xFF00FF)
    public static let gray = RGBColor(hex: 0x808080)
}
