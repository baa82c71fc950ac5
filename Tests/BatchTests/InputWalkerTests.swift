import Foundation
import Testing
@testable import Batch

@Suite struct InputWalkerTests {
    /// in/ with nested folders, a hidden file and folder, a text file, a GIF and a fake .jpg.
    func makeTree() -> TestFolder {
        let folder = TestFolder()
        folder.write("in/b.png", Samples.png(seed: 1))
        folder.write("in/a.jpg", TinyJPEG.bytes)
        folder.write("in/sub/deeper/c.png", Samples.png(seed: 2))
        folder.write("in/sub/notes.txt", Array("hello".utf8))
        folder.write("in/sub/fake.jpg", Array("text, not a JPEG".utf8))
        folder.write("in/sub/anim.gif", Array("GIF89a".utf8) + [0, 0, 0, 0])
        folder.write("in/sub/noext", Samples.png(seed: 3))
        folder.write("in/.hidden.png", Samples.png(seed: 4))
        folder.write("in/.cache/d.png", Samples.png(seed: 5))
        return folder
    }

    @Test func walksRecursivelyInByteOrderByContent() {
        let folder = makeTree()
        let result = InputWalker().walk([folder.url("in")])
        #expect(result.inputs.map(\.relativePath) == ["a.jpg", "b.png", "sub/deeper/c.png", "sub/noext"])
        #expect(result.inputs.map(\.format) == [.jpeg, .png, .png, .png])
        #expect(result.inputs[2].path == folder.url("in/sub/deeper/c.png"))
        #expect(result.inputs[2].subfolder == "sub/deeper")
        #expect(result.notImages == [
            .init(path: folder.url("in/sub/anim.gif"), format: "GIF"),
            .init(path: folder.url("in/sub/fake.jpg"), format: nil),
            .init(path: folder.url("in/sub/notes.txt"), format: nil),
        ])
        #expect(result.failures.isEmpty)
    }

    @Test func explicitFilesAreCheckedAndNamedByFileName() {
        let folder = makeTree()
        let result = InputWalker().walk([
            folder.url("in/sub/deeper/c.png"), folder.url("in/sub/fake.jpg"), folder.url("in/sub/anim.gif"),
            folder.url("nothing-here"),
        ])
        #expect(result.inputs == [BatchInput(path: folder.url("in/sub/deeper/c.png"), relativePath: "c.png", format: .png)])
        #expect(result.failures == [
            BatchFailure(path: folder.url("in/sub/fake.jpg"), reason: "not an image (no PNG or JPEG signature)"),
            BatchFailure(path: folder.url("in/sub/anim.gif"), reason: "unsupported format (GIF); vis reads PNG and JPEG"),
            BatchFailure(path: folder.url("nothing-here"), reason: "no such file or folder"),
        ])
        #expect(result.notImages.isEmpty)
    }

    @Test func skipsTheOutputFolderInsideTheInput() {
        let folder = makeTree()
        folder.write("in/outputs/b_axial.png", Samples.png(seed: 6))
        // Spelled differently from the walk's paths: recognised by device and inode.
        let result = InputWalker(excluding: folder.url("in/sub/../outputs")).walk([folder.url("in")])
        #expect(!result.inputs.contains { $0.relativePath.hasPrefix("outputs/") })
        #expect(result.inputs.count == 4)
        let without = InputWalker().walk([folder.url("in")])
        #expect(without.inputs.map(\.relativePath).contains("outputs/b_axial.png"))
    }

    @Test func symlinksNeverLeaveTheTreeNorLoop() throws {
        let folder = makeTree()
        folder.write("elsewhere/e.png", Samples.png(seed: 7))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: folder.url("in/sub/loop"), withDestinationPath: folder.url("in"))
        try fm.createSymbolicLink(atPath: folder.url("in/out-of-tree"), withDestinationPath: folder.url("elsewhere"))
        try fm.createSymbolicLink(atPath: folder.url("in/alias"), withDestinationPath: folder.url("in/sub/deeper"))
        try fm.createSymbolicLink(atPath: folder.url("in/broken.png"), withDestinationPath: folder.url("gone.png"))
        let result = InputWalker().walk([folder.url("in")])
        // "alias" is walked before "sub" (byte order), so c.png is reached through it once.
        #expect(result.inputs.map(\.relativePath) == ["a.jpg", "alias/c.png", "b.png", "sub/noext"])
        #expect(result.failures.isEmpty)
    }

    @Test func eachFileOnceAcrossArguments() {
        let folder = makeTree()
        let result = InputWalker().walk([folder.url("in/sub"), folder.url("in"), folder.url("in/b.png")])
        #expect(result.inputs.map(\.relativePath) == ["deeper/c.png", "noext", "a.jpg", "b.png"])
    }
}
