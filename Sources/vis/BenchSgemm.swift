import ArgumentParser
import Dispatch
import TensorCore

/// `vis bench-sgemm [--size N] [--repeat R]` (hidden): the machine's GEMM ceilings, as the
/// benchmarks measure them in the same run as the modules.
///
/// Prints a table on standard error and one JSON line on standard output. The table: the FMA
/// peak (a register-only FMA loop, AVX2 and AVX-512, on 1 and `BLAS.threadCount` threads),
/// then OpenBLAS `cblas_sgemm` on N×N×N and on the attention shapes (with `--vit` also the
/// ViT-S/16 and ViT-B/16 products), each in GFLOP/s and as % of the AVX-512 peak on
/// `BLAS.threadCount` threads. Each product runs once as a warm-up, then
/// `repeat` timed calls (median reported). JSON fields: `size`, `repeat`, `median_ms`, `gflops`
/// (N³), `blas_threads`, `kernel` (OpenBLAS's), `peak_avx2_1t`, `peak_avx512_1t`, `peak_avx2`,
/// `peak_avx512` (GFLOP/s; the last two on `blas_threads` threads), and `shapes`: one object
/// per product with `m`, `n`, `k`, `trans_b`, `openblas_gflops`; with two CPUs or more also
/// `handoff_bytes`, `handoff_same_us`, `handoff_cross_us` (``HandoffProbe``: how long what one
/// CPU wrote takes to be read on another, the cost behind a two-thread pass's slow spells on a
/// VM). (The other backends the
/// package was measured against are in tools/bench_sgemm_backends.sh.)
struct BenchSgemm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-sgemm",
        abstract: "Time sgemm (OpenBLAS) against the FMA peak; JSON on stdout.",
        shouldDisplay: false)

    @Option(help: "Matrix size N.")
    var size: Int = 1024

    @Option(help: "Number of timed calls (median reported).")
    var `repeat`: Int = 20

    @Flag(help: "Also time the products of ViT-S/16 and ViT-B/16 at 224×224 (tools/bench_vit.sh).")
    var vit = false

    func validate() throws {
        guard size >= 1 else { throw ValidationError("--size must be at least 1, got \(size).") }
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1, got \(`repeat`).") }
    }

    /// One product: C [m,n] = A [m,k] · op(B), B stored [n,k] when `transB`.
    struct Shape {
        var m: Int, n: Int, k: Int, transB: Bool, label: String
    }

    func run() throws {
        let threads = BLAS.threadCount
        let peaks = (
            avx2One: FMAPeak.measure(.avx2) ?? 0, avx512One: FMAPeak.measure(.avx512) ?? 0,
            avx2: FMAPeak.measure(.avx2, threads: threads) ?? 0,
            avx512: FMAPeak.measure(.avx512, threads: threads) ?? 0)
        let shapes = [
            Shape(m: size, n: size, k: size, transB: false, label: "\(size)³"),
            Shape(m: 1024, n: 1024, k: 64, transB: true, label: "scores q·kᵀ"),
            Shape(m: 1024, n: 64, k: 1024, transB: false, label: "weights·v"),
            Shape(m: 1024, n: 576, k: 192, transB: true, label: "qkv"),
            Shape(m: 1024, n: 192, k: 192, transB: true, label: "proj"),
            Shape(m: 196, n: 384, k: 768, transB: true, label: "patch embed"),
        ] + (vit ? Self.visionTransformerShapes : [])
        var rows: [String] = []
        let results = shapes.map { (shape: $0, openBLAS: time($0)) }
        func percent(_ gflops: Double) -> String {
            peaks.avx512 > 0 ? "\(Int((100 * gflops / peaks.avx512).rounded()))%" : "–"
        }
        var table = "FMA peak GFLOP/s: AVX2 \(format(peaks.avx2One)) (1 thread), \(format(peaks.avx2)) (\(threads) threads); "
            + "AVX-512 \(format(peaks.avx512One)) (1 thread), \(format(peaks.avx512)) (\(threads) threads)\n"
        table += "sgemm, \(threads) threads, GFLOP/s (% of the AVX-512 peak); OpenBLAS kernel \(BLAS.kernelName)\n"
        table += pad("product", 14) + pad("m×n×k", 20) + "openblas\n"
        for result in results {
            let s = result.shape
            table += pad(s.label, 14) + pad("\(s.m)×\(s.n)×\(s.k)\(s.transB ? " (Bᵀ)" : "")", 20)
                + "\(format(result.openBLAS.gflops)) (\(percent(result.openBLAS.gflops)))\n"
            rows.append("{\"m\": \(s.m), \"n\": \(s.n), \"k\": \(s.k), \"trans_b\": \(s.transB), "
                + "\"openblas_gflops\": \(result.openBLAS.gflops)}")
        }
        let handoff = HandoffProbe.measure()
        if let handoff {
            table += "hand-off: CPUs \(handoff.cpus.0) and \(handoff.cpus.1) exchange halves of \(handoff.bytes >> 10) KB in "
                + "\(format(handoff.crossCPU)) µs (each reading its own: \(format(handoff.sameCPU)) µs, ×\(format(handoff.ratio)))\n"
        }
        FileHandleStream.standardError.write(table)
        let handoffJSON = handoff.map {
            ", \"handoff_bytes\": \($0.bytes), \"handoff_same_us\": \($0.sameCPU), \"handoff_cross_us\": \($0.crossCPU)"
        } ?? ""
        let cube = results[0]
        print("{\"size\": \(size), \"repeat\": \(`repeat`), \"median_ms\": \(cube.openBLAS.median), "
            + "\"gflops\": \(cube.openBLAS.gflops), \"blas_threads\": \(threads), \"kernel\": \"\(BLAS.kernelName)\", "
            + "\"peak_avx2_1t\": \(peaks.avx2One), \"peak_avx512_1t\": \(peaks.avx512One), "
            + "\"peak_avx2\": \(peaks.avx2), \"peak_avx512\": \(peaks.avx512), "
            + "\"shapes\": [\(rows.joined(separator: ", "))]\(handoffJSON)}")
    }

    /// Every product of a ViT-S/16 and a ViT-B/16 pass at 224×224 (197 tokens, heads of 64), as
    /// the layers call `BLAS.sgemm`: weights [out, in] read transposed, per head q·kᵀ and
    /// weights·v, the classifier on the class token. (ViT-S's patch embedding is listed above.)
    static let visionTransformerShapes: [Shape] = {
        var shapes = [Shape(m: 197, n: 197, k: 64, transB: true, label: "vit q·kᵀ"),
                      Shape(m: 197, n: 64, k: 197, transB: false, label: "vit w·v"),
                      Shape(m: 196, n: 768, k: 768, transB: true, label: "vitb patch")]
        for (d, name) in [(384, "vits"), (768, "vitb")] {
            shapes.append(Shape(m: 197, n: 3 * d, k: d, transB: true, label: name + " qkv"))
            shapes.append(Shape(m: 197, n: d, k: d, transB: true, label: name + " proj"))
            shapes.append(Shape(m: 197, n: 4 * d, k: d, transB: true, label: name + " fc1"))
            shapes.append(Shape(m: 197, n: d, k: 4 * d, transB: true, label: name + " fc2"))
            shapes.append(Shape(m: 1, n: 1000, k: d, transB: true, label: name + " head"))
        }
        return shapes
    }()

    /// Median milliseconds and GFLOP/s of `repeat` calls after one warm-up.
    func time(_ shape: Shape) -> (median: Double, gflops: Double) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var seed: UInt32 = 12345
        func fill(_ count: Int) -> [Float] {
            (0..<count).map { _ -> Float in
                seed = seed &* 1_664_525 &+ 1_013_904_223
                return Float(seed >> 8) / Float(1 << 24) - 0.5
            }
        }
        let a = fill(m * k), b = fill(k * n)
        var c = [Float](repeating: 0, count: m * n)
        var times: [Double] = []
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for index in 0...`repeat` {
                        let start = DispatchTime.now().uptimeNanoseconds
                        BLAS.sgemm(transB: shape.transB, m: m, n: n, k: k, a: a.baseAddress!, lda: k,
                                   b: b.baseAddress!, ldb: shape.transB ? k : n,
                                   c: c.baseAddress!, ldc: n)
                        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                        if index > 0 { times.append(elapsed) }  // the first call is the warm-up
                    }
                }
            }
        }
        let median = Forward.median(times)
        return (median, 2 * Double(m) * Double(n) * Double(k) / (median * 1e6))
    }

    private func format(_ value: Double) -> String { String(format1: value) }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

private extension String {
    /// One decimal, without Foundation.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
