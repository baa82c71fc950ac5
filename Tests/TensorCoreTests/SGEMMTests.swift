import Testing
@testable import TensorCore

/// `BLAS.sgemm` (OpenBLAS), with and without a bias, against a Float64 product computed here,
/// on odd shapes and on every attention and ViT shape the package runs.
///
/// Error bound per element: ``GEMMReference`` (the worst case of a Float32 sum of k
/// products, which any wrong element, a missed or doubled term, exceeds).
struct SGEMMTests {
    typealias Random = BLASTests.Random

    struct Case: CustomTestStringConvertible, Sendable {
        var transA = false, transB = false
        var m: Int, n: Int, k: Int
        var alpha: Float = 1, beta: Float = 0
        /// Whether a bias row is added (the `bias:` overload, as `Linear` calls it).
        var bias = false
        /// Extra floats at the end of each stored row of A, B and C.
        var padding = 0
        /// Check only every `sample`-th row of C against the reference (large shapes).
        var sample = 1
        var testDescription: String {
            "\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)×\(n)×\(k) α=\(alpha) β=\(beta)"
                + "\(bias ? " bias" : "") pad \(padding)"
        }
    }

    /// Runs `c` through `BLAS.sgemm` and returns the number of elements outside the bound,
    /// plus untouched-padding failures.
    static func failures(_ c: Case, seed: UInt64 = 7) -> Int {
        var random = Random(state: seed)
        let (aRows, aColumns) = c.transA ? (c.k, c.m) : (c.m, c.k)
        let (bRows, bColumns) = c.transB ? (c.n, c.k) : (c.k, c.n)
        let (lda, ldb, ldc) = (aColumns + c.padding, bColumns + c.padding, c.n + c.padding)
        let a = random.values(max(1, aRows * lda)), b = random.values(max(1, bRows * ldb))
        let bias = random.values(max(1, c.n))
        let c0 = random.values(max(1, c.m * ldc))
        var out = c0
        if c.beta == 0 {  // C must not be read: NaN in every element of the m×n block
            for i in 0..<c.m { for j in 0..<c.n { out[i * ldc + j] = .nan } }
        }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                bias.withUnsafeBufferPointer { bias in
                    out.withUnsafeMutableBufferPointer { out in
                        BLAS.sgemm(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: c.alpha,
                                   a: a.baseAddress!, lda: max(1, lda), b: b.baseAddress!, ldb: max(1, ldb),
                                   beta: c.beta, bias: c.bias ? bias.baseAddress! : nil,
                                   c: out.baseAddress!, ldc: max(1, ldc))
                    }
                }
            }
        }
        let product = GEMMReference.Product(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k,
                                            alpha: c.alpha, beta: c.beta, lda: lda, ldb: ldb, ldc: ldc, sample: c.sample)
        return GEMMReference.wrongElements(product, a: a, b: b, bias: c.bias ? bias : nil, c0: c0, out: out)
    }

    static let odd = [1, 7, 17, 31, 33, 65, 197]

    /// Every transpose combination over the odd sizes (k from 1 to 197), padded rows, β = 0
    /// with NaN in C.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func oddShapes(transA: Bool, transB: Bool) {
        var bad: [String] = []
        for m in Self.odd {
            for n in Self.odd {
                for k in [1, 7, 33, 197] {
                    let c = Case(transA: transA, transB: transB, m: m, n: n, k: k, bias: (m + k) % 2 == 0,
                                 padding: (m + n + k) % 5)
                    if Self.failures(c) > 0 { bad.append(c.testDescription) }
                }
            }
        }
        #expect(bad.isEmpty, "wrong results: \(bad)")
    }

    static let scalingCases: [Case] = [
        Case(m: 31, n: 65, k: 17, alpha: 0.75, beta: -0.5, padding: 3),
        Case(transA: true, m: 33, n: 17, k: 300, alpha: -2, beta: 1, padding: 1),
        Case(transB: true, m: 65, n: 33, k: 513, alpha: 1, beta: 0, padding: 2),
        Case(transA: true, transB: true, m: 17, n: 97, k: 31, alpha: 0.5, beta: 2, padding: 4),
        Case(m: 19, n: 23, k: 29, alpha: 0, beta: 0.5, padding: 2),   // alpha 0: C = beta·C
        Case(m: 19, n: 23, k: 0, alpha: 1, beta: 0.25, padding: 2),   // k = 0: C = beta·C
        Case(transB: true, m: 7, n: 40, k: 0, alpha: 1, beta: 0, padding: 1),  // k = 0, beta 0: zeros over NaN
        Case(m: 300, n: 70, k: 700, alpha: 1.5, beta: 0.5, padding: 5),  // several K, M blocks
        Case(transA: true, transB: true, m: 33, n: 45, k: 70, alpha: 1, beta: 1, bias: true, padding: 2),  // accumulate + bias
        Case(m: 9, n: 12, k: 0, alpha: 1, beta: 0.5, bias: true, padding: 1),  // k = 0: C = beta·C + bias
    ]

    @Test(arguments: scalingCases)
    func alphaBetaBiasAndDegenerateK(_ c: Case) {
        #expect(Self.failures(c) == 0)
    }

    /// The attention, patch-embedding and ViT-S/16 and ViT-B/16 products at 224 (197 tokens;
    /// large enough for OpenBLAS to use its threads), every 13th or 53rd row checked.
    static let attentionCases: [Case] = [
        Case(transB: true, m: 1024, n: 1024, k: 64, sample: 53),    // scores q·kᵀ
        Case(m: 1024, n: 64, k: 1024, sample: 53),                  // weights·v
        Case(transB: true, m: 1024, n: 576, k: 192, beta: 1, sample: 53),  // qkv with bias rows
        Case(transB: true, m: 1024, n: 192, k: 192, sample: 53),    // proj
        Case(transB: true, m: 196, n: 384, k: 768, sample: 13),     // patch embedding
        Case(transA: true, m: 14, n: 4000, k: 300, padding: 3),     // few rows, many columns
        Case(m: 192, n: 4096, k: 64, sample: 13),                   // axial projections
        Case(transB: true, m: 197, n: 1152, k: 384, bias: true, sample: 13),  // ViT-S qkv
        Case(transB: true, m: 197, n: 768, k: 3072, bias: true, sample: 13),  // ViT-B MLP fc2
        Case(transB: true, m: 197, n: 197, k: 64, sample: 13),      // ViT QKᵀ
        Case(m: 197, n: 64, k: 197, sample: 13),                    // ViT AV
    ]

    @Test(arguments: attentionCases)
    func attentionShapes(_ c: Case) {
        #expect(Self.failures(c) == 0)
    }

    /// The same product with OpenBLAS on 2 threads (a threaded split of C), after
    /// `BLAS.prepareThreads` started the package's own pool.
    @Test func twoThreads() {
        BLAS.prepareThreads()
        let saved = BLAS.threadCount
        BLAS.threadCount = 2
        defer { BLAS.threadCount = saved }
        #expect(Self.failures(Case(m: 512, n: 384, k: 256, sample: 7)) == 0)
        #expect(Self.failures(Case(transB: true, m: 197, n: 2304, k: 768, bias: true, sample: 13), seed: 11) == 0)
    }
}
