import Testing
import TensorCore
@testable import Overlay

/// Against `torch.nn.functional.interpolate` (`tools/make_overlay_fixtures.py`).
struct UpsamplingTests {
    struct Case: Decodable {
        let input: [Int]
        let output: [Int]
        let values: [Float]
        let bilinear: [Float]
        let nearest: [Float]
    }
    struct File: Decodable { let cases: [Case] }

    @Test func bilinearMatchesTorch() throws {
        let file = try Fixture.load("upsampling.json", as: File.self)
        #expect(file.cases.count == 8)
        for c in file.cases {
            let got = Upsampling.bilinear.resize(Tensor(shape: c.input, storage: c.values),
                                                 height: c.output[0], width: c.output[1])
            #expect(got.shape == c.output)
            let difference = maxDifference(got.storage, c.bilinear)
            #expect(difference <= 1e-6, "\(c.input) -> \(c.output): max difference \(difference)")
        }
    }

    @Test func nearestMatchesTorchExactly() throws {
        let file = try Fixture.load("upsampling.json", as: File.self)
        for c in file.cases {
            let got = Upsampling.nearest.resize(Tensor(shape: c.input, storage: c.values),
                                                height: c.output[0], width: c.output[1])
            #expect(got.storage == c.nearest, "\(c.input) -> \(c.output)")
        }
    }

    @Test func oneHotCellLandsOnItsPixelBlock() {
        // A 3×5 grid on a 12×20 image: cell (row 1, column 3) covers rows 4..<8, columns 12..<16.
        var grid = Tensor(shape: [3, 5], repeating: 0)
        grid[1, 3] = 1
        let nearest = Upsampling.nearest.resize(grid, height: 12, width: 20)
        for y in 0..<12 {
            for x in 0..<20 {
                let inside = (4..<8).contains(y) && (12..<16).contains(x)
                #expect(nearest[y, x] == (inside ? 1 : 0), "pixel (\(x), \(y))")
            }
        }
        // Bilinear peaks at the centre of the same block: the hot cell's centre (row 6,
        // column 14 in pixel units) lies between pixels 5/6 and 13/14, all four equally near.
        let bilinear = Upsampling.bilinear.resize(grid, height: 12, width: 20)
        let peak = bilinear.storage.max()!
        var peakPixels: [[Int]] = []
        for y in 0..<12 { for x in 0..<20 where bilinear[y, x] == peak { peakPixels.append([y, x]) } }
        #expect(peakPixels == [[5, 13], [5, 14], [6, 13], [6, 14]])
        // Pixel row 5 samples source row (5.5 · 0.25 − 0.5) = 0.875, weight 0.875 on row 1;
        // row 6 samples 1.125, weight 0.875 too; columns alike: peak 0.875² = 0.765625.
        #expect(peak == 0.765625)
        // Nothing leaks beyond one cell of distance.
        #expect(bilinear[0, 13] == 0 && bilinear[11, 13] == 0 && bilinear[5, 7] == 0)
    }

    @Test func leadingDimensionsAreIndependentMaps() {
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [2, 3], storage: [-1, 0, 1, 0, 1, 0])
        let both = Tensor(shape: [2, 2, 3], storage: a.storage + b.storage)
        let out = Upsampling.bilinear.resize(both, height: 5, width: 4)
        #expect(out.shape == [2, 5, 4])
        #expect(Array(out.storage[0..<20]) == Upsampling.bilinear.resize(a, height: 5, width: 4).storage)
        #expect(Array(out.storage[20..<40]) == Upsampling.bilinear.resize(b, height: 5, width: 4).storage)
    }

    @Test func bilinearOfConstantIsConstant() {
        let out = Upsampling.bilinear.resize(Tensor(shape: [3, 7], repeating: 0.25), height: 10, width: 33)
        #expect(out.storage.allSatisfy { $0 == 0.25 })
    }
}
