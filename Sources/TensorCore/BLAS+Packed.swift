import CBLAS
import CVectorKernels
import Dispatch

extension BLAS {
    /// A constant op(B) (a layer's weight) packed once into the panel layout of the package's
    /// AVX-512 kernel, so products with it skip packing B on every call and threads share it.
    ///
    /// Shape: op(B) [k, n] (`rows` k, `columns` n); stored as [n, k] with `transposed` (a
    /// `Linear` weight [out, in] is op(B) = Wᵀ), else as [k, n]. On the OpenBLAS backend (or a
    /// CPU without AVX-512F) nothing is packed and products run `cblas_sgemm` on the original
    /// storage, which is kept either way (shared, not copied, with the tensor it came from).
    public final class PackedMatrix: @unchecked Sendable {
        // @unchecked: `packed` is written once in `init` and only read afterwards.

        /// Rows of op(B): the depth k of a product.
        public let rows: Int
        /// Columns of op(B): the n of a product.
        public let columns: Int
        /// Whether the original is stored [n, k] (op(B) = its transpose).
        public let transposed: Bool
        /// The original, row-major, as given.
        let original: [Float]
        /// Row stride of `original`.
        let stride: Int
        /// The packed panels (`CVectorKernels_sgemmPackedCount(k, n)` floats), or nil when
        /// products run OpenBLAS.
        let packed: UnsafeMutablePointer<Float>?

        /// Whether products run the package's kernel on packed panels (AVX-512F backend).
        public var isPacked: Bool { packed != nil }

        /// Packs op(B) of `rows` k × `columns` n from `storage` (row stride `stride`, default
        /// `columns`, or `rows` when `transposed`).
        public init(transposed: Bool = false, rows: Int, columns: Int, storage: [Float], stride: Int? = nil,
                    backend: Backend = BLAS.backend) {
            let ldb = stride ?? (transposed ? rows : columns)
            precondition(rows >= 0 && columns >= 0 && ldb >= (transposed ? rows : columns),
                         "PackedMatrix: bad size \(rows)×\(columns) with stride \(ldb)")
            precondition(rows == 0 || columns == 0
                         || storage.count >= ((transposed ? columns : rows) - 1) * ldb + (transposed ? rows : columns),
                         "PackedMatrix: \(storage.count) floats cannot hold \(rows)×\(columns) on stride \(ldb)")
            self.rows = rows
            self.columns = columns
            self.transposed = transposed
            self.original = storage
            self.stride = ldb
            let count = CVectorKernels_sgemmPackedCount(rows, columns)
            guard backend == .visAVX512, BLAS.kernelAvailable, count > 0 else {
                packed = nil
                return
            }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
                .bindMemory(to: Float.self, capacity: count)
            storage.withUnsafeBufferPointer { b in
                _ = CVectorKernels_sgemmPackB(transposed ? 1 : 0, rows, columns, b.baseAddress!, ldb, buffer)
            }
            packed = buffer
        }

        deinit { packed?.deallocate() }
    }

    /// `C = alpha·op(A)·B + beta·C (+ bias on every row)` with a pre-packed B.
    ///
    /// Shape: op(A) [m, k] (stored [k, m] with `transA`, row stride `lda`), B [k, n] =
    /// `b.rows` × `b.columns`, C [m, n] on row stride `ldc`, `bias` [n] or nil. With `beta == 0`
    /// C is only written. Threaded as ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:backend:)``:
    /// above `parallelMultiplyAdds` the rows of C are split over `threadCount` workers in
    /// multiples of the register tile (each packs only its own rows of A and all share B);
    /// products of fewer than two row tiles per worker split the columns instead.
    public static func sgemm(
        transA: Bool = false, m: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: PackedMatrix,
        beta: Float = 0, bias: UnsafePointer<Float>? = nil,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let (n, k) = (b.columns, b.rows)
        precondition(m >= 0, "sgemm: negative m=\(m)")
        if m == 0 || n == 0 { return }
        guard let packed = b.packed else {
            unpackedSgemm(transA: transA, m: m, alpha: alpha, a: a, lda: lda, b: b, beta: beta, bias: bias, c: c, ldc: ldc)
            return
        }
        let rowTiles = (m + tileRows - 1) / tileRows
        let columnTiles = (n + tileColumns - 1) / tileColumns
        let threads = m * n * k >= parallelMultiplyAdds ? max(1, threadCount) : 1
        let splitRows = rowTiles >= 2 * threads || rowTiles >= columnTiles
        let workers = min(threads, splitRows ? rowTiles : columnTiles)
        let (aAddress, cAddress) = (Int(bitPattern: a), Int(bitPattern: c))
        let (packedAddress, biasAddress) = (Int(bitPattern: packed), Int(bitPattern: bias))
        @Sendable func run(_ worker: Int) {
            let a = UnsafePointer<Float>(bitPattern: aAddress)!, c = UnsafeMutablePointer<Float>(bitPattern: cAddress)!
            let packed = UnsafePointer<Float>(bitPattern: packedAddress)!, bias = UnsafePointer<Float>(bitPattern: biasAddress)
            let tiles = splitRows ? rowTiles : columnTiles
            let (size, limit) = splitRows ? (tileRows, m) : (tileColumns, n)
            let start = min(limit, worker * tiles / workers * size)
            let end = min(limit, (worker + 1) * tiles / workers * size)
            guard end > start else { return }
            let (rows, columns) = splitRows ? (end - start, n) : (m, end - start)
            let workspace = UnsafeMutablePointer<Float>.allocate(
                capacity: max(1, CVectorKernels_sgemmPackedWorkspace(rows, k)))
            defer { workspace.deallocate() }
            let (aBlock, cBlock, column) = splitRows
                ? (transA ? a + start : a + start * lda, c + start * ldc, 0)
                : (a, c + start, start)
            _ = CVectorKernels_sgemmPacked(transA ? 1 : 0, rows, columns, k, alpha, aBlock, lda, packed, n, column,
                                           beta, bias.map { $0 + column }, cBlock, ldc, workspace)
        }
        forkJoin(workers, run)
    }

