import Testing
@testable import TensorCore

/// `BLAS.releaseIdleOpenBLASThreads` stops OpenBLAS's spinning workers; OpenBLAS must still
/// compute a threaded product correctly afterwards (it restarts its workers itself).
struct IdleThreadsTests {
    @Test func openBLASStillMultipliesAfterItsWorkersWereStopped() {
        let stopped = BLAS.releaseIdleOpenBLASThreads()
        // Stopped exactly when the package's kernel is the backend (OpenBLAS is then idle).
        #expect(stopped == (BLAS.backend == .visAVX512 && BLAS.kernelAvailable))
        let saved = BLAS.threadCount
        BLAS.threadCount = 2
        defer { BLAS.threadCount = saved }
        // Large enough that OpenBLAS splits it over its threads.
        let shape = SGEMMKernelTests.Case(m: 512, n: 384, k: 256, sample: 7)
        #expect(SGEMMKernelTests.failures(shape, backend: .openBLAS) == 0)
        #expect(SGEMMKernelTests.failures(shape, backend: .openBLAS, seed: 11) == 0)
    }
}
