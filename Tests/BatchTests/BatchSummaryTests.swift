import Foundation
import Testing
@testable import Batch

@Suite struct BatchSummaryTests {
    let summary = BatchSummary(
        done: 12, skipped: 3,
        failures: [BatchFailure(path: "in/b \"quoted\".png", reason: "truncated image: line\nbreak\u{1}")],
        notImages: [.init(path: "in/x.gif", format: "GIF"), .init(path: "in/fake.jpg", format: nil)],
        skippedNonImages: ["in/README.txt", "in/LICENSE.md"],
        elapsedSeconds: 4.2049)

    @Test func jsonHasStableKeysAndParses() throws {
        #expect(summary.json == """
            {"done":12,"skipped":3,"failed":1,"not_images":2,"not_started":0,"interrupted":false,\
            "elapsed_seconds":4.205,"exit_code":1,\
            "failures":[{"path":"in/b \\"quoted\\".png","reason":"truncated image: line\\nbreak\\u0001"}],\
            "not_image_files":[{"path":"in/x.gif","format":"GIF"},{"path":"in/fake.jpg","format":null}],\
            "skipped_non_images":2,"skipped_non_image_files":["in/README.txt","in/LICENSE.md"]}

            """)
        // And a JSON parser reads it back.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["done", "skipped", "failed", "not_images", "not_started", "interrupted",
                                     "elapsed_seconds", "exit_code", "failures", "not_image_files",
                                     "skipped_non_images", "skipped_non_image_files"])
        #expect(object["skipped_non_image_files"] as? [String] == ["in/README.txt", "in/LICENSE.md"])
        let failures = try #require(object["failures"] as? [[String: String]])
        #expect(failures == [["path": "in/b \"quoted\".png", "reason": "truncated image: line\nbreak\u{1}"]])
    }

    /// The files skipped silently never reach the text: the line counts the reported ones only.
    @Test func textListsCountsAndFailures() {
        #expect(summary.text == """
            12 done, 3 skipped (outputs already complete), 1 failed, 2 not images (1 GIF unsupported) in 4.2 s
            failed:
              in/b "quoted".png: truncated image: line break\u{20}

            """)
        #expect(BatchSummary(done: 1, elapsedSeconds: 0.04).text == "1 done, 0 failed in 0.0 s\n")
        #expect(BatchSummary(done: 1, notStarted: 4, interrupted: true, elapsedSeconds: 1).text
                == "1 done, 0 failed in 1.0 s\ninterrupted: 4 not started\n")
    }

    @Test func exitCodes() {
        #expect(BatchSummary(done: 3, skipped: 2).exitCode == 0)
        #expect(BatchSummary(done: 3, notImages: [.init(path: "t.txt", format: nil)]).exitCode == 0)
        #expect(summary.exitCode == 1)
        #expect(BatchSummary(interrupted: true).exitCode == 130)
    }

    @Test func includeAddsWalkFailuresFirst() {
        var merged = summary
        merged.include(WalkResult(notImages: [.init(path: "z", format: nil)], skippedNonImages: ["notes"],
                                  failures: [BatchFailure(path: "missing", reason: "no such file or folder")]))
        #expect(merged.failures.map(\.path) == ["missing", "in/b \"quoted\".png"])
        #expect(merged.notImages.count == 3)
        #expect(merged.skippedNonImages == ["in/README.txt", "in/LICENSE.md", "notes"])
    }

    @Test func failureFromErrorDropsTheRepeatedPath() {
        struct Named: Error, CustomStringConvertible { var description: String { "p.png: truncated image: x" } }
        #expect(BatchFailure(path: "p.png", error: Named()).reason == "truncated image: x")
        #expect(BatchFailure(path: "q.png", error: Named()).reason == "p.png: truncated image: x")
    }
}
