import Foundation
import ImageCodecs
import Synchronization
import Testing
@testable import Batch

@Suite struct BatchRunnerTests {
    static let modes = ["axial", "coord"]

    /// in/ with good images in nested folders, two colliding names, a non-image, a text file
    /// named .jpg, and two corrupt images; the output folder lies inside the input.
    func makeTree() -> TestFolder {
        let folder = TestFolder()
        folder.write("in/top.png", Samples.png(seed: 1))
        folder.write("in/a.jpg", TinyJPEG.bytes)
        folder.write("in/a.png", Samples.png(seed: 2))
        folder.write("in/sub/deeper/c.png", Samples.png(seed: 3))
        folder.write("in/sub/notes.txt", Array("not an image".utf8))
        folder.write("in/sub/fake.jpg", Array("plain text named .jpg".utf8))
        folder.write("in/bad/truncated.png", Samples.truncatedPNG())
        folder.write("in/bad/corrupt.jpg", Samples.corruptJPEG)
        return folder
    }

    static let expectedOutputs = [
        "a.png_axial.png", "a.png_coord.png", "a_axial.png", "a_coord.png",
        "sub/deeper/c_axial.png", "sub/deeper/c_coord.png", "top_axial.png", "top_coord.png",
    ]

    /// Walk, plan, shard and run as the command line does; records which inputs were rendered.
    func run(_ folder: TestFolder, shard: Shard = .all, resume: Bool = false, workers: Int = 2,
             rendered: Recorder? = nil) -> BatchSummary {
        let out = folder.url("in/outputs")
        let walk = InputWalker(excluding: out).walk([folder.url("in")])
        let jobs = shard.select(OutputLayout(root: out).plan(walk.inputs, modes: Self.modes))
        let runner = BatchRunner(workers: workers, resume: resume, handlesInterrupts: false)
        var summary = runner.run(jobs) { job in
            rendered?.append(job.input.relativePath)
            return try testRender(job)
        }
        summary.include(walk)
        return summary
    }

    @Test func processesGoodImagesAndListsBadOnes() throws {
        let folder = makeTree()
        let summary = run(folder)
        #expect(summary.done == 4 && summary.skipped == 0 && summary.exitCode == 1)
        #expect(summary.failures.map(\.path) == [folder.url("in/bad/corrupt.jpg"), folder.url("in/bad/truncated.png")])
        // The codec's own reasons, without the path repeated.
        #expect(summary.failures.first?.reason.hasPrefix("corrupt image: ") == true, "\(summary.failures)")
        #expect(summary.failures.last?.reason.hasPrefix("truncated image: ") == true, "\(summary.failures)")
        #expect(summary.notImages.map(\.path) == [folder.url("in/sub/fake.jpg")])
        #expect(summary.skippedNonImages == [folder.url("in/sub/notes.txt")])
        // Exactly the good images' outputs: nothing for the bad ones, no temporaries.
        #expect(folder.allFiles(under: "in/outputs") == Self.expectedOutputs)
        for output in Self.expectedOutputs {
            #expect(CompletenessCheck.check(folder.url("in/outputs/" + output)) == .complete, "\(output)")
        }
        // Each output holds the first sample of its own input (collisions kept apart).
        func firstSample(_ output: String) throws -> UInt8 {
            try ImageDecoder.decode(path: folder.url("in/outputs/" + output)).uint8Samples[0]
        }
        #expect(try firstSample("a.png_axial.png") == 2 * 31)
        #expect(try firstSample("top_coord.png") == 31)
        #expect(try firstSample("a_axial.png") == ImageDecoder.decode(bytes: TinyJPEG.bytes, name: "jpeg").uint8Samples[0])
    }

    @Test func resumeRendersNothingNewAndRedoesIncompleteOutputs() throws {
        let folder = makeTree()
        _ = run(folder)
        let rendered = Recorder()
        let again = run(folder, resume: true, rendered: rendered)
        // Only the two bad images are tried again (and fail again).
        #expect(rendered.all.sorted() == ["bad/corrupt.jpg", "bad/truncated.png"])
        #expect(again.done == 0 && again.skipped == 4 && again.failed == 2 && again.exitCode == 1)

        // A cut-off output and a missing one make their images render again.
        let cut = folder.url("in/outputs/top_coord.png")
        let whole = folder.bytes("in/outputs/top_coord.png")
        _ = FileManager.default.createFile(atPath: cut, contents: Data(whole.prefix(whole.count - 5)))
        try FileManager.default.removeItem(atPath: folder.url("in/outputs/sub/deeper/c_axial.png"))
        rendered.clear()
        let third = run(folder, resume: true, rendered: rendered)
        #expect(rendered.all.sorted() == ["bad/corrupt.jpg", "bad/truncated.png", "sub/deeper/c.png", "top.png"])
        #expect(third.done == 2 && third.skipped == 2)
        #expect(folder.bytes("in/outputs/top_coord.png") == whole)
        #expect(folder.allFiles(under: "in/outputs") == Self.expectedOutputs)
    }

