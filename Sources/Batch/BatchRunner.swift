import FileSystem
import Dispatch
import Synchronization

/// Runs the jobs of a batch in parallel, each image isolated from the others.
///
/// - Bounded parallelism: `workers` threads (one serial dispatch queue each), each taking the
///   next job from a shared counter, so at most `workers` images are in memory at once.
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
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < jobs.count else { break }
                    let outcome = process(jobs[index], render: render)
                    outcomes.withLock { $0[index] = outcome }
                    if case .skipped = outcome { progress?.advance(skipped: true) } else { progress?.advance() }
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

    private func process<Output>(_ job: BatchJob<Output>, render: Render<Output>) -> Outcome {
        if resume && CompletenessCheck.allComplete(job.outputs + job.companionOutputs) { return .skipped }
        do {
            try Folder.make(job.outputFolder)
            let written = try render(job)
            if let missing = job.outputs.first(where: { FileStatus.of($0) == nil }) {
                StaleTemporaries.removeOwn(for: job.outputs + job.companionOutputs + written)
                return .failed(BatchFailure(path: job.input.path,
                                            reason: "the renderer finished without writing \(missing)"))
            }
            return .done
        } catch {
            StaleTemporaries.removeOwn(for: job.outputs + job.companionOutputs)
            return .failed(BatchFailure(path: job.input.path, error: error))
        }
    }
}
