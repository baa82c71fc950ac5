import Foundation
import Testing
@testable import ImageCodecs

/// The MNIST reader against the published test set (`data/mnist/`) and numbers computed
/// from it with Python's gzip and NumPy; broken files give errors naming them.
@Suite struct MNISTTests {
    static let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/mnist").path
    static let images = data + "/t10k-images-idx3-ubyte.gz"
    static let labels = data + "/t10k-labels-idx1-ubyte.gz"

    @Test func readsTheTestSet() throws {
        let mnist = try MNIST.load(images: Self.images, labels: Self.labels)
        #expect(mnist.count == 10_000 && mnist.rows == 28 && mnist.columns == 28)
        // The first ten test labels and the class counts, as published.
        #expect(mnist.labels.prefix(10) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        var counts = [Int](repeating: 0, count: 10)
        for label in mnist.labels { counts[Int(label)] += 1 }
        #expect(counts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        // Pixel sums from NumPy on the same files.
        let first = mnist.pixels(of: 0)
        #expect(first.count == 784)
        #expect(first.reduce(0) { $0 + Int($1) } == 18454)
        #expect(first[14 * 28 ..< 15 * 28].reduce(0) { $0 + Int($1) } == 624)
        #expect(mnist.pixels(of: 9999).reduce(0) { $0 + Int($1) } == 41833)
        let total = (0..<mnist.count).reduce(0) { sum, i in sum + mnist.pixels(of: i).reduce(0) { $0 + Int($1) } }
        #expect(total == 264_923_200)
    }

    @Test func swappedFilesNameTheWrongMagic() throws {
        #expect {
            try MNIST.load(images: Self.labels, labels: Self.images)
        } throws: { error in
            let text = String(describing: error)
            return text.contains(Self.labels) && text.contains("IDX magic 0x801, expected 0x803")
        }
    }

    @Test func damagedGzipIsRefusedWithItsName() throws {
        let folder = Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.labels)))
        // Cut short: the deflate stream ends before its end-of-block.
        let cut = folder + "/cut.gz"
        try Data(bytes.prefix(bytes.count / 2) + bytes.suffix(8)).write(to: URL(fileURLWithPath: cut))
        // One byte of the CRC-32 trailer flipped: zlib's check refuses it.
        var flipped = bytes
        flipped[flipped.count - 8] ^= 0xff
        let crc = folder + "/crc.gz"
        try Data(flipped).write(to: URL(fileURLWithPath: crc))
        for path in [cut, crc] {
            #expect {
                try MNIST.load(images: Self.images, labels: path)
            } throws: { error in
                guard let error = error as? ImageCodecError else { return false }
                return error.path == path && (error.kind == .corrupt || error.kind == .truncated)
            }
        }
    }
}
