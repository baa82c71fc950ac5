import CVectorKernels
import Dispatch

/// The machine's floating-point ceiling: a register-only loop of independent FMAs
/// (`CVectorKernels_fmaPeakLoop`), timed on one or several threads.
public enum FMAPeak {
    /// The vector width of the loop.
    public enum InstructionSet: Int, Sendable, CaseIterable {
        /// 256-bit ymm FMAs (AVX2 + FMA).
        case avx2 = 1
        /// 512-bit zmm FMAs (AVX-512F).
        case avx512 = 2
    }

    /// GFLOP/s of `threads` threads each running the loop at once (best of `repeats` runs of
    /// about `seconds` each), or `nil` when the CPU lacks the instruction set.
    public static func measure(_ instructionSet: InstructionSet, threads: Int = 1, repeats: Int = 5,
                               seconds: Double = 0.02) -> Double? {
        let set = Int32(instructionSet.rawValue)
        guard CVectorKernels_fmaPeakLoop(set, 1) > 0 else { return nil }
        // Calibrate the iteration count on one thread.
        var iterations = 1 << 16
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = CVectorKernels_fmaPeakLoop(set, iterations)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if elapsed >= seconds / 4 || iterations >= 1 << 30 {
                iterations = Int(Double(iterations) * seconds / max(elapsed, 1e-9))
                break
            }
            iterations *= 4
        }
        let workers = max(1, threads)
        var best = 0.0
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: workers) { [iterations] _ in
                _ = CVectorKernels_fmaPeakLoop(set, iterations)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let flops = Double(workers) * Double(iterations) * flopsPerIteration(instructionSet)
            best = max(best, flops / elapsed / 1e9)
        }
        return best
    }

    /// 12 independent FMAs of 8 or 16 lanes, 2 operations each (as the C loop counts).
    private static func flopsPerIteration(_ set: InstructionSet) -> Double {
        Double(12 * 2 * (set == .avx512 ? 16 : 8))
    }
}
