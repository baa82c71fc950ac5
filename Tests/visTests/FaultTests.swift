import FileSystem
import Foundation
import ImageCodecs
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Faults while `vis` renders a folder, on the built binary: an output folder that cannot be
/// written or fills up, `kill -9` in the middle of a batch then `--resume`, and Ctrl-C.
/// After each, every output is either complete and valid or absent, no temporary is left
/// behind, and the other images are still rendered.
@Suite(.serialized) struct FaultTests {
    let fast = ["--mode", "coord", "--grid", "8"]

    /// `count` distinct 64×48 PNGs in `root/in` (some in a sub-folder).
    static func makeInputs(_ count: Int) throws -> String {
        let root = VisBinary.temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/in/sub", withIntermediateDirectories: true)
        for k in 0..<count {
            let (w, h) = (64, 48)
            var pixels = [UInt8](repeating: 0, count: w * h * 3)
            for y in 0..<h { for x in 0..<w {
                let i = (y * w + x) * 3
                pixels[i] = UInt8((x * 4 + k * 37) % 256); pixels[i + 1] = UInt8((y * 5 + k * 11) % 256)
                pixels[i + 2] = (x / 8 + y / 8 + k) % 2 == 0 ? 230 : 20
            } }
            let name = String(format: "%@/in/%@img%02d.png", root, k % 3 == 0 ? "sub/" : "", k)
            try PNGEncoder.write(Image(width: w, height: h, channels: 3, pixels: pixels), to: name)
        }
        return root
    }

    static func files(under folder: String) -> [String] {
        RenderCommandTests.files(under: folder)
    }

    /// Every file under `folder` is a finished output: no temporaries, and each PNG decodes.
    static func expectOnlyCompleteOutputs(in folder: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for file in files(under: folder) {
            #expect(!file.contains(AtomicFile.temporaryMarker), "temporary left: \(file)", sourceLocation: sourceLocation)
            if file.hasSuffix(".png") {
                #expect((try? ImageDecoder.decode(path: folder + "/" + file)) != nil, "\(file) does not decode", sourceLocation: sourceLocation)
            }
        }
    }

    /// The `<stem>_coord.png` outputs that exist.
    static func rendered(in folder: String) -> [String] { files(under: folder).filter { $0.hasSuffix("_coord.png") } }

    /// Runs `mount -t tmpfs -o OPTIONS tmpfs DIR` (root only); nil when not possible.
    static func mountTmpfs(_ options: String) -> String? {
        guard getuid() == 0 else { return nil }
        let dir = VisBinary.temporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", dir]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? dir : nil
    }

    static func unmount(_ dir: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [dir]
        try? process.run()
        process.waitUntilExit()
    }

