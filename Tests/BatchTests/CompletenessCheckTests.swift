import Testing
@testable import Batch

@Suite struct CompletenessCheckTests {
    @Test func wholePNGIsComplete() {
        let folder = TestFolder()
        let path = folder.write("ok.png", Samples.png(width: 50, height: 40))
        #expect(CompletenessCheck.check(path) == .complete)
        #expect(CompletenessCheck.allComplete([path]))
    }

    @Test func everyTruncationIsIncomplete() {
        let folder = TestFolder()
        let whole = Samples.png(width: 7, height: 5)
        // Cut at every length, from an empty file to one byte short of the end.
        for length in 0..<whole.count {
            let path = folder.write("cut\(length).png", Array(whole.prefix(length)))
            #expect(CompletenessCheck.check(path) != .complete, "cut at \(length) of \(whole.count)")
        }
    }

    @Test func reasonsNameTheProblem() {
        let folder = TestFolder()
        let whole = Samples.png()
        #expect(CompletenessCheck.check(folder.url("absent.png")) == .missing)
        #expect(CompletenessCheck.check(folder.write("text.png", Array("hello".utf8)))
                == .incomplete("no PNG signature"))
        #expect(CompletenessCheck.check(folder.write("trailing.png", whole + [0]))
                == .incomplete("1 bytes after the IEND chunk"))
        var badCRC = whole
        badCRC[badCRC.count - 1] ^= 0xFF
        #expect(CompletenessCheck.check(folder.write("crc.png", badCRC)) == .incomplete("IEND chunk has a wrong CRC"))
        #expect(CompletenessCheck.check(folder.write("sig.png", Array(whole.prefix(8))))
                == .incomplete("ends at byte 8 before the IEND chunk"))
        folder.makeFolder("dir.png")
        #expect(CompletenessCheck.check(folder.url("dir.png")) == .incomplete("not a regular file"))
        #expect(!CompletenessCheck.allComplete([folder.url("absent.png")]))
    }

    /// A JPEG (the gallery preview) is complete when it ends with EOI; a Pillow-made one is,
    /// every cut of it before its last byte is not.
    @Test func jpegCompleteOnlyWithItsEOI() {
        let folder = TestFolder()
        #expect(CompletenessCheck.check(folder.write("ok.jpg", TinyJPEG.bytes)) == .complete)
        for length in 0..<TinyJPEG.bytes.count {
            let path = folder.write("cut\(length).jpg", Array(TinyJPEG.bytes.prefix(length)))
            #expect(CompletenessCheck.check(path) != .complete, "cut at \(length) of \(TinyJPEG.bytes.count)")
        }
        #expect(CompletenessCheck.check(folder.write("half.jpg", Array(TinyJPEG.bytes.prefix(100))))
                == .incomplete("JPEG does not end with the EOI marker"))
    }

    @Test func iendCRCConstantIsTheCRCOfIEND() {
        // CRC-32 (ISO 3309, reflected 0xEDB88320) of "IEND", computed here bit by bit.
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in Array("IEND".utf8) {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        #expect(crc ^ 0xFFFF_FFFF == CompletenessCheck.iendCRC)
    }
}
