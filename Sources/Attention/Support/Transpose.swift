/// Cache-blocked matrix transpose, used to convert between the NCHW boundary layout and
/// the pixel-major (NHWC) layout the axial and coordinate kernels work in.
enum Transpose {
    /// `destination[j·rows + i] = source[i·columns + j]`: [rows, columns] -> [columns, rows].
    static func matrix(_ source: UnsafePointer<Float>, rows: Int, columns: Int,
                       into destination: UnsafeMutablePointer<Float>) {
        let tile = 32
        var i0 = 0
        while i0 < rows {
            let i1 = min(i0 + tile, rows)
            var j0 = 0
            while j0 < columns {
                let j1 = min(j0 + tile, columns)
                for i in i0..<i1 {
                    let row = source + i * columns
                    for j in j0..<j1 { destination[j * rows + i] = row[j] }
                }
                j0 = j1
            }
            i0 = i1
        }
    }

    /// Transposes each of `batches` consecutive [rows, columns] matrices.
    ///
    /// Shape: [batches, rows, columns] -> [batches, columns, rows].
    static func batched(_ source: [Float], batches: Int, rows: Int, columns: Int) -> [Float] {
        var result = [Float](repeating: 0, count: batches * rows * columns)
        guard !result.isEmpty else { return result }
        source.withUnsafeBufferPointer { s in
            result.withUnsafeMutableBufferPointer { d in
                for batch in 0..<batches {
                    let offset = batch * rows * columns
                    matrix(s.baseAddress! + offset, rows: rows, columns: columns, into: d.baseAddress! + offset)
                }
            }
        }
        return result
    }
}
