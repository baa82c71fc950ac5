import Testing
@testable import TensorCore

/// The products with a pre-packed B (`BLAS.PackedMatrix`, `BLAS.sgemm(…b: PackedMatrix…)`)
/// and the patch product (`BLAS.sgemmPatches`), each against a Float64 sum computed here, on
/// the kernel (packed) and on OpenBLAS (the unpacked fallback).
///
/// Error bound per element: ``GEMMReference`` (with the bias as one more term).
struct PackedSGEMMTests {
    typealias Random = BLASTests.Random

    struct Case: CustomTestStringConvertible, Sendable {
        var transA = false, transB = false
        var m: Int, n: Int, k: Int
        var alpha: Float = 1, beta: Float = 0
        var bias = false
        /// Extra floats at the end of each stored row of A, B and C.
        var padding = 0
        /// Check only every `sample`-th row of C (large shapes).
        var sample = 1
        var testDescription: String {
            "\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)×\(n)×\(k) α=\(alpha) β=\(beta)"
                + "\(bias ? " bias" : "") pad \(padding)"
        }
    }

    /// Runs `c` with B packed for `backend`; returns the elements outside the bound plus
    /// changed padding.
    static func failures(_ c: Case, backend: BLAS.Backend, seed: UInt64 = 11) -> Int {
        var random = Random(state: seed)
        let (aRows, aColumns) = c.transA ? (c.k, c.m) : (c.m, c.k)
        let (bRows, bColumns) = c.transB ? (c.n, c.k) : (c.k, c.n)
        let (lda, ldb, ldc) = (aColumns + c.padding, bColumns + c.padding, c.n + c.padding)
        let a = random.values(max(1, aRows * lda)), b = random.values(bRows * ldb)
        let bias = random.values(max(1, c.n))
        let c0 = random.values(max(1, c.m * ldc))
        var out = c0
        if c.beta == 0 {  // C must not be read
            for i in 0..<c.m { for j in 0..<c.n { out[i * ldc + j] = .nan } }
        }
        let packed = BLAS.PackedMatrix(transposed: c.transB, rows: c.k, columns: c.n, storage: b, stride: ldb,
                                       backend: backend)
        if backend == .visAVX512, BLAS.kernelAvailable, c.k > 0, c.n > 0 { #expect(packed.isPacked) }
        if backend == .openBLAS { #expect(!packed.isPacked) }
        a.withUnsafeBufferPointer { a in
            bias.withUnsafeBufferPointer { bias in
                out.withUnsafeMutableBufferPointer { out in
                    BLAS.sgemm(transA: c.transA, m: c.m, alpha: c.alpha, a: a.baseAddress!, lda: max(1, lda),
                               b: packed, beta: c.beta, bias: c.bias ? bias.baseAddress! : nil,
                               c: out.baseAddress!, ldc: max(1, ldc))
                }
            }
        }
        let product = GEMMReference.Product(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k,
                                            alpha: c.alpha, beta: c.beta, lda: lda, ldb: ldb, ldc: ldc, sample: c.sample)
        return GEMMReference.wrongElements(product, a: a, b: b, bias: c.bias ? bias : nil, c0: c0, out: out)
    }

    /// Odd sizes in every transpose combination: n around the 32-column panels, k across the
    /// 256-deep blocks (1, 31, 257, 300), with and without bias, β = 0 over NaN.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func oddShapes(transA: Bool, transB: Bool) {
        var bad: [String] = []
        for m in [1, 13, 15, 29, 197] {
            for n in [1, 17, 32, 33, 65, 97] {
                for k in [1, 31, 257, 300] {
                    let c = Case(transA: transA, transB: transB, m: m, n: n, k: k, bias: (m + n) % 2 == 0,
                                 padding: (m + n + k) % 3)
                    if Self.failures(c, backend: .visAVX512) > 0 { bad.append(c.testDescription) }
                }
            }
        }
        #expect(bad.isEmpty, "wrong results: \(bad)")
    }

    static let scalingCases: [Case] = [
        Case(m: 31, n: 65, k: 17, alpha: 0.75, beta: -0.5, bias: true, padding: 3),
        Case(transA: true, m: 33, n: 17, k: 300, alpha: -2, beta: 1, padding: 1),
        Case(transB: true, m: 65, n: 40, k: 513, alpha: 1, beta: 1, bias: true, padding: 2),
        Case(transA: true, transB: true, m: 17, n: 97, k: 31, alpha: 0.5, beta: 2, bias: true, padding: 4),
        Case(m: 19, n: 23, k: 29, alpha: 0, beta: 0.5, bias: true, padding: 2),  // alpha 0: beta·C + bias
        Case(m: 19, n: 23, k: 0, alpha: 1, beta: 0.25, padding: 2),              // k = 0: beta·C
        Case(transB: true, m: 7, n: 40, k: 0, beta: 0, bias: true, padding: 1),  // k = 0: bias over NaN
        Case(m: 300, n: 70, k: 700, alpha: 1.5, beta: 0.5, bias: true, padding: 5),  // several K, M blocks
    ]

    @Test(arguments: scalingCases)
    func alphaBetaBiasAndDegenerateK(_ c: Case) {
        #expect(Self.failures(c, backend: .visAVX512) == 0)
        #expect(Self.failures(c, backend: .openBLAS) == 0)
    }

    /// Products large enough to run on several workers: rows split (attention's linears,
    /// the patch embedding's shape) and, with one row tile, columns split (slices of B).
    static let threadedCases: [Case] = [
        Case(transB: true, m: 1024, n: 576, k: 192, bias: true, sample: 53),   // qkv
        Case(transB: true, m: 1024, n: 192, k: 192, beta: 1, bias: true, sample: 53),  // proj, accumulated
        Case(transB: true, m: 196, n: 384, k: 768, bias: true, sample: 13),    // patch embedding
        Case(transA: true, transB: true, m: 4096, n: 40, k: 64, bias: true, sample: 97),  // channel-major rows
        Case(m: 14, n: 4000, k: 300, alpha: 2, bias: true, padding: 3),        // columns split
        Case(transA: true, m: 10, n: 1000, k: 700, beta: 1, padding: 1),       // columns split, k > 2 blocks
    ]

    @Test(arguments: threadedCases)
    func threadedShapes(_ c: Case) {
        #expect(Self.failures(c, backend: .visAVX512) == 0)
        #expect(Self.failures(c, backend: .openBLAS) == 0)
    }

    /// The same packed matrix serves products of any m, and concurrent callers.
    @Test func reusedAcrossCalls() async {
        var random = Random(state: 5)
        let (k, n) = (70, 45)
        let b = random.values(n * k)
        let packed = BLAS.PackedMatrix(transposed: true, rows: k, columns: n, storage: b)
        let results = await withTaskGroup(of: Int.self) { group in
            for m in [1, 14, 15, 100] {
                group.addTask {
                    var random = Random(state: UInt64(m))
                    let a = random.values(m * k)
                    var c = [Float](repeating: .nan, count: m * n)
                    a.withUnsafeBufferPointer { a in
                        c.withUnsafeMutableBufferPointer { c in
                            BLAS.sgemm(m: m, a: a.baseAddress!, lda: k, b: packed, c: c.baseAddress!, ldc: n)
                        }
                    }
                    var bad = 0
                    for i in 0..<m {
                        for j in 0..<n {
                            var total = 0.0, magnitude = 0.0
                            for p in 0..<k {
                                total += Double(a[i * k + p]) * Double(b[j * k + p])
                                magnitude += abs(Double(a[i * k + p]) * Double(b[j * k + p]))
                            }
                            if !(abs(Double(c[i * n + j]) - total) <= Double(k + 3) * 0x1p-23 * magnitude) { bad += 1 }
                        }
                    }
                    return bad
                }
            }
            return await group.reduce(0, +)
        }
        #expect(results == 0)
    }

    // MARK: - Patches

    struct PatchCase: CustomTestStringConvertible, Sendable {
        var batch: Int, channels: Int, height: Int, width: Int, patch: Int, dimension: Int
        var bias = true
        var padding = 0
        var sample = 1
        var testDescription: String {
            "\(batch)×\(channels)×\(height)×\(width) p=\(patch) D=\(dimension)\(bias ? " bias" : "") pad \(padding)"
        }
    }

    /// Patch sizes below 16 (several patches per vector), above 16 (a row of a patch spans two
    /// loads), depths C·p² that are not multiples of 256, sizes that drop partial patches,
    /// batches (rows of two images in one row tile), and the ViT shape on two workers.
    static let patchCases: [PatchCase] = [
        PatchCase(batch: 1, channels: 3, height: 16, width: 16, patch: 16, dimension: 8),
        PatchCase(batch: 2, channels: 3, height: 23, width: 17, patch: 5, dimension: 33, padding: 2),
        PatchCase(batch: 3, channels: 2, height: 45, width: 41, patch: 20, dimension: 65, bias: false),
        PatchCase(batch: 2, channels: 1, height: 9, width: 30, patch: 3, dimension: 31, padding: 1),
        PatchCase(batch: 1, channels: 4, height: 70, width: 52, patch: 7, dimension: 100),
        PatchCase(batch: 2, channels: 3, height: 224, width: 224, patch: 16, dimension: 384, sample: 7),
    ]

    @Test(arguments: patchCases)
    func patches(_ c: PatchCase) throws {
        guard BLAS.kernelAvailable, BLAS.backend == .visAVX512 else { return }  // OpenBLAS: PatchEmbedding uses im2col
        var random = Random(state: 3)
        let k = c.channels * c.patch * c.patch
        let images = random.values(c.batch * c.channels * c.height * c.width)
        let weight = random.values(c.dimension * k)
        let bias = random.values(c.dimension)
        let (gridRows, gridColumns) = (c.height / c.patch, c.width / c.patch)
        let m = c.batch * gridRows * gridColumns
        let ldc = c.dimension + c.padding
        let sentinel: Float = 12345
        var out = [Float](repeating: sentinel, count: m * ldc)
        for i in 0..<m { for j in 0..<c.dimension { out[i * ldc + j] = .nan } }
        let packed = BLAS.PackedMatrix(transposed: true, rows: k, columns: c.dimension, storage: weight)
        try #require(packed.isPacked)
        images.withUnsafeBufferPointer { images in
            bias.withUnsafeBufferPointer { bias in
                out.withUnsafeMutableBufferPointer { out in
                    BLAS.sgemmPatches(images: images.baseAddress!, batch: c.batch, channels: c.channels,
                                      height: c.height, width: c.width, patch: c.patch, weight: packed,
                                      bias: c.bias ? bias.baseAddress! : nil, c: out.baseAddress!, ldc: ldc)
                }
            }
        }
        var bad = 0
        for row in Swift.stride(from: 0, to: m, by: c.sample) {
            let image = row / (gridRows * gridColumns), token = row % (gridRows * gridColumns)
            let (gy, gx) = (token / gridColumns, token % gridColumns)
            for d in 0..<c.dimension {
                var total = c.bias ? Double(bias[d]) : 0, magnitude = abs(total)
                for channel in 0..<c.channels {
                    for ky in 0..<c.patch {
                        for kx in 0..<c.patch {
                            let pixel = images[((image * c.channels + channel) * c.height + gy * c.patch + ky) * c.width
                                               + gx * c.patch + kx]
                            let product = Double(pixel) * Double(weight[((d * c.channels + channel) * c.patch + ky) * c.patch + kx])
                            total += product
                            magnitude += abs(product)
                        }
                    }
                }
                if !(abs(Double(out[row * ldc + d]) - total) <= Double(k + 3) * 0x1p-23 * magnitude) { bad += 1 }
            }
            for j in c.dimension..<ldc where out[row * ldc + j] != sentinel { bad += 1 }
        }
        #expect(bad == 0)
    }
}