    /// A path inside the output folder is taken by a regular file, so the sub-folder for
    /// `sub/` cannot be created (this works as root, where permissions do not stop writes):
    /// those images fail with a clear error, the others are rendered.
    @Test func blockedSubfolderFailsOnlyItsImages() throws {
        let root = try Self.makeInputs(6)
        try FileManager.default.createDirectory(atPath: root + "/out", withIntermediateDirectories: true)
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: root + "/out/sub"))
        let run = try VisBinary.run([root + "/in", "--out", root + "/out", "--quiet"] + fast)
        #expect(run.status == 1)
        #expect(run.error.contains("Not a directory") || run.error.contains("not a folder") || run.error.contains("File exists"), "\(run.error)")
        #expect(Self.rendered(in: root + "/out") == ["img01_coord.png", "img02_coord.png", "img04_coord.png", "img05_coord.png"])
        Self.expectOnlyCompleteOutputs(in: root + "/out")
    }

    /// A read-only file system (tmpfs mounted `ro`; chmod does not stop root): every image
    /// fails with the system's reason, nothing is written, the run ends with status 1.
    @Test func readOnlyOutputFolder() throws {
        guard let mount = Self.mountTmpfs("ro,size=64k") else {
            print("FaultTests.readOnlyOutputFolder: skipped (needs root and mount -t tmpfs)")
            return
        }
        defer { Self.unmount(mount) }
        let root = try Self.makeInputs(3)
        let run = try VisBinary.run([root + "/in", "--out", mount, "--quiet", "--json"] + fast)
        #expect(run.status == 1)
        #expect(run.error.contains("Read-only file system") || run.output.contains("Read-only file system"), "\(run.error)")
        #expect(run.output.contains("\"failed\":3"), "\(run.output)")
        #expect(Self.files(under: mount).isEmpty)
    }

    /// A 64 KB tmpfs fills up part-way: the images that fit are complete, the others fail
    /// with "No space left on device", and no partial or temporary file remains.
    @Test func fullOutputFolder() throws {
        guard let mount = Self.mountTmpfs("size=64k") else {
            print("FaultTests.fullOutputFolder: skipped (needs root and mount -t tmpfs)")
            return
        }
        defer { Self.unmount(mount) }
        let root = try Self.makeInputs(12)
        let run = try VisBinary.run([root + "/in", "--out", mount, "--json", "--quiet"] + fast)
        let done = Self.rendered(in: mount).count
        print("full tmpfs: \(done) of 12 rendered; \(Self.files(under: mount).count) files")
        #expect(run.status == 1)
        #expect(run.error.contains("No space left on device") || run.output.contains("No space left on device"), "\(run.error)")
        #expect(done >= 1 && done < 12)
        #expect(run.output.contains("\"done\":\(done)"), "\(run.output)")
        Self.expectOnlyCompleteOutputs(in: mount)
    }

    /// `kill -9` once the first output exists: the outputs present are complete (atomic
    /// renames), a temporary may remain; `--resume` sweeps it, renders the rest, and every
    /// image ends up rendered exactly as a clean run renders it.
    @Test func killNineThenResume() throws {
        let root = try Self.makeInputs(12)
        let out = root + "/out"
        let killed = try ChildProcess.run([root + "/in", "--out", out, "--quiet", "--jobs", "1"] + fast, signal: SIGKILL,
                                          signalWhen: { !Self.rendered(in: out).isEmpty })
        #expect(killed.signal == SIGKILL)
        let afterKill = Self.rendered(in: out)
        print("kill -9: \(afterKill.count) of 12 rendered before the kill")
        for file in Self.files(under: out) where !file.contains(AtomicFile.temporaryMarker) && file.hasSuffix(".png") {
            #expect((try? ImageDecoder.decode(path: out + "/" + file)) != nil, "\(file) is not a complete PNG")
        }
        let resumed = try VisBinary.run([root + "/in", "--out", out, "--resume", "--json", "--quiet"] + fast)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(Self.rendered(in: out).count == 12)
        Self.expectOnlyCompleteOutputs(in: out)
        // The same bytes as an uninterrupted run.
        let clean = root + "/clean"
        #expect(try VisBinary.run([root + "/in", "--out", clean, "--quiet"] + fast).status == 0)
        for file in Self.rendered(in: clean) {
            #expect(FileManager.default.contentsEqual(atPath: out + "/" + file, andPath: clean + "/" + file), "\(file) differs")
        }
    }

    /// Ctrl-C (SIGINT) in the middle: the run stops starting images, exits 130, removes its
    /// temporaries; what exists is complete, and `--resume` finishes the rest.
    @Test func interruptStopsCleanly() throws {
        let root = try Self.makeInputs(12)
        let out = root + "/out"
        let stopped = try ChildProcess.run([root + "/in", "--out", out, "--quiet", "--jobs", "1"] + fast, signal: SIGINT,
                                           signalWhen: { !Self.rendered(in: out).isEmpty })
        print("SIGINT: exit \(stopped.status.map(String.init) ?? "signal"), \(Self.rendered(in: out).count) of 12 rendered")
        #expect(stopped.status == 130, "\(stopped.error)")
        #expect(Self.rendered(in: out).count < 12)
        Self.expectOnlyCompleteOutputs(in: out)
        let resumed = try VisBinary.run([root + "/in", "--out", out, "--resume", "--quiet"] + fast)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(Self.rendered(in: out).count == 12)
        Self.expectOnlyCompleteOutputs(in: out)
    }
}
