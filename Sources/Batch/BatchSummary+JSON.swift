import TensorCore

extension BatchSummary {
    /// For programs: one JSON object with keys in this fixed order:
    /// `done`, `skipped`, `failed`, `not_images`, `not_started`, `interrupted`,
    /// `elapsed_seconds` (3 decimals), `exit_code`, `failures` (array of `{path, reason}`),
    /// `not_image_files` (array of `{path, format}`, format `null` when unknown),
    /// `skipped_non_images` and `skipped_non_image_files` (array of paths): the files skipped
    /// silently (added after the others, so readers of the earlier keys are unaffected).
    public var json: String {
        let failureItems = failures.map { "{\"path\":\(JSONString.quoted($0.path)),\"reason\":\(JSONString.quoted($0.reason))}" }
        let notImageItems = notImages.map {
            "{\"path\":\(JSONString.quoted($0.path)),\"format\":\($0.format.map(JSONString.quoted) ?? "null")}"
        }
        let millis = Int((elapsedSeconds * 1000).rounded())
        let fraction = String(millis % 1000)
        let fields = [
            "\"done\":\(done)",
            "\"skipped\":\(skipped)",
            "\"failed\":\(failed)",
            "\"not_images\":\(notImages.count)",
            "\"not_started\":\(notStarted)",
            "\"interrupted\":\(interrupted)",
            "\"elapsed_seconds\":\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count) + fraction)",
            "\"exit_code\":\(exitCode)",
            "\"failures\":[\(failureItems.joined(separator: ","))]",
            "\"not_image_files\":[\(notImageItems.joined(separator: ","))]",
            "\"skipped_non_images\":\(skippedNonImages.count)",
            "\"skipped_non_image_files\":[\(skippedNonImages.map(JSONString.quoted).joined(separator: ","))]",
        ]
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}