    @Test func twoShardsCoverEveryImageOnce() {
        let folder = makeTree()
        let first = Recorder(), second = Recorder()
        let a = run(folder, shard: try! Shard(parsing: "1/2"), rendered: first)
        let b = run(folder, shard: try! Shard(parsing: "2/2"), rendered: second)
        let one = Set(first.all), two = Set(second.all)
        #expect(one.isDisjoint(with: two))
        #expect(one.union(two) == ["a.jpg", "a.png", "top.png", "sub/deeper/c.png", "bad/corrupt.jpg", "bad/truncated.png"])
        #expect(a.done + b.done == 4)
        #expect(folder.allFiles(under: "in/outputs") == Self.expectedOutputs)
    }

    @Test func failuresAreIsolatedAndLeaveNoTemporaries() {
        struct RenderFailure: Error, CustomStringConvertible { var description: String { "model exploded" } }
        let folder = TestFolder()
        let inputs = (0..<6).map { i in
            BatchInput(path: folder.write("in/img\(i).png", Samples.png(seed: i)), relativePath: "img\(i).png", format: .png)
        }
        let jobs = OutputLayout(root: folder.url("out")).plan(inputs, modes: ["self"])
        let summary = BatchRunner(workers: 3, handlesInterrupts: false).run(jobs) { job in
            switch job.input.relativePath {
            case "img1.png":
                // Half-written temporary, as a write cut short would leave, then a failure.
                let name = (job.outputs[0] as NSString).lastPathComponent
                _ = FileManager.default.createFile(atPath: job.outputFolder + "/.\(name).vis-tmp-\(getpid())-42",
                                               contents: Data([0x89, 0x50]))
                throw RenderFailure()
            case "img4.png":
                return []   // claims success, writes nothing
            default:
                return try testRender(job)
            }
        }
        #expect(summary.done == 4)
        #expect(summary.failures == [
            BatchFailure(path: inputs[1].path, reason: "model exploded"),
            BatchFailure(path: inputs[4].path, reason: "the renderer finished without writing \(folder.url("out/img4_self.png"))"),
        ])
        #expect(folder.allFiles(under: "out") == ["img0_self.png", "img2_self.png", "img3_self.png", "img5_self.png"])
    }

    /// Groups: each worker renders up to `groupSize` consecutive jobs together (fewer near the
    /// end, so that the last are shared among the workers); complete ones
    /// are skipped under resume and never reach the renderer; one image's error fails that
    /// image alone, and a group member that claims success without writing fails too.
    @Test func groupsRenderTogetherWithOutcomesPerImage() {
        struct RenderFailure: Error, CustomStringConvertible { var description: String { "model exploded" } }
        let folder = TestFolder()
        let jobs = numberedJobs(folder, count: 7)
        // Complete before the run: skipped under resume.
        try? FileManager.default.createDirectory(atPath: jobs[2].outputFolder, withIntermediateDirectories: true)
        _ = try? testRender(jobs[2])
        let groups = Mutex<[[String]]>([])
        let summary = BatchRunner(workers: 2, resume: true, handlesInterrupts: false).run(jobs, groupSize: 3) { group in
            groups.withLock { $0.append(group.map(\.input.relativePath)) }
            return group.map { job in
                switch job.input.relativePath {
                case "img4.png": return .failure(RenderFailure())
                case "img5.png": return .success([])
                default: return Result { try testRender(job) }
                }
            }
        }
        #expect(summary.done == 4 && summary.skipped == 1)
        #expect(summary.failures.map(\.path) == [jobs[4].input.path, jobs[5].input.path])
        #expect(summary.failures.first?.reason == "model exploded")
        let seen = groups.withLock { $0 }.sorted { $0[0] < $1[0] }
        // Claims of 3, then smaller as the end nears (4 left for 2 workers: 2; then 1 and 1).
        #expect(seen == [["img0.png", "img1.png"], ["img3.png", "img4.png"], ["img5.png"], ["img6.png"]])
        #expect(folder.allFiles(under: "out") == ["img0_glimpse.png", "img1_glimpse.png", "img2_glimpse.png",
                                                  "img3_glimpse.png", "img6_glimpse.png"])
    }

    @Test(arguments: [1, 2, 3])
    func neverMoreThanWorkersAtOnce(workers: Int) {
        let folder = TestFolder()
        let inputs = (0..<9).map { i in
            BatchInput(path: folder.write("in/img\(i).png", Samples.png(seed: i)), relativePath: "img\(i).png", format: .png)
        }
        let jobs = OutputLayout(root: folder.url("out")).plan(inputs, modes: ["patch"])
        let counts = Mutex<(now: Int, peak: Int)>((0, 0))
        let summary = BatchRunner(workers: workers, handlesInterrupts: false).run(jobs) { job in
            counts.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            defer { counts.withLock { $0.now -= 1 } }
            usleep(20_000)
            return try testRender(job)
        }
        #expect(summary.done == 9 && summary.exitCode == 0)
        #expect(counts.withLock { $0.peak } <= workers)
    }

    func numberedJobs(_ folder: TestFolder, count: Int) -> [BatchJob<String>] {
        let inputs = (0..<count).map { i in
            BatchInput(path: folder.write("in/img\(i).png", Samples.png(seed: i)), relativePath: "img\(i).png", format: .png)
        }
        return OutputLayout(root: folder.url("out")).plan(inputs, modes: ["glimpse"])
    }

    @Test func cancelStopsStartingJobs() {
        let folder = TestFolder()
        let jobs = numberedJobs(folder, count: 5)
        let runner = BatchRunner(workers: 1, handlesInterrupts: false)
        let summary = runner.run(jobs) { job in
            runner.cancel()
            return try testRender(job)
        }
        #expect(summary.done == 1 && summary.notStarted == 4 && summary.interrupted)
        #expect(summary.exitCode == 130)
        #expect(folder.allFiles(under: "out") == ["img0_glimpse.png"])
    }

    @Test func sigintStopsStartingJobs() {
        let folder = TestFolder()
        let jobs = numberedJobs(folder, count: 4)
        let summary = BatchRunner(workers: 1, handlesInterrupts: true).run(jobs) { job in
            if job.input.relativePath == "img1.png" {
                // The kernel may run the handler on another thread a moment later: wait for it,
                // as a real Ctrl-C arrives independently of the jobs anyway.
                let before = InterruptSignal.count
                kill(getpid(), SIGINT)
                while InterruptSignal.count == before { usleep(1_000) }
            }
            return try testRender(job)
        }
        #expect(summary.done == 2 && summary.notStarted == 2 && summary.interrupted && summary.exitCode == 130)
        #expect(folder.allFiles(under: "out") == ["img0_glimpse.png", "img1_glimpse.png"])
    }

    @Test func sweepsStaleTemporariesBeforeStarting() throws {
        let folder = TestFolder()
        let jobs = numberedJobs(folder, count: 1)
        folder.makeFolder("out")
        let stale = folder.write("out/.img0_glimpse.png.vis-tmp-\(getpid())-3", [0x89])
        _ = BatchRunner(workers: 1, handlesInterrupts: false).run(jobs, render: testRender)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(folder.allFiles(under: "out") == ["img0_glimpse.png"])
    }

    @Test func parallelismSplitsCoresBetweenWorkersAndBLAS() {
        #expect(Parallelism.plan(jobs: 100, processors: 8) == Parallelism(workers: 8, blasThreads: 1))
        #expect(Parallelism.plan(jobs: 2, processors: 8) == Parallelism(workers: 2, blasThreads: 4))
        #expect(Parallelism.plan(jobs: 1, processors: 8) == Parallelism(workers: 1, blasThreads: 8))
        #expect(Parallelism.plan(jobs: 100, requestedWorkers: 3, processors: 8) == Parallelism(workers: 3, blasThreads: 2))
        #expect(Parallelism.plan(jobs: 0, processors: 4) == Parallelism(workers: 1, blasThreads: 4))
        #expect(Parallelism.availableProcessors >= 1)
        #expect(Parallelism.availableProcessors <= sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
