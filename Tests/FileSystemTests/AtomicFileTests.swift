import Foundation
import Testing
import FileSystem

@Suite struct AtomicFileTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "vis-filesystem-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func parsesOnlyTheMarkerPattern() {
        #expect(TemporaryName(parsing: ".a_axial.png.vis-tmp-1234-987654")
                == TemporaryName(target: "a_axial.png", processID: 1234))
        #expect(TemporaryName(parsing: ".x.vis-tmp-y.png.vis-tmp-7-1")?.target == "x.vis-tmp-y.png")
        for name in ["a_axial.png", ".a_axial.png", "a.png.vis-tmp-12-3", ".a.png.vis-tmp-12", ".a.png.vis-tmp-12-",
                     ".a.png.vis-tmp--3", ".a.png.vis-tmp-x-3", ".a.png.vis-tmp-12-3-4", "..vis-tmp-12-3",
                     ".a.png.vis-tmp-0-3", ".a.png.vis-tmp-12-3.png",
                     ".a.safetensors.tmp-12-3"] {   // the marker TensorCore's own writer used to leave
            #expect(TemporaryName(parsing: name) == nil, "\(name)")
        }
    }

    /// The temporary an atomic write makes while it runs is exactly what the sweep parses:
    /// this writer's PID and the target's name (the batch's sweep once missed TensorCore's).
    @Test func temporaryWhileWritingParsesAsThisProcesssTarget() throws {
        let folder = Self.folder()
        let target = folder + "/weights.safetensors"
        var seen: [String] = []
        try AtomicFile.write(to: target, as: { $0 }) { (fd) throws(FileSystemError) in
            seen = (try? Folder.entries(of: folder)) ?? []
            try [UInt8]("abc".utf8).withUnsafeBytes { raw in
                Result { () throws(FileSystemError) in try AtomicFile.writeAll(fd, raw, path: target) }
            }.get()
        }
        #expect(seen.count == 1)
        #expect(seen.compactMap(TemporaryName.init(parsing:)) == [TemporaryName(target: "weights.safetensors", processID: getpid())])
        #expect(try Folder.entries(of: folder) == ["weights.safetensors"])
        #expect(try WholeFile.read(path: target) == Array("abc".utf8))
    }

    @Test func failedBodyLeavesNoTemporaryAndNoTarget() throws {
        struct Refused: Error {}
        let folder = Self.folder()
        #expect(throws: Refused.self) {
            try AtomicFile.write(to: folder + "/out.png", as: { _ in Refused() }) { (_: Int32) throws(Refused) in throw Refused() }
        }
        #expect(try Folder.entries(of: folder).isEmpty)
    }

    @Test func writeIntoMissingFolderNamesTheTarget() {
        let path = Self.folder() + "/no/such/out.png"
        #expect {
            try AtomicFile.write([1, 2, 3], to: path)
        } throws: { error in
            guard let error = error as? FileSystemError else { return false }
            return error.kind == .writeFailed && error.path == path && error.operation.hasPrefix("create ")
                && error.message == "No such file or directory"
        }
    }
}
