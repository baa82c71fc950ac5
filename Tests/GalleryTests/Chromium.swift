import Foundation

/// Finds headless Chromium, installing Debian's `chromium` with apt-get when it is missing and
/// the tests run as root. Only one install is attempted per test process.
enum Chromium {
    /// The executable, or why there is none.
    static let located: Result<String, Chromium.Unavailable> = locate()

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    private static func locate() -> Result<String, Unavailable> {
        if let found = ProcessRunner.which("chromium") ?? ProcessRunner.which("chromium-browser") {
            return .success(found)
        }
        guard geteuid() == 0 else {
            return .failure(Unavailable(description: "chromium is not installed and the tests do not run as root, so `apt-get install -y chromium` is not possible"))
        }
        guard let aptGet = ProcessRunner.which("apt-get") else {
            return .failure(Unavailable(description: "chromium is not installed and apt-get is missing"))
        }
        let environment = ["DEBIAN_FRONTEND": "noninteractive"]
        var log = ""
        for step in [["install", "-y", "chromium"], ["update"], ["install", "-y", "chromium"]] {
            if step == ["update"], ProcessRunner.which("chromium") != nil { break }
            do {
                let outcome = try ProcessRunner.run(aptGet, step, timeout: 900, environment: environment)
                log += "apt-get \(step.joined(separator: " ")): status \(outcome.status)\(outcome.timedOut ? " (timed out)" : "")\n"
                if step.first == "install", outcome.status == 0 { break }
            } catch {
                log += "apt-get \(step.joined(separator: " ")): \(error)\n"
            }
        }
        if let found = ProcessRunner.which("chromium") { return .success(found) }
        return .failure(Unavailable(description: "chromium could not be installed with apt-get:\n\(log)"))
    }

    /// `chromium --headless --no-sandbox --disable-gpu --dump-dom URL`: the DOM after the page's
    /// scripts ran (a virtual-time budget lets load handlers finish).
    static func dumpDOM(_ executable: String, url: String) throws -> ProcessRunner.Outcome {
        let profile = FileManager.default.temporaryDirectory
            .appendingPathComponent("gallery-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        return try ProcessRunner.run(executable, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000",
            "--dump-dom", url,
        ], timeout: 120)
    }
}
