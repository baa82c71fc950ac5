/// Area resampling of interleaved 8-bit RGB straight from bytes, one output row at a time.
///
/// Same taps, same Float32 arithmetic and same summation order as the planar reference
/// ``RGBCanvas/areaResize(_:height:width:)`` (columns first, then rows; each sum starts at 0
/// and adds `weight · value` tap by tap, no fused multiply-add), so the bytes are identical;
/// but no full-size Float copy of the image exists: the column pass keeps only the input
/// rows that the current output row covers (a ring of `maxTaps` rows of `width · 3` floats):
/// about 1 MB for a 12-megapixel canvas, where full Float planes would take 144 MB and fault
/// in page by page.
///
/// Shape: `h × w × 3` bytes → `height × width × 3` bytes.
struct AreaResampler {
    /// Flattened taps of one axis: output `j` uses `index[start[j] ..< start[j + 1]]` with `weight[…]`.
    struct Taps {
        var start: [Int]
        var index: [Int]
        var weight: [Float]
        var maxCount: Int

        init(input: Int, output: Int) {
            let nested = RGBCanvas.areaWeights(input: input, output: output)
            start = [0]
            index = []
            weight = []
            maxCount = 1
            for taps in nested {
                for (i, w) in taps { index.append(i); weight.append(w) }
                start.append(index.count)
                maxCount = Swift.max(maxCount, taps.count)
            }
        }
    }

    let (inputWidth, inputHeight, width, height): (Int, Int, Int, Int)
    let columns: Taps
    let rows: Taps

    init(inputWidth: Int, inputHeight: Int, width: Int, height: Int) {
        (self.inputWidth, self.inputHeight, self.width, self.height) = (inputWidth, inputHeight, width, height)
        columns = Taps(input: inputWidth, output: width)
        rows = Taps(input: inputHeight, output: height)
    }

    /// Resamples `source` (inputHeight rows of inputWidth·3 bytes) into `target` (height rows of width·3).
    func resample(_ source: UnsafePointer<UInt8>, into target: UnsafeMutablePointer<UInt8>) {
        let ring = rows.maxCount
        let rowFloats = 3 * width
        var middle = [Float](repeating: 0, count: ring * rowFloats)
        var sums = [Float](repeating: 0, count: rowFloats)
        // One input row as Floats, plus one so every pixel can be read as 4 lanes.
        var inputRow = [Float](repeating: 0, count: 3 * inputWidth + 1)
        var nextInput = 0   // the next input row to run the column pass on
        middle.withUnsafeMutableBufferPointer { middle in
            inputRow.withUnsafeMutableBufferPointer { inputRow in
            sums.withUnsafeMutableBufferPointer { sums in
                columns.start.withUnsafeBufferPointer { cs in
                    columns.index.withUnsafeBufferPointer { ci in
                        columns.weight.withUnsafeBufferPointer { cw in
                            for y in 0..<height {
                                let first = rows.start[y], end = rows.start[y + 1]
                                let last = rows.index[end - 1]
                                while nextInput <= last {
                                    let m = middle.baseAddress! + (nextInput % ring) * rowFloats
                                    let bytes = source + nextInput * 3 * inputWidth, floats = inputRow.baseAddress!
                                    for k in 0..<(3 * inputWidth) { floats[k] = Float(bytes[k]) }
                                    Self.columnPass(floats, into: m, width: width,
                                                    start: cs.baseAddress!, index: ci.baseAddress!, weight: cw.baseAddress!)
                                    nextInput += 1
                                }
                                let s = sums.baseAddress!
                                for k in 0..<rowFloats { s[k] = 0 }
                                for t in first..<end {
                                    let w = rows.weight[t]
                                    let m = middle.baseAddress! + (rows.index[t] % ring) * rowFloats
                                    for k in 0..<rowFloats { s[k] += w * m[k] }
                                }
                                let out = target + y * rowFloats
                                for k in 0..<rowFloats { out[k] = Self.byte(s[k]) }
                            }
                        }
                    }
                }
            }
            }
        }
    }

    /// One input row (as Floats, one spare at the end) through the column taps:
    /// `m[3x + c] = Σ weight · row[3i + c]`; lane 3 (the next pixel's red) is dropped.
    @inline(__always)
    static func columnPass(_ row: UnsafeMutablePointer<Float>, into m: UnsafeMutablePointer<Float>, width: Int,
                           start: UnsafePointer<Int>, index: UnsafePointer<Int>, weight: UnsafePointer<Float>) {
        let raw = UnsafeRawPointer(row)
        for x in 0..<width {
            var sum = SIMD4<Float>(repeating: 0)
            for t in start[x]..<start[x + 1] {
                sum += weight[t] * raw.loadUnaligned(fromByteOffset: 12 * index[t], as: SIMD4<Float>.self)
            }
            m[3 * x] = sum[0]
            m[3 * x + 1] = sum[1]
            m[3 * x + 2] = sum[2]
        }
    }

    /// `UInt8(min(max(v.rounded(), 0), 255))`, as the planar path converts.
    @inline(__always)
    static func byte(_ v: Float) -> UInt8 {
        UInt8(Swift.min(Swift.max(v.rounded(), 0), 255))
    }
}
