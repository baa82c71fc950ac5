import Foundation
import Testing
@testable import TensorCore

/// Reading and atomically writing real files.
struct SafetensorsFileSystemTests {
    @Test func nonexistentPathIsUnreadable() {
        let path = Fixtures.temporaryDirectory() + "/absent.safetensors"
        #expect(throws: SafetensorsError.unreadable(file: path, reason: "No such file or directory")) {
            try SafetensorsFile.read(path: path)
        }
    }

    @Test func directoryIsRejected() {
        let path = Fixtures.temporaryDirectory()
        #expect(throws: SafetensorsError.isDirectory(file: path)) { try SafetensorsFile.read(path: path) }
    }

    @Test func zeroByteFileIsEmpty() {
        let path = Fixtures.temporaryDirectory() + "/zero.safetensors"
        Fixtures.write(Data(), to: path)
        #expect(throws: SafetensorsError.emptyFile(file: path)) { try SafetensorsFile.read(path: path) }
    }

    /// Root reads a chmod 000 file, so this runs only for other users; the nonexistent-path
    /// test covers open failures for everyone.
    @Test(.enabled(if: getuid() != 0)) func unreadableFileWhenNotRoot() throws {
        let path = Fixtures.temporaryDirectory() + "/locked.safetensors"
        Fixtures.write(Data([1, 2, 3, 4, 5, 6, 7, 8]), to: path)
        chmod(path, 0)
        #expect(throws: SafetensorsError.unreadable(file: path, reason: "Permission denied")) {
            try SafetensorsFile.read(path: path)
        }
    }

    @Test func truncatedFilesAreRejected() throws {
        let source = Fixtures.path("safetensors/torch_mixed.safetensors")
        let bytes = try #require(FileManager.default.contents(atPath: source))
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let folder = Fixtures.temporaryDirectory()

        let short = folder + "/short.safetensors"
        Fixtures.write(bytes.prefix(6), to: short)
        #expect(throws: SafetensorsError.tooShort(file: short, size: 6)) { try SafetensorsFile.read(path: short) }

        let inHeader = folder + "/in-header.safetensors"
        Fixtures.write(bytes.prefix(100), to: inHeader)
        #expect(throws: SafetensorsError.headerBeyondFile(file: inHeader, headerLength: UInt64(headerLength), available: 92)) {
            try SafetensorsFile.read(path: inHeader)
        }

        // Cut inside the data section: the last tensor's offsets now run past the end.
        let inData = folder + "/in-data.safetensors"
        Fixtures.write(bytes.prefix(bytes.count - 1), to: inData)
        #expect {
            try SafetensorsFile.read(path: inData)
        } throws: { error in
            guard case let .offsetsOutOfRange(file, _, _, end, dataLength) = error as? SafetensorsError else { return false }
            return file == inData && end == dataLength + 1
        }
    }

    @Test func writeIsAtomicAndReadable() throws {
        let folder = Fixtures.temporaryDirectory()
        let path = folder + "/model.safetensors"
        Fixtures.write(Data("old contents".utf8), to: path)
        var writer = SafetensorsWriter(metadata: ["module": "self_attention", "num_heads": "3"])
        let weight = Tensor(shape: [2, 2], storage: [1, -2, 3.5, 0.25])
        writer.add(name: "proj.weight", tensor: weight)
        try writer.write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
        let file = try SafetensorsFile.read(path: path)
        #expect(try file.tensor("proj.weight") == weight)
        #expect(file.metadata["num_heads"] == "3")
        #expect(try [UInt8](#require(FileManager.default.contents(atPath: path))) == writer.serialized())
    }

    @Test func writeIntoMissingFolderFails() throws {
        let path = Fixtures.temporaryDirectory() + "/no/such/folder/out.safetensors"
        var writer = SafetensorsWriter()
        writer.add(name: "x", tensor: Tensor(shape: [1], storage: [1]))
        #expect {
            try writer.write(to: path)
        } throws: { error in
            guard case let .writeFailed(failedPath, operation, reason) = error as? SafetensorsError else { return false }
            return failedPath == path && operation.hasPrefix("create") && reason == "No such file or directory"
        }
    }
}
