import Foundation
import Testing
import FileSystem

@Suite struct FolderTests {
    @Test func makeCreatesParentsOnceAndRefusesAFileInTheWay() throws {
        let root = AtomicFileTests.folder()
        try Folder.make(root + "/a/b/c")
        #expect(FileKind.of(root + "/a/b/c") == .directory)
        try Folder.make(root + "/a/b/c")   // already there: nothing to do
        try AtomicFile.write([0], to: root + "/a/file")
        #expect {
            try Folder.make(root + "/a/file/d")
        } throws: { error in
            (error as? FileSystemError).map { $0.kind == .writeFailed && $0.path == root + "/a/file" && $0.code == ENOTDIR } ?? false
        }
    }

    @Test func entriesAreSortedByUTF8Bytes() throws {
        let root = AtomicFileTests.folder()
        for name in ["b", "B", "é", "a"] { try AtomicFile.write([0], to: root + "/" + name) }
        #expect(try Folder.entries(of: root) == ["B", "a", "b", "é"])
        #expect(throws: FileSystemError.self) { try Folder.entries(of: root + "/missing") }
    }

    @Test func splitAndJoin() {
        #expect(Folder.split("a/b.png") == ("a", "b.png"))
        #expect(Folder.split("b.png") == (".", "b.png"))
        #expect(Folder.split("/b.png") == ("/", "b.png"))
        #expect(Folder.join("a/", "b") == "a/b" && Folder.join("a", "b") == "a/b" && Folder.join("", "b") == "b")
    }

    @Test func kindsFollowOrDescribeLinks() throws {
        let root = AtomicFileTests.folder()
        try AtomicFile.write([0], to: root + "/file")
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/file")
        #expect(FileKind.of(root + "/link") == .regularFile)
        #expect(FileKind.of(root + "/link", followingSymlinks: false) == .symlink)
        #expect(FileKind.of(root + "/nothing") == .missing)
        #expect(FileKind.of("/dev/null") == .other)
    }

    @Test func wholeFileReadsTheLimitAndNamesEachFailure() throws {
        let root = AtomicFileTests.folder()
        try AtomicFile.write(Array(0..<10), to: root + "/ten")
        #expect(try WholeFile.read(path: root + "/ten", limit: 4) == [0, 1, 2, 3])
        try AtomicFile.write([], to: root + "/empty")
        func kind(_ path: String) -> FileSystemError.Kind? {
            do { _ = try WholeFile.read(path: path); return nil } catch { return error.kind }
        }
        #expect(kind(root + "/empty") == .empty)
        #expect(kind(root + "/missing") == .notFound)
        #expect(kind(root) == .isDirectory)
        #expect(kind("/dev/zero") == .unreadable)
    }
}
