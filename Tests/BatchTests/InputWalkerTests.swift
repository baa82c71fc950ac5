import Foundation
import Testing
@testable import Batch

@Suite struct InputWalkerTests {
    /// in/ with nested folders, a hidden file and folder, a text file, a GIF, a fake .jpg and
    /// a PNG without an extension.
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
        // Reported: an image vis does not read, and text named like an image; skipped silently:
        // text named like text.
        #expect(result.notImages == [
            .init(path: folder.url("in/sub/anim.gif"), format: "GIF"),
            .init(path: folder.url("in/sub/fake.jpg"), format: nil),
        ])
        #expect(result.skippedNonImages == [folder.url("in/sub/notes.txt")])
        #expect(result.failures.isEmpty)
    }

    /// Which non-images are worth a word: the name's last extension, in any case, decides;
    /// a GIF is reported whatever its name (its content says it is an image). Images are still
    /// found by content whatever their names.
    @Test func nonImagesAreReportedWhenNamedLikeImages() {
        let folder = TestFolder()
        for name in ["SAMPLES-LICENSE.md", "README.txt", "Makefile", "notes.png.txt", "archive.tar.gz", "photo.JPG",
                     "scan.tiff", "x.WebP", "logo.svg"] {
            folder.write("in/" + name, Array("plain text".utf8))
        }
        folder.write("in/clip.txt", Array("GIF89a".utf8) + [0, 0, 0, 0])
        folder.write("in/png-named.jpg", Samples.png(seed: 8))
        folder.write("in/jpeg.dat", TinyJPEG.bytes)
        let result = InputWalker().walk([folder.url("in")])
        #expect(result.inputs.map(\.relativePath) == ["jpeg.dat", "png-named.jpg"])
        #expect(result.inputs.map(\.format) == [.jpeg, .png])
        #expect(result.failures.isEmpty)
        #expect(result.notImages.map(\.path) == ["clip.txt", "logo.svg", "photo.JPG", "scan.tiff", "x.WebP"].map { folder.url("in/" + $0) })
        #expect(result.notImages.first?.format == "GIF")
        #expect(result.skippedNonImages == ["Makefile", "README.txt", "SAMPLES-LICENSE.md", "archive.tar.gz", "notes.png.txt"]
            .map { folder.url("in/" + $0) })
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
