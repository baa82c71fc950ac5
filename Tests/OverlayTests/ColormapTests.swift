import Testing
@testable import Overlay

/// Tables and spot values from matplotlib (`tools/make_colormaps.py` → Fixtures/colormaps.json).
struct ColormapTests {
    struct Spot: Decodable {
        let map: String
        let x: XValue
        let rgba: [UInt8]
    }

    /// A number, or the string "nan".
    enum XValue: Decodable {
        case number(Double)
        case nan
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Double.self) { self = .number(v) } else { self = .nan }
        }
        var float: Float {
            switch self {
            case .number(let v): Float(v)
            case .nan: .nan
            }
        }
    }

    struct File: Decodable {
        let tables: [String: [UInt8]]
        let spots: [Spot]
    }

    let file: File

    init() throws { file = try Fixture.load("colormaps.json", as: File.self) }

    @Test func namesAreTheSevenMatplotlibMaps() {
        #expect(Colormap.allNames == ["viridis", "magma", "inferno", "plasma", "turbo", "jet", "gray"])
        #expect(Colormap.named("nope") == nil)
        #expect(Colormap.named("Viridis") == nil)
        #expect(Colormap.jet.name == "jet")
    }

    @Test(arguments: ["viridis", "magma", "inferno", "plasma", "turbo", "jet", "gray"])
    func tableEqualsMatplotlib(name: String) throws {
        let map = try #require(Colormap.named(name))
        let expected = try #require(file.tables[name])
        #expect(map.lut.count == 768)
        let firstMismatch = zip(map.lut, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(map.lut == expected, "first mismatch at byte \(String(describing: firstMismatch?.offset))")
    }

    @Test func spotValuesMatchMatplotlibCall() throws {
        #expect(file.spots.count == 7 * 15)
        for spot in file.spots {
            let map = try #require(Colormap.named(spot.map))
            let got = map.color(for: spot.x.float)
            // NaN is matplotlib's "bad" colour (0, 0, 0, 0); we draw it as black.
            let want = RGBColor(red: spot.rgba[0], green: spot.rgba[1], blue: spot.rgba[2])
            #expect(got == want, "\(spot.map)(\(spot.x)) = \(got), matplotlib \(want)")
        }
    }

    @Test func indexFollowsMatplotlibTruncation() {
        let map = Colormap.gray
        #expect(map.index(for: 0) == 0)
        #expect(map.index(for: 1.0 / 256) == 1)
        #expect(map.index(for: 1.0 / 256 - 1e-6) == 0)
        #expect(map.index(for: 0.5) == 128)
        #expect(map.index(for: 255.0 / 256) == 255)
        #expect(map.index(for: 1) == 255)
        #expect(map.index(for: -3) == 0)
        #expect(map.index(for: 7) == 255)
        #expect(map.index(for: .infinity) == 255)
        #expect(map.index(for: -.infinity) == 0)
        #expect(map.index(for: .nan) == nil)
        #expect(map.color(for: .nan) == .black)
        var custom = map
        custom.badColor = .magenta
        #expect(custom.color(for: .nan) == .magenta)
    }

    @Test func grayShowsMatplotlibsTruncationToBytes() {
        // matplotlib turns its float LUT into bytes with (lut * 255).astype(uint8), which
        // truncates: gray's entry 180 is 0.70588…·255 = 179.99… -> 179, not 180.
        #expect(Colormap.gray.entry(180) == RGBColor(red: 179, green: 179, blue: 179))
        #expect(Colormap.gray.entry(0) == .black && Colormap.gray.entry(255) == .white)
        for i in 1..<255 {
            let v = Int(Colormap.gray.entry(i).red)
            #expect(v == i || v == i - 1, "gray entry \(i) is \(v)")
        }
    }
}
