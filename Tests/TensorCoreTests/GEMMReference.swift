/// The Float64 check shared by the SGEMM tests: counts the elements of C outside
/// `(k + 3)·2⁻²³ · (|alpha|·Σ|a||b| + |beta·c| + |bias|)` of the product computed here in
/// Float64 (a missed or doubled term exceeds it), plus padding columns that changed.
///
/// Shape: op(A) [m,k] stored row-major on `lda` ([k,m] when `transA`), op(B) [k,n] on `ldb`
/// ([n,k] when `transB`), C [m,n] on `ldc`; `c0` is C before the call, `out` after it; every
/// `sample`-th row is checked.
enum GEMMReference {
    struct Product {
        var transA: Bool, transB: Bool
        var m: Int, n: Int, k: Int
        var alpha: Float, beta: Float
        var lda: Int, ldb: Int, ldc: Int
        var sample = 1
    }

    static func wrongElements(_ p: Product, a: [Float], b: [Float], bias: [Float]?, c0: [Float], out: [Float]) -> Int {
        var bad = 0
        for i in Swift.stride(from: 0, to: p.m, by: p.sample) {
            for j in 0..<p.n {
                var total = 0.0, magnitude = 0.0
                for q in 0..<p.k {
                    let x = Double(p.transA ? a[q * p.lda + i] : a[i * p.lda + q])
                    let y = Double(p.transB ? b[j * p.ldb + q] : b[q * p.ldb + j])
                    total += x * y
                    magnitude += abs(x * y)
                }
                let old = p.beta == 0 ? 0 : Double(p.beta) * Double(c0[i * p.ldc + j])
                let shift = bias.map { Double($0[j]) } ?? 0
                let expected = Double(p.alpha) * total + old + shift
                let bound = Double(p.k + 3) * 0x1p-23 * (abs(Double(p.alpha)) * magnitude + abs(old) + abs(shift)) + 1e-30
                if !(abs(Double(out[i * p.ldc + j]) - expected) <= bound) { bad += 1 }
            }
            for j in p.n..<p.ldc where out[i * p.ldc + j] != c0[i * p.ldc + j] { bad += 1 }  // padding untouched
        }
        return bad
    }
}
