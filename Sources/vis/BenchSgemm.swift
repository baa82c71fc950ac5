import ArgumentParser
import Dispatch
import TensorCore

/// `vis bench-sgemm [--size N] [--repeat R]` (hidden): the machine's `cblas_sgemm` ceiling, as
/// the benchmarks measure it in the same run as the modules.
///
/// Times `C = A·B` on N×N Float32 matrices through `BLAS.sgemm` (OpenBLAS, with the kernel
/// selection `BLAS` applies), after one warm-up call, and prints one JSON line:
/// `{"size", "repeat", "median_ms", "gflops", "blas_threads", "kernel"}` with
/// GFLOP/s = 2·N³ / median.
struct BenchSgemm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-sgemm",
        abstract: "Time an N×N×N sgemm through BLAS and print GFLOP/s as JSON.",
        shouldDisplay: false)

    @Option(help: "Matrix size N.")
    var size: Int = 1024

    @Option(help: "Number of timed calls (median reported).")
    var `repeat`: Int = 20

    func validate() throws {
        guard size >= 1 else { throw ValidationError("--size must be at least 1, got \(size).") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1, got \(`repeat`).") }
    }

    func run() throws {
        let n = size
        var seed: UInt32 = 12345
        let a = (0..<(n * n)).map { _ -> Float in
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return Float(seed >> 8) / Float(1 << 24) - 0.5
        }
        let b = a.reversed() as [Float]
        var c = [Float](repeating: 0, count: n * n)
        var times: [Double] = []
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for index in 0...`repeat` {
                        let start = DispatchTime.now().uptimeNanoseconds
                        BLAS.sgemm(m: n, n: n, k: n, a: a.baseAddress!, lda: n, b: b.baseAddress!, ldb: n,
                                   c: c.baseAddress!, ldc: n)
                        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                        if index > 0 { times.append(elapsed) }  // the first call is the warm-up
                    }
                }
            }
        }
        let median = Forward.median(times)
        let gflops = 2 * Double(n) * Double(n) * Double(n) / (median * 1e6)
        print("{\"size\": \(n), \"repeat\": \(`repeat`), \"median_ms\": \(median), \"gflops\": \(gflops), "
            + "\"blas_threads\": \(BLAS.threadCount), \"kernel\": \"\(BLAS.kernelName)\"}")
    }
}
