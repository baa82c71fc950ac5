import Testing
@testable import ImageCodecs

/// The EXIF parser on hand-built TIFF blocks, both byte orders, and malformed input.
@Suite struct ExifOrientationTests {
    func tiff(bigEndian: Bool, orientation: UInt16, type: UInt16 = 3) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) -> [UInt8] { bigEndian ? u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) : u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) }
        let order: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        // header, IFD at 8 with two entries: ImageWidth (0x0100) then Orientation (0x0112)
        return order + u16(42) + u32(8) + u16(2)
            + u16(0x0100) + u16(3) + u32(1) + u16(640) + u16(0)
            + u16(0x0112) + u16(type) + u32(1) + u16(orientation) + u16(0) + u32(0)
    }

    func jpeg(exif: [UInt8]) -> [UInt8] {
        let body: [UInt8] = Array("Exif".utf8) + [0, 0] + exif
        let length = body.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + body + [0xFF, 0xDA]
    }

    @Test(arguments: 1...8)
    func readsBothByteOrders(_ value: Int) {
        #expect(ExifOrientation.read(jpeg: jpeg(exif: tiff(bigEndian: true, orientation: UInt16(value)))) == value)
        #expect(ExifOrientation.read(jpeg: jpeg(exif: tiff(bigEndian: false, orientation: UInt16(value)))) == value)
    }

    @Test func malformedIsIgnored() {
        #expect(ExifOrientation.read(jpeg: jpeg(exif: tiff(bigEndian: true, orientation: 9))) == nil)
        #expect(ExifOrientation.read(jpeg: jpeg(exif: tiff(bigEndian: true, orientation: 6, type: 4))) == nil)
        #expect(ExifOrientation.read(jpeg: jpeg(exif: Array(tiff(bigEndian: false, orientation: 6).prefix(20)))) == nil)
        #expect(ExifOrientation.read(jpeg: [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]) == nil)
    }

    /// Orientation 6 (rotate 90° clockwise) on a 3×2 picture, worked by hand.
    @Test func rotationByHand() {
        // a b c
        // d e f    -> rotated clockwise:  d a / e b / f c
        let image = Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.oriented(6) == Image(width: 2, height: 3, channels: 1, pixels: [4, 1, 5, 2, 6, 3]))
        #expect(image.oriented(8) == Image(width: 2, height: 3, channels: 1, pixels: [3, 6, 2, 5, 1, 4]))
        #expect(image.oriented(3) == Image(width: 3, height: 2, channels: 1, pixels: [6, 5, 4, 3, 2, 1]))
        #expect(image.oriented(5) == Image(width: 2, height: 3, channels: 1, pixels: [1, 4, 2, 5, 3, 6]))
    }
}
