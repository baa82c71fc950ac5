import Synchronization
import Testing
@testable import Batch

@Suite struct ProgressReporterTests {
    @Test func lineShowsBarCountRateAndETA() {
        // 37 of 100 in 8.8 s: 4.2045 img/s; 63 left / 4.2045 = 14.98 s.
        #expect(ProgressReporter.line(done: 37, total: 100, rendered: 37, elapsed: 8.8)
                == "[#######.............] 37/100  4.2 img/s  ETA 0:15")
        #expect(ProgressReporter.line(done: 37, total: 100, rendered: 37, elapsed: 8.8, barWidth: 10)
                == "[###.......] 37/100  4.2 img/s  ETA 0:15")
        #expect(ProgressReporter.line(done: 0, total: 5, rendered: 0, elapsed: 0)
                == "[....................] 0/5  0.0 img/s  ETA --:--")
        #expect(ProgressReporter.line(done: 5, total: 5, rendered: 2, elapsed: 4)
                == "[####################] 5/5  0.5 img/s  ETA 0:00")
        // 1 img in 2 s, 9999 left: 19998 s = 5:33:18.
        #expect(ProgressReporter.line(done: 1, total: 10_000, rendered: 1, elapsed: 2)
                == "[....................] 1/10000  0.5 img/s  ETA 5:33:18")
        // Resumed images count, not in the rate: 50 done, 10 rendered in 5 s, 50 left at 2/s.
        #expect(ProgressReporter.line(done: 50, total: 100, rendered: 10, elapsed: 5)
                == "[##########..........] 50/100  2.0 img/s  ETA 0:25")
    }

    @Test func disabledReporterPrintsNothing() {
        let printed = Mutex<[String]>([])
        let reporter = ProgressReporter(total: 3, enabled: false) { text in printed.withLock { $0.append(text) } }
        reporter.advance()
        reporter.advance(skipped: true)
        reporter.finish()
        #expect(printed.withLock { $0 }.isEmpty)
    }

    @Test func enabledReporterRedrawsInPlaceAndEndsTheLine() {
        let printed = Mutex<[String]>([])
        // An interval of an hour: only the first and the last image are drawn, then finish.
        let reporter = ProgressReporter(total: 3, enabled: true, minimumInterval: 3600) { text in
            printed.withLock { $0.append(text) }
        }
        reporter.advance()
        reporter.advance()
        reporter.advance(skipped: true)
        reporter.finish()
        reporter.finish()
        let lines = printed.withLock { $0 }
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("\r[") })
        #expect(lines[0].contains("] 1/3  "))
        #expect(lines[1].contains("] 3/3  ") && lines[1].hasSuffix("ETA 0:00\u{1B}[K"))
        #expect(lines[2].hasSuffix("ETA 0:00\u{1B}[K\n"))
    }
}
