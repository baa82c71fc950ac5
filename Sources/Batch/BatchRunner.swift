import FileSystem
import Dispatch
import Synchronization

/// Runs the jobs of a batch in parallel, each image isolated from the others.
///
/// - Bounded parallelism: `workers` threads (one serial dispatch queue each), each taking the
///   next job (or the next group of jobs, rendered together) from a shared counter, so at
///   most `workers` images (groups) are in memory at once.
/// - Failure isolation: anything `render` throws becomes a `BatchFailure` for that image
///   (`String(describing:)` of the error) and the other images go on; the failed image's
///   temporaries are removed. A renderer that returns without writing one of `job.outputs`
///   fails too, so `--resume` never mistakes it for done. (A crash, e.g. a failed
///   precondition, still ends the process: only thrown errors are isolated.)
/// - Resume: with `resume`, a job whose outputs and companions are all complete
///   (`CompletenessCheck`) is skipped; an incomplete one is rendered again and its output replaced atomically.
/// - Temporaries: before starting, stale temporaries are swept from the output folders
///   (`StaleTemporaries.sweep`, see there for `checksProcesses`).
/// - Interruption: with `handlesInterrupts`, SIGINT (Ctrl-C) stops the start of new jobs;
///   running ones finish, this process's temporaries are removed and the summary says
///   `interrupted` (exit status 130). A second SIGINT exits at once. `cancel()` does the same
///   programmatically.
public final class BatchRunner: Sendable {
    /// The renderer: writes every path of `job.outputs` (atomically) and returns the paths
    /// it wrote; throws to report a failure of this image.
    public typealias Render<Output: BatchOutput> = @Sendable (BatchJob<Output>) throws -> [String]
    /// The renderer of several images taken together (through a network in one pass): one
    /// result per job, in order: the paths written, or the error of that image alone.
    public typealias RenderGroup<Output: BatchOutput> = @Sendable ([BatchJob<Output>]) -> [Result<[String], any Error>]

    public let workers: Int
    public let resume: Bool
    public let handlesInterrupts: Bool
    public let sweepsStaleTemporaries: Bool
    public let checksProcesses: Bool
    public let progress: ProgressReporter?
    private let cancelled = Atomic<Bool>(false)

    /// - Parameters:
    ///   - workers: images rendered at once (default: the processors available).
    ///   - resume: skip jobs whose outputs are all complete.
    ///   - handlesInterrupts: install the SIGINT handler for the duration of `run`.
    ///   - sweepsStaleTemporaries / checksProcesses: see `StaleTemporaries.sweep`; pass
    ///     `checksProcesses: false` when other machines write the same output folder.
    ///   - progress: told about every finished job; `nil` for none.
    public init(workers: Int = Parallelism.availableProcessors, resume: Bool = false,
                handlesInterrupts: Bool = true, sweepsStaleTemporaries: Bool = true,
                checksProcesses: Bool = true, progress: ProgressReporter? = nil) {
        precondition(workers >= 1, "BatchRunner needs at least one worker, got \(workers)")
        self.workers = workers
        self.resume = resume
        self.handlesInterrupts = handlesInterrupts
        self.sweepsStaleTemporaries = sweepsStaleTemporaries
        self.checksProcesses = checksProcesses
        self.progress = progress
    }

