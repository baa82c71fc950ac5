/// The MNIST test set in its original IDX files (LeCun, Cortes and Burges; gzipped as
/// published).
///
/// IDX layout: a big-endian header (magic `0x00000803` for images with count, rows and
/// columns; `0x00000801` for labels with count), then one unsigned byte per pixel or label.
/// Pixels are row-major, 0 = background, 255 = ink.
///
/// Shape: `pixels(of:)` is one (rows·columns) image, 784 bytes for MNIST's 28×28.
public struct MNIST: Sendable {
    /// Number of images (and labels).
    public let count: Int
    /// Image height and width in pixels (28 and 28 for MNIST).
    public let rows: Int
    public let columns: Int
    /// The digit 0–9 of each image.
    public let labels: [UInt8]
    /// All images, one after the other.
    private let pixelBytes: [UInt8]

    /// Reads an images file and a labels file (`.gz` or already inflated).
    ///
    /// - Throws: `ImageCodecError` naming the file: unreadable, not gzip/IDX (wrong magic),
    ///   shorter than its header says, or a label count different from the image count.
    public static func load(images: String, labels: String) throws -> MNIST {
        let imageFile = try IDXFile(path: images, magic: 0x0000_0803, dimensions: 3)
        let labelFile = try IDXFile(path: labels, magic: 0x0000_0801, dimensions: 1)
        guard imageFile.dimensions[0] == labelFile.dimensions[0] else {
            throw ImageCodecError(.corrupt, path: labels,
                                  message: "\(labelFile.dimensions[0]) labels for \(imageFile.dimensions[0]) images in \(images)")
        }
        return MNIST(count: imageFile.dimensions[0], rows: imageFile.dimensions[1],
                     columns: imageFile.dimensions[2], labels: labelFile.body, pixelBytes: imageFile.body)
    }

    /// The pixels of image `index` (row-major, rows·columns bytes).
    public func pixels(of index: Int) -> [UInt8] {
        precondition(index >= 0 && index < count, "MNIST image \(index) out of 0..<\(count)")
        let size = rows * columns
        return Array(pixelBytes[index * size ..< (index + 1) * size])
    }
}

/// One IDX file: header checked, body exactly as long as the dimensions say.
struct IDXFile {
    let dimensions: [Int]
    let body: [UInt8]

    init(path: String, magic: UInt32, dimensions count: Int) throws(ImageCodecError) {
        var bytes = try ImageCodecError.readFile(path, limit: 1 << 30)
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
            bytes = try GzipData.inflate(bytes, path: path)
        }
        func word(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[at + $1]) }
        }
        let headerSize = 4 + 4 * count
        guard bytes.count >= headerSize else {
            throw ImageCodecError(.truncated, path: path, message: "\(bytes.count) bytes, shorter than the \(headerSize)-byte IDX header")
        }
        guard word(0) == magic else {
            let found = String(word(0), radix: 16)
            throw ImageCodecError(.corrupt, path: path,
                                  message: "IDX magic 0x\(found), expected 0x\(String(magic, radix: 16)) (\(count == 1 ? "labels" : "images"))")
        }
        let dims = (0..<count).map { Int(word(4 + 4 * $0)) }
        let expected = dims.reduce(1, *)
        guard bytes.count - headerSize == expected else {
            throw ImageCodecError(bytes.count - headerSize < expected ? .truncated : .corrupt, path: path,
                                  message: "header says \(dims.map(String.init).joined(separator: "×")) = \(expected) bytes, body has \(bytes.count - headerSize)")
        }
        dimensions = dims
        body = Array(bytes[headerSize...])
    }
}
