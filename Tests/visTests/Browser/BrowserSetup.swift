import Foundation

/// What the browser tests need: Debian's chromium and chromium-driver, and Python with
/// Selenium in a venv outside the repository (`/tmp/vis-selenium-venv`), installed when
/// missing and the tests run as root.
enum BrowserSetup {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static let venv = "/tmp/vis-selenium-venv"

    /// The venv's python with Selenium importable; installs what is missing.
    static func python() throws -> String {
        if let failure = prepared.failure { throw Unavailable(description: failure) }
        return venv + "/bin/python"
    }

    private static let prepared: (failure: String?, Void) = {
        var log = ""
        func step(_ executable: String, _ arguments: [String], timeout: Double) -> Bool {
            guard let outcome = try? run(executable, arguments, timeout: timeout) else {
                log += "\(executable) could not start\n"
                return false
            }
            log += "\(executable) \(arguments.joined(separator: " ")): status \(outcome.status)\n\(outcome.output.suffix(2000))\n"
            return outcome.status == 0
        }
        let fm = FileManager.default
        if !fm.isExecutableFile(atPath: "/usr/bin/chromium") || !fm.isExecutableFile(atPath: "/usr/bin/chromedriver") {
            guard geteuid() == 0 else {
                return ("chromium or chromedriver is missing and the tests do not run as root: apt-get install -y chromium chromium-driver", ())
            }
            if !step("/usr/bin/apt-get", ["install", "-y", "-q", "chromium", "chromium-driver"], timeout: 900) {
                _ = step("/usr/bin/apt-get", ["update", "-q"], timeout: 600)
                guard step("/usr/bin/apt-get", ["install", "-y", "-q", "chromium", "chromium-driver"], timeout: 900) else {
                    return ("chromium and chromium-driver could not be installed:\n\(log)", ())
                }
            }
        }
        let python = venv + "/bin/python"
        if !(fm.isExecutableFile(atPath: python) && step(python, ["-c", "import selenium"], timeout: 60)) {
            guard step("/usr/bin/env", ["python3", "-m", "venv", venv], timeout: 120),
                  step(venv + "/bin/pip", ["install", "-q", "selenium"], timeout: 600) else {
                return ("a venv with Selenium could not be made at \(venv) (python3 -m venv; pip install selenium):\n\(log)", ())
            }
        }
        return (nil, ())
    }()

    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs a program to completion (stdout and stderr together), killing it after `timeout` s.
    static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("vis-browser-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Outcome(status: process.terminationStatus, output: output)
    }
}

/// `vis explore …` running in the background, with the URL it printed.
final class ExploreServerProcess {
    let process = Process()
    let url: String

    init(arguments: [String]) throws {
        process.executableURL = VisBinary.url
        process.arguments = ["explore"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        // The first line: "exploring N images at http://127.0.0.1:PORT/ (Ctrl-C to stop)".
        var line = ""
        let reader = out.fileHandleForReading
        while !line.contains("\n") {
            let data = reader.availableData
            if data.isEmpty { break }
            line += String(decoding: data, as: UTF8.self)
        }
        guard let range = line.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) else {
            process.terminate()
            throw BrowserSetup.Unavailable(description: "vis explore printed no address: \(line)")
        }
        url = String(line[range])
    }

    func stop() {
        if process.isRunning { process.interrupt() }
        process.waitUntilExit()
    }
}
