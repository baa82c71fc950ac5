import Testing
@testable import Batch

/// FNV-1a 64 and shard numbers printed by tools/make_batch_fixtures.py (the first three are
/// also the published FNV test vectors).
let fnvReference: [(text: String, hash: UInt64, shardOf2: Int, shardOf3: Int)] = [
    ("", 0xCBF2_9CE4_8422_2325, 2, 3),
    ("a", 0xAF63_DC4C_8601_EC8C, 1, 2),
    ("foobar", 0x8594_4171_F739_67E8, 1, 1),
    ("cats/tabby.jpg", 0x6A34_E789_1899_1E64, 1, 3),
    ("dogs/rex.png", 0xEFB9_CB86_2B2A_DFA7, 2, 1),
    ("top.png", 0x8C24_0B9D_C4FA_D549, 2, 3),
]

@Suite struct FNV1aShardTests {
    @Test func hashMatchesReference() {
        for entry in fnvReference {
            #expect(FNV1a.hash64(entry.text) == entry.hash, "FNV-1a 64 of '\(entry.text)'")
        }
    }

    @Test func assignmentMatchesReference() throws {
        for entry in fnvReference {
            for count in [2, 3] {
                let expected = count == 2 ? entry.shardOf2 : entry.shardOf3
                for index in 1...count {
                    let shard = try Shard(index: index, count: count)
                    #expect(shard.contains(relativePath: entry.text) == (index == expected),
                            "'\(entry.text)' belongs to shard \(expected)/\(count), asked \(index)/\(count)")
                }
            }
        }
    }

    @Test func parsesValidValues() throws {
        #expect(try Shard(parsing: "1/1") == Shard.all)
        let shard = try Shard(parsing: "3/8")
        #expect(shard.index == 3 && shard.count == 8 && shard.description == "3/8")
        #expect(try Shard(parsing: "10/10").index == 10)
    }

    @Test func refusesBadValues() {
        let cases: [(String, Shard.ParseError)] = [
            ("0/4", .zeroIndex("0/4")),
            ("5/4", .indexBeyondCount(index: 5, count: 4)),
            ("1/0", .zeroCount("1/0")),
            ("0/0", .zeroCount("0/0")),
            ("garbage", .malformed("garbage")),
            ("1/2/3", .malformed("1/2/3")),
            ("-1/2", .malformed("-1/2")),
            (" 1/2", .malformed(" 1/2")),
            ("1/", .malformed("1/")),
            ("/2", .malformed("/2")),
            ("", .malformed("")),
            ("99999999999999999999/2", .malformed("99999999999999999999/2")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "'\(text)'") { try Shard(parsing: text) }
        }
        #expect(Shard.ParseError.indexBeyondCount(index: 5, count: 4).description
                == "invalid shard '5/4': K (5) must not exceed N (4)")
    }

    @Test func halvesPartitionExactlyWhateverTheOrder() throws {
        let inputs = (0..<300).map {
            BatchInput(path: "/in/d\($0 % 7)/img\($0).png", relativePath: "d\($0 % 7)/img\($0).png", format: .png)
        }
        let first = try Shard(parsing: "1/2").select(inputs)
        let second = try Shard(parsing: "2/2").select(inputs)
        #expect(Set(first).isDisjoint(with: second))
        #expect(Set(first).union(second) == Set(inputs))
        #expect(first.count + second.count == inputs.count)
        #expect(first.count > 100 && second.count > 100, "split \(first.count)/\(second.count)")
        // Another process, listing the files in another order, picks the same ones.
        let reversed = try Shard(parsing: "1/2").select(inputs.reversed())
        #expect(Set(reversed) == Set(first))
        // N parts for N = 5 cover every file once.
        var seen: [String: Int] = [:]
        for index in 1...5 {
            for input in try Shard(index: index, count: 5).select(inputs) { seen[input.relativePath, default: 0] += 1 }
        }
        #expect(seen.count == inputs.count && seen.values.allSatisfy { $0 == 1 })
    }
}
