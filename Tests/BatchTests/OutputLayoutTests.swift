import Testing
@testable import Batch

@Suite struct OutputLayoutTests {
    func input(_ relative: String, root: String = "/in") -> BatchInput {
        BatchInput(path: root + "/" + relative, relativePath: relative, format: relative.hasSuffix(".png") ? .png : .jpeg)
    }

    @Test func keepsSubfoldersAndNamesByStemAndMode() {
        let jobs = OutputLayout(root: "out").plan([input("top.png"), input("cats/small/tabby.jpg")],
                                                  modes: ["axial", "coord"])
        #expect(jobs.map(\.outputs) == [
            ["out/top_axial.png", "out/top_coord.png"],
            ["out/cats/small/tabby_axial.png", "out/cats/small/tabby_coord.png"],
        ])
        #expect(jobs[1].outputFolder == "out/cats/small")
    }

    @Test func resolvesCollisionsInListOrder() {
        // The walker lists a.jpg before a.png (UTF-8 order); a.png then uses its whole name.
        let inputs = [input("a.jpg"), input("a.png"), input("a.png.jpg"), input("b"), input("sub/a.png")]
        let jobs = OutputLayout(root: "/out/").plan(inputs, modes: ["self"])
        #expect(jobs.map { $0.outputPath(mode: "self") } == [
            "/out/a_self.png",
            "/out/a.png_self.png",
            "/out/a.png.jpg_self.png",  // its stem "a.png" was taken by the line above
            "/out/b_self.png",
            "/out/sub/a_self.png",      // another folder: no collision
        ])
    }

    @Test func sameRelativePathUnderTwoRootsGetsNumbered() {
        let inputs = [input("x/a.png", root: "/one"), input("x/a.png", root: "/two"), input("x/a.png", root: "/three")]
        let names = OutputLayout(root: "o").plan(inputs, modes: ["patch"]).map(\.outputStem)
        #expect(names == ["a", "a.png", "a.png~2"])
    }

    @Test func hiddenLikeAndExtensionlessStems() {
        let plain = BatchInput(path: "/in/README", relativePath: "README", format: .png)
        let dotted = BatchInput(path: "/in/x.y.z.png", relativePath: "x.y.z.png", format: .png)
        #expect(plain.stem == "README" && plain.subfolder == "" && plain.fileName == "README")
        #expect(dotted.stem == "x.y.z")
    }
}
