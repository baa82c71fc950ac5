import CVectorKernels

/// How long data written on one CPU takes to be read on another
/// (`CVectorKernels_handoffProbe`), against writing and reading it on one CPU.
///
/// A product split over two workers pays this whenever the next step reads what the other
/// worker wrote. On a virtual machine it depends on where the host places the two virtual
/// CPUs and changes while the VM runs: the benchmarks print it beside their two-thread figures
/// so that a slow round can be told from a slow program (BENCHMARKS.md).
public enum HandoffProbe {
    /// One measurement: median microseconds per round, in which each of two threads writes
    /// half of `bytes` and then reads a half.
    public struct Result: Sendable {
        /// Each thread reads back the half it wrote.
        public var sameCPU: Double
        /// Each thread reads the half the other wrote, on the other CPU.
        public var crossCPU: Double
        /// The two CPUs used: the first two this process may run on.
        public var cpus: (Int, Int)
        /// Bytes handed over per round.
        public var bytes: Int

        /// How many times longer the hand-off takes than staying on one CPU.
        public var ratio: Double { crossCPU / max(sameCPU, 1e-9) }
    }

    /// Measures `rounds` exchanges of `bytes` (512 KB by default: within one core's L2, about a
    /// ViT-S/16 layer's output at 197 tokens); nil with fewer than two CPUs.
    public static func measure(bytes: Int = 512 << 10, rounds: Int = 200) -> Result? {
        var same = 0.0, cross = 0.0
        var cpus: [Int32] = [0, 0]
        guard CVectorKernels_handoffProbe(bytes, Int32(rounds), &same, &cross, &cpus) == 0 else { return nil }
        return Result(sameCPU: same, crossCPU: cross, cpus: (Int(cpus[0]), Int(cpus[1])), bytes: bytes)
    }

    /// The CPUs the calling thread may run on, in increasing order.
    public static func allowedCPUs() -> [Int] {
        var cpus = [Int32](repeating: 0, count: 1024)
        let count = Int(CVectorKernels_allowedCPUs(&cpus, Int32(cpus.count)))
        return cpus.prefix(max(0, min(count, cpus.count))).map(Int.init)
    }

    /// Restricts the calling thread to `cpus`; whether the system accepted it.
    @discardableResult
    public static func restrictThread(to cpus: [Int]) -> Bool {
        let set = cpus.map(Int32.init)
        return CVectorKernels_setAllowedCPUs(set, Int32(set.count)) == 0
    }
}
