/// The outcome of a batch: what was rendered, skipped and why anything failed.
///
/// Rendered as `text` for people (standard error) or `json` for programs (`--json`), and
/// turned into the process's exit status by `exitCode`.
public struct BatchSummary: Sendable, Equatable {
    /// Images rendered, every output written.
    public var done: Int
    /// Images skipped by `--resume` because all their outputs were already complete.
    public var skipped: Int
    /// Files that failed, in input order: walk failures first, then jobs.
    public var failures: [BatchFailure]
    /// Files inside folders that are, or are named like, images but not PNG or JPEG (not
    /// failures; reported).
    public var notImages: [WalkResult.NotAnImage]
    /// Other files inside folders (`README.txt`), by path: not in `text`, counted in `json`.
    public var skippedNonImages: [String]
    /// Jobs never started because the run was interrupted.
    public var notStarted: Int
    /// Whether SIGINT (or `BatchRunner.cancel`) stopped the run early.
    public var interrupted: Bool
    /// Wall time of the run, seconds.
    public var elapsedSeconds: Double

    public init(done: Int = 0, skipped: Int = 0, failures: [BatchFailure] = [],
                notImages: [WalkResult.NotAnImage] = [], skippedNonImages: [String] = [], notStarted: Int = 0,
                interrupted: Bool = false, elapsedSeconds: Double = 0) {
        self.done = done
        self.skipped = skipped
        self.failures = failures
        self.notImages = notImages
        self.skippedNonImages = skippedNonImages
        self.notStarted = notStarted
        self.interrupted = interrupted
        self.elapsedSeconds = elapsedSeconds
    }

    public var failed: Int { failures.count }

    /// 130 when interrupted (128 + SIGINT, as shells report it), else 1 when anything
    /// failed, else 0 (Contract 4; 2 for usage errors is the command line's).
    public var exitCode: Int32 {
        if interrupted { return 130 }
        return failures.isEmpty ? 0 : 1
    }

    /// Adds what the walk found besides images: its failures (before the jobs' ones) and the
    /// files that are not images, reported or skipped silently.
    public mutating func include(_ walk: WalkResult) {
        failures = walk.failures + failures
        notImages += walk.notImages
        skippedNonImages += walk.skippedNonImages
    }
}
