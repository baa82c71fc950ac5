import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import TensorCore

/// `BLAS.prepareThreads` / `releaseIdleOpenBLASThreads` stop OpenBLAS's spinning workers;
/// OpenBLAS must still compute a threaded product correctly afterwards (it restarts its
/// workers itself), and the prepared fork-join helpers must run the package's kernel.
struct BLASThreadsTests {
    @Test func openBLASStillMultipliesAfterItsWorkersWereStopped() {
        BLAS.prepareThreads()
        let stopped = BLAS.releaseIdleOpenBLASThreads()
        // (A second call after prepareThreads stops them again.) Stopped exactly when the
        // package's kernel is the backend (OpenBLAS is then idle) and OpenBLAS has the call.
        let hasShutdown = dlsym(nil, "blas_thread_shutdown_") != nil  // pthreads builds of OpenBLAS
        #expect(stopped == (BLAS.backend == .visAVX512 && BLAS.kernelAvailable && hasShutdown))
        let saved = BLAS.threadCount
        BLAS.threadCount = 2
        defer { BLAS.threadCount = saved }
        // Large enough that OpenBLAS splits it over its threads.
        let shape = SGEMMKernelTests.Case(m: 512, n: 384, k: 256, sample: 7)
        #expect(SGEMMKernelTests.failures(shape, backend: .openBLAS) == 0)
        #expect(SGEMMKernelTests.failures(shape, backend: .openBLAS, seed: 11) == 0)
        // And the pool's prepared helpers run a 2-worker product of the package's kernel.
        #expect(SGEMMKernelTests.failures(shape, backend: .visAVX512, seed: 13) == 0)
    }
}
