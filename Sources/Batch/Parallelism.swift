#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSystem

/// How many images run at once, and how many BLAS threads each may use, so that together
/// they do not ask for more cores than the process has.
///
/// With more images than cores (the usual batch), every core runs one image with one BLAS
/// thread: images are independent, so this parallelism is free of synchronisation. With
/// fewer images than cores, the spare cores go to BLAS inside each image. The caller applies
/// `blasThreads` (`BLAS.threadCount = plan.blasThreads`) before the run; this target does
/// not link BLAS itself.
public struct Parallelism: Sendable, Equatable {
    /// Images rendered at once, at least 1.
    public let workers: Int
    /// Threads each BLAS call may use, at least 1; `workers × blasThreads ≤ processors`
    /// unless more workers than processors were asked for.
    public let blasThreads: Int

    public init(workers: Int, blasThreads: Int) {
        precondition(workers >= 1 && blasThreads >= 1, "workers (\(workers)) and blasThreads (\(blasThreads)) must be ≥ 1")
        self.workers = workers
        self.blasThreads = blasThreads
    }

    /// The plan for `jobs` images: `requestedWorkers` (default: `processors`) capped by the
    /// number of images; BLAS gets the processors left per worker.
    public static func plan(jobs: Int, requestedWorkers: Int? = nil,
                            processors: Int = Parallelism.availableProcessors) -> Parallelism {
        let cores = max(1, processors)
        let workers = max(1, min(requestedWorkers ?? cores, max(jobs, 1)))
        return Parallelism(workers: workers, blasThreads: max(1, cores / workers))
    }

    /// The processors this process may really use: the online processors, limited by the CPU
    /// affinity mask (`taskset`, Slurm's `--cpus-per-task`) and by a cgroup CPU quota
    /// (Docker `--cpus`, Kubernetes `limits.cpu`, rounded up).
    public static var availableProcessors: Int {
        var count = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let allowed = affinityCount() { count = min(count, allowed) }
        if let quota = cgroupQuota() { count = min(count, quota) }
        return max(1, count)
    }

    /// Bits set in `Cpus_allowed` of /proc/self/status (a comma-separated hex mask).
    static func affinityCount() -> Int? {
        guard let text = smallFile("/proc/self/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            let mask = line.dropFirst("Cpus_allowed:".count).filter { $0 != "," && $0 != " " && $0 != "\t" }
            var bits = 0
            for digit in mask {
                guard let value = digit.hexDigitValue else { return nil }
                bits += value.nonzeroBitCount
            }
            return bits > 0 ? bits : nil
        }
        return nil
    }

    /// ⌈quota / period⌉ from cgroup v2 `cpu.max` or v1 `cpu.cfs_quota_us`, or `nil` if
    /// unlimited or unknown.
    static func cgroupQuota() -> Int? {
        func ceilRatio(_ quota: Int, _ period: Int) -> Int? {
            guard quota > 0, period > 0 else { return nil }
            return max(1, (quota + period - 1) / period)
        }
        if let text = smallFile("/sys/fs/cgroup/cpu.max") {
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            if parts.count >= 2, let quota = Int(parts[0]), let period = Int(parts[1]) { return ceilRatio(quota, period) }
            return nil
        }
        if let quotaText = smallFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
           let periodText = smallFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us"),
           let quota = Int(quotaText.filter { $0 != "\n" }), let period = Int(periodText.filter { $0 != "\n" }) {
            return ceilRatio(quota, period)
        }
        return nil
    }

    private static func smallFile(_ path: String) -> String? {
        guard let bytes = try? ReadableFile.prefix(of: path, count: 1 << 16), !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
