import Foundation
import Testing
@testable import ImageCodecs

/// Paths that are not regular files: a device would be read without end (`/dev/zero`
/// grew memory until killed), so devices are refused; a pipe is read like a file.
@Suite struct SpecialFileTests {
    @Test(arguments: ["/dev/zero", "/dev/urandom", "/dev/null"])
    func devicesAreRefused(path: String) {
        do {
            _ = try ImageDecoder.decode(path: path)
            Issue.record("decoded \(path)")
        } catch {
            #expect(error.kind == .unreadable && error.message == "a device, not a regular file", "\(error)")
        }
    }

    /// A PNG written into a pipe by another thread decodes from /proc/self/fd/N.
    @Test func pipeIsReadLikeAFile() throws {
        let png = try PNGEncoder.encode(Image(width: 3, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 250]))
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data(png))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let image = try ImageDecoder.decode(path: "/proc/self/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        #expect(image.samples == .uint8([0, 50, 100, 150, 200, 250]))
    }
}