    /// Stops starting new jobs (as SIGINT does); safe from any thread, also from `render`.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    private enum Outcome: Sendable {
        case done
        case skipped
        case failed(BatchFailure)
    }

    /// Runs `jobs` and returns the summary (walk results are added by the caller with
    /// `BatchSummary.include`). Blocks until every started job has finished.
    public func run<Output>(_ jobs: [BatchJob<Output>], render: @escaping Render<Output>) -> BatchSummary {
        run(jobs, groupSize: 1) { group in group.map { job in Result { try render(job) } } }
    }

    /// Runs `jobs` as ``run(_:render:)`` does, each worker taking the next `groupSize` jobs at
    /// once and rendering together those not skipped. Resume, failures, temporaries and
    /// progress stay per job: one image's error fails that image alone.
    public func run<Output>(_ jobs: [BatchJob<Output>], groupSize: Int,
                            renderGroup: @escaping RenderGroup<Output>) -> BatchSummary {
        precondition(groupSize >= 1, "a group holds at least one job, got \(groupSize)")
        let started = Clock.monotonic()
        if sweepsStaleTemporaries {
            StaleTemporaries.sweep(folders: jobs.map(\.outputFolder), startedAt: Clock.now(),
                                   checkProcesses: checksProcesses)
        }
        if handlesInterrupts { InterruptSignal.install() }
        defer { if handlesInterrupts { InterruptSignal.uninstall() } }
        let interruptsBefore = InterruptSignal.count

        let next = Atomic<Int>(0)
        let outcomes = Mutex<[Outcome?]>(Array(repeating: nil, count: jobs.count))
        let stopping: @Sendable () -> Bool = { [self] in
            if cancelled.load(ordering: .acquiring) { return true }
            return handlesInterrupts && InterruptSignal.count > interruptsBefore
        }
        let group = DispatchGroup()
        for worker in 0..<min(workers, max(jobs.count, 1)) {
            DispatchQueue(label: "vis.batch.worker-\(worker)").async(group: group) { [self] in
                while !stopping() {
                    guard let claimed = claim(next, of: jobs.count, groupSize: groupSize) else { break }
                    for (index, outcome) in process(jobs, claimed, render: renderGroup) {
                        outcomes.withLock { $0[index] = outcome }
                        if case .skipped = outcome { progress?.advance(skipped: true) } else { progress?.advance() }
                    }
                }
            }
        }
        group.wait()
        progress?.finish()

        let interrupted = stopping()
        let results = outcomes.withLock { $0 }
        if interrupted {
            let startedOutputs = zip(jobs, results).filter { $0.1 != nil }.flatMap { $0.0.outputs + $0.0.companionOutputs }
            StaleTemporaries.removeOwn(for: startedOutputs)
        }
        var summary = BatchSummary(interrupted: interrupted)
        for outcome in results {
            switch outcome {
            case .done: summary.done += 1
            case .skipped: summary.skipped += 1
            case .failed(let failure): summary.failures.append(failure)
            case nil: summary.notStarted += 1
            }
        }
        summary.elapsedSeconds = Clock.monotonic() - started
        return summary
    }

    /// The next jobs a worker takes from `counter`: `groupSize` of them, fewer near the end so
    /// that the last ones are shared among the workers instead of left to one; nil when none
    /// are left.
    private func claim(_ counter: borrowing Atomic<Int>, of count: Int, groupSize: Int) -> Range<Int>? {
        var first = counter.load(ordering: .relaxed)
        while first < count {
            let size = min(groupSize, max(1, (count - first) / workers))
            let (exchanged, original) = counter.compareExchange(expected: first, desired: first + size, ordering: .relaxed)
            if exchanged { return first..<(first + size) }
            first = original
        }
        return nil
    }

    /// The outcomes of `jobs[indices]`: those complete under `resume` skipped, the others
    /// rendered together.
    private func process<Output>(_ jobs: [BatchJob<Output>], _ indices: Range<Int>,
                                 render: RenderGroup<Output>) -> [(Int, Outcome)] {
        var outcomes: [(Int, Outcome)] = []
        var toRender: [Int] = []
        for index in indices {
            let job = jobs[index]
            if resume && CompletenessCheck.allComplete(job.outputs + job.companionOutputs) {
                outcomes.append((index, .skipped))
                continue
            }
            do {
                try Folder.make(job.outputFolder)
                toRender.append(index)
            } catch {
                outcomes.append((index, failed(job, error)))
            }
        }
        guard !toRender.isEmpty else { return outcomes }
        let results = render(toRender.map { jobs[$0] })
        precondition(results.count == toRender.count, "a group renderer returned \(results.count) results for \(toRender.count) jobs")
        for (index, result) in zip(toRender, results) {
            let job = jobs[index]
            switch result {
            case .success(let written):
                if let missing = job.outputs.first(where: { FileStatus.of($0) == nil }) {
                    StaleTemporaries.removeOwn(for: job.outputs + job.companionOutputs + written)
                    outcomes.append((index, .failed(BatchFailure(path: job.input.path,
                                                                 reason: "the renderer finished without writing \(missing)"))))
                } else {
                    outcomes.append((index, .done))
                }
            case .failure(let error):
                outcomes.append((index, failed(job, error)))
            }
        }
        return outcomes.sorted { $0.0 < $1.0 }
    }

    /// A failed job, its temporaries removed.
    private func failed<Output>(_ job: BatchJob<Output>, _ error: any Error) -> Outcome {
        StaleTemporaries.removeOwn(for: job.outputs + job.companionOutputs)
        return .failed(BatchFailure(path: job.input.path, error: error))
    }
}