    /// A patch embedding (a p×p convolution of stride p) as one product with a packed weight,
    /// the patches read straight from the images (no im2col buffer): row t of C is patch t
    /// (images one after the other, each a row-major grid of ⌊H/p⌋ × ⌊W/p⌋ patches) times
    /// the weight, plus `bias`. Rows are split over `threadCount` workers as in the other
    /// packed product.
    ///
    /// Shape: images [B, C, H, W] with H, W ≥ p; `weight` packed from [D, C, p, p] as
    /// `transposed` (rows C·p·p, columns D); bias [D] or nil; C [B·N, D] on row stride `ldc`.
    /// `weight.isPacked` must hold (callers keep an im2col path for the OpenBLAS backend).
    public static func sgemmPatches(
        images: UnsafePointer<Float>, batch: Int, channels: Int, height: Int, width: Int, patch: Int,
        weight: PackedMatrix, bias: UnsafePointer<Float>? = nil,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(weight.isPacked, "sgemmPatches needs a packed weight (the AVX-512 backend)")
        precondition(patch > 0 && height >= patch && width >= patch && weight.rows == channels * patch * patch,
                     "sgemmPatches: \(channels)×\(height)×\(width) images, patch \(patch), weight depth \(weight.rows)")
        let m = batch * (height / patch) * (width / patch)
        let (n, k) = (weight.columns, weight.rows)
        if m == 0 || n == 0 { return }
        let rowTiles = (m + tileRows - 1) / tileRows
        let threads = m * n * k >= parallelMultiplyAdds ? max(1, threadCount) : 1
        let workers = min(threads, rowTiles)
        let (imageAddress, cAddress) = (Int(bitPattern: images), Int(bitPattern: c))
        let (packedAddress, biasAddress) = (Int(bitPattern: weight.packed!), Int(bitPattern: bias))
        @Sendable func run(_ worker: Int) {
            let start = min(m, worker * rowTiles / workers * tileRows)
            let end = min(m, (worker + 1) * rowTiles / workers * tileRows)
            guard end > start else { return }
            let workspace = UnsafeMutablePointer<Float>.allocate(
                capacity: max(1, CVectorKernels_sgemmPackedWorkspace(end - start, k)))
            defer { workspace.deallocate() }
            _ = CVectorKernels_sgemmPatches(UnsafePointer(bitPattern: imageAddress)!, channels, height, width, patch,
                                            start, end - start, UnsafePointer(bitPattern: packedAddress)!, n,
                                            UnsafePointer(bitPattern: biasAddress),
                                            UnsafeMutablePointer<Float>(bitPattern: cAddress)! + start * ldc, ldc,
                                            workspace)
        }
        forkJoin(workers, run)
    }

    /// The packed product on OpenBLAS: the bias goes into C first, then `cblas_sgemm` on the
    /// original storage accumulates onto it.
    private static func unpackedSgemm(
        transA: Bool, m: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, b: PackedMatrix,
        beta: Float, bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let n = b.columns
        var effectiveBeta = beta
        if bias != nil || b.rows == 0 {
            for i in 0..<m {
                let row = c + i * ldc
                for j in 0..<n { row[j] = (beta == 0 ? 0 : beta * row[j]) + (bias?[j] ?? 0) }
            }
            effectiveBeta = 1
        }
        guard b.rows > 0 else { return }
        b.original.withUnsafeBufferPointer { storage in
            sgemm(transA: transA, transB: b.transposed, m: m, n: n, k: b.rows, alpha: alpha, a: a, lda: lda,
                  b: storage.baseAddress!, ldb: b.stride, beta: effectiveBeta, c: c, ldc: ldc, backend: .openBLAS)
        }
    }
}
